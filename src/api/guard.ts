/**
 * Keeps foreign web pages away from the local API. A browser visiting any site can send
 * requests to 127.0.0.1; two rules stop them from doing harm:
 *
 * 1. **Host** (every request, event stream included): the `Host` header must be an IP
 *    literal, a loopback name (`localhost`, `*.localhost`), the listener's own host name or
 *    a configured name (`api.allowedHosts`). A DNS-rebinding page reaches the API under its
 *    own domain name, so its requests carry that name and are refused (403 HOST_NOT_ALLOWED).
 *    IP literals are safe: a browser sends one only when it connected to that very address.
 * 2. **Origin** (POST, PUT, PATCH, DELETE): a request a browser marks as coming from another
 *    origin (`Origin` not naming the request's own host and port, or `Sec-Fetch-Site` other
 *    than `same-origin`/`none`) is refused (403 CROSS_SITE). A body must be JSON
 *    (`Content-Type: application/json` or `…+json`; 415 UNSUPPORTED_MEDIA_TYPE), which a page
 *    cannot send cross-site without a CORS preflight that this API never grants.
 *
 * Tools without a browser (curl, scripts) send no `Origin` and no `Sec-Fetch-Site`, and pass.
 *
 * A body sent without `Content-Length` (chunked, or a bodiless DELETE) is read here, up to the
 * body limit (413 PAYLOAD_TOO_LARGE), into a fresh `Request`: rebuilding a `Deno.serve`
 * request from itself (as hono's body limit does) reads its `signal`, which makes Deno print
 * a warning about `request.signal` on the first successful response.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "./errors.ts";

/** Options of {@link guardRequests}. */
export interface GuardOptions {
  /**
   * Host names accepted in the `Host` header besides IP literals and loopback names
   * (case-insensitive, without port). `"*"` accepts any name (turns the Host rule off).
   * @default []
   */
  allowedHosts?: readonly string[];
  /**
   * The name the server listens on (`api.host`); accepted when it is a name.
   * @default undefined
   */
  listenHost?: string | undefined;
  /**
   * Largest request body in bytes.
   * @default 65536
   */
  maxBodyBytes?: number;
}

/** Methods that change nothing. */
const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/** `Sec-Fetch-Site` values of requests that did not come from another origin. */
const OWN_SITE: ReadonlySet<string> = new Set(["same-origin", "none"]);

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/**
 * Splits a `Host` header value into its lower-case name (IPv6 without brackets).
 *
 * @param host The header value, e.g. `example.com:8080` or `[::1]:80`.
 * @returns The name, or undefined when the value is malformed.
 */
export function hostName(host: string): string | undefined {
  const h = host.trim().toLowerCase();
  const v6 = /^\[([0-9a-f:.]+)\](:\d{1,5})?$/.exec(h);
  if (v6) return v6[1];
  const m = /^([a-z0-9._-]+)(:\d{1,5})?$/.exec(h);
  return m?.[1];
}

function isIpLiteral(name: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) {
    return name.split(".").every((p) => Number(p) <= 255);
  }
  return name.includes(":") && /^[0-9a-f:.]+$/.test(name);
}

/**
 * Whether a `Host` name may reach the API.
 *
 * @param name Lower-case host name from {@link hostName}.
 * @param allowed Configured names (lower case), `"*"` for any.
 * @returns True when accepted.
 */
export function isAllowedHost(
  name: string,
  allowed: ReadonlySet<string>,
): boolean {
  if (allowed.has("*") || allowed.has(name)) return true;
  if (isIpLiteral(name)) return true;
  return name === "localhost" || name.endsWith(".localhost");
}

/**
 * Whether the request carries a body by its headers (HTTP/1.1: Content-Length or
 * Transfer-Encoding; a declared Content-Type counts too, for requests built in process).
 */
function hasBody(req: Request): boolean {
  const length = req.headers.get("content-length");
  if (length !== null) return Number(length) > 0;
  return req.headers.has("transfer-encoding") ||
    req.headers.has("content-type");
}

function refuseCrossSite(method: string, path: string, why: string): never {
  throw new ApiError("CROSS_SITE", `Cannot ${method} ${path}: ${why}`);
}

function checkOrigin(req: Request, method: string, path: string): void {
  const site = req.headers.get("sec-fetch-site");
  if (site !== null && !OWN_SITE.has(site.toLowerCase())) {
    refuseCrossSite(method, path, `the request comes from a ${site} page`);
  }
  const origin = req.headers.get("origin");
  if (origin === null) return;
  const own = new URL(req.url);
  let from: URL | undefined;
  try {
    from = new URL(origin);
  } catch {
    from = undefined;
  }
  // The host (with port) decides; the scheme may differ behind a TLS-terminating proxy.
  if (from === undefined || from.host !== own.host) {
    refuseCrossSite(
      method,
      path,
      `the request comes from another origin (${JSON.stringify(origin)})`,
    );
  }
}

/**
 * Reads a body that came without `Content-Length`, bounded, into a new `Request` built from
 * the URL (never from the request itself, whose `signal` must stay untouched).
 */
async function bufferUnsizedBody(
  req: Request,
  maxBytes: number,
): Promise<Request | undefined> {
  const sized = req.headers.has("content-length") &&
    !req.headers.has("transfer-encoding");
  if (req.body === null || sized) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new ApiError(
        "PAYLOAD_TOO_LARGE",
        `Cannot read the body: larger than ${maxBytes} bytes`,
      );
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  const headers = new Headers(req.headers);
  headers.delete("transfer-encoding");
  headers.set("content-length", String(size));
  return new Request(req.url, {
    method: req.method,
    headers,
    body: size > 0 ? body : null,
  });
}

/**
 * Middleware enforcing the Host rule on every request and the Origin and JSON rules on
 * mutating ones; register it before the token check.
 *
 * @param options Accepted host names.
 * @returns The middleware.
 */
export function guardRequests(options: GuardOptions = {}): MiddlewareHandler {
  const allowed = new Set(
    (options.allowedHosts ?? []).map((h) => h.trim().toLowerCase()),
  );
  const listen = options.listenHost ? hostName(options.listenHost) : undefined;
  if (listen) allowed.add(listen);
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  return async function guard(c, next) {
    const req = c.req.raw;
    const header = req.headers.get("host") ?? new URL(req.url).host;
    const name = hostName(header);
    if (name === undefined || !isAllowedHost(name, allowed)) {
      throw new ApiError(
        "HOST_NOT_ALLOWED",
        `Cannot serve host ${
          JSON.stringify(header)
        }: not this gateway's address (add it to api.allowedHosts)`,
      );
    }
    const method = c.req.method;
    if (!SAFE_METHODS.has(method)) {
      checkOrigin(req, method, c.req.path);
      const type = req.headers.get("content-type");
      if (hasBody(req) && (type === null || !JSON_TYPE.test(type))) {
        throw new ApiError(
          "UNSUPPORTED_MEDIA_TYPE",
          `Cannot ${method} ${c.req.path}: the body must be application/json, not ${
            JSON.stringify(type ?? "")
          }`,
        );
      }
      const buffered = await bufferUnsizedBody(req, maxBodyBytes);
      if (buffered) c.req.raw = buffered;
    }
    await next();
  };
}
