/**
 * The web console served at `GET /`: one HTML document with the console's script and
 * stylesheet inlined from the generated module src/api/web_assets.gen.ts (built from src/web/
 * by `deno task web:build`), so nothing is read from disk and nothing loads from elsewhere.
 * The Content-Security-Policy admits exactly that script, by its SHA-256.
 *
 * @module
 */
import { WEB_CSS, WEB_JS, WEB_JS_CSP, WEB_VERSION } from "./web_assets.gen.ts";

/** The page's policy: only its own inline script; requests to this server only. */
export const UI_CSP: string =
  `default-src 'none'; script-src ${WEB_JS_CSP}; style-src 'unsafe-inline'; ` +
  "img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; " +
  "frame-ancestors 'none'";

/** The page served at `GET /`. */
export const UI_HTML: string = `<!doctype html>
<html lang="en" data-version="${WEB_VERSION}"><head><meta charset="utf-8"><title>mbusgw</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>${WEB_CSS}</style>
</head><body><div id="app"><noscript>The mbusgw console needs JavaScript; the API is described at /openapi.json.</noscript></div>
<script type="module">${WEB_JS}</script></body></html>
`;
