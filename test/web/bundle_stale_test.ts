import assert from "node:assert/strict";
import { buildWebModule, GENERATED } from "../../scripts/build_web.ts";
import { UI_CSP, UI_HTML } from "../../src/api/ui.ts";
import { WEB_JS, WEB_JS_CSP } from "../../src/api/web_assets.gen.ts";

const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("the committed web bundle is what src/web builds to (run `deno task web:build`)", async () => {
  const fresh = await buildWebModule(ROOT);
  const committed = await Deno.readTextFile(`${ROOT}/${GENERATED}`);
  assert.ok(fresh.length > 10_000, "the bundle is not empty");
  assert.equal(
    committed === fresh,
    true,
    `${GENERATED} is stale: run "deno task web:build" and commit it`,
  );
});

Deno.test("the page inlines the bundle and its CSP admits exactly that script", async () => {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(WEB_JS),
  );
  const b64 = btoa(String.fromCharCode(...new Uint8Array(digest)));
  assert.equal(WEB_JS_CSP, `'sha256-${b64}'`);
  assert.match(UI_CSP, new RegExp(`script-src '${"sha256-"}`));
  assert.ok(UI_CSP.includes(WEB_JS_CSP));
  assert.doesNotMatch(UI_CSP, /script-src[^;]*unsafe-inline/);
  assert.ok(UI_HTML.includes(`<script type="module">${WEB_JS}</script>`));
  assert.doesNotMatch(
    UI_HTML,
    /\b(src|href)="https?:/,
    "nothing from elsewhere",
  );
});

Deno.test("the console's own code never writes HTML from text (no innerHTML): values are text nodes", async () => {
  const files: string[] = [];
  async function walk(dir: string): Promise<void> {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (p.endsWith(".ts")) files.push(p);
    }
  }
  await walk(`${ROOT}/src/web`);
  assert.ok(files.length > 10);
  for (const f of files) {
    const text = await Deno.readTextFile(f);
    assert.doesNotMatch(
      text,
      /innerHTML|dangerouslySetInnerHTML|insertAdjacentHTML/,
      f,
    );
  }
});
