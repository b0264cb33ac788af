/**
 * Bearer-token protection of mutating requests. Reads (GET, HEAD, OPTIONS) stay open; POST,
 * PUT, PATCH and DELETE need `Authorization: Bearer <token>` when a token is configured.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "./errors.ts";

/** Methods that never change anything and stay open without a token. */
const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Compares two strings in time that depends only on their lengths.
 *
 * @param a One string.
 * @param b The other.
 * @returns Whether they are equal.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * Middleware that refuses mutating requests without the right bearer token.
 *
 * @param token The configured token; when undefined or empty, everything is open.
 * @returns The middleware.
 */
export function requireToken(token: string | undefined): MiddlewareHandler {
  return async function checkToken(c, next) {
    if (token && !SAFE_METHODS.has(c.req.method)) {
      const header = c.req.header("Authorization") ?? "";
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const given = match?.[1];
      if (given === undefined) {
        throw new ApiError(
          "UNAUTHORIZED",
          `Cannot ${c.req.method} ${c.req.path}: a bearer token is required`,
        );
      }
      if (!constantTimeEqual(given, token)) {
        throw new ApiError(
          "UNAUTHORIZED",
          `Cannot ${c.req.method} ${c.req.path}: the bearer token is wrong`,
        );
      }
    }
    await next();
  };
}
