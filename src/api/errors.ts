/**
 * The one place where errors become HTTP responses: an {@link MbusError}'s `code` picks the
 * status, and the body is always `{ error: { code, message } }`.
 *
 * @module
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ErrorCode, MbusError, type NamedErrorCode } from "../util/mod.ts";

/**
 * HTTP status for each error code: every named code has one (a new code without a status
 * fails the type check); a forwarded decoder code maps to 500.
 */
export const ERROR_STATUS: Readonly<Record<NamedErrorCode, number>> = {
  BAD_REQUEST: 400,
  BAD_ADDRESS: 400,
  BAD_MASK: 400,
  BAD_PATH: 400,
  BAD_BAUD_RATE: 400,
  BAD_SCAN: 400,
  INVALID_CONFIG: 400,
  CONFIRMATION_REQUIRED: 400,
  UNAUTHORIZED: 401,
  CROSS_SITE: 403,
  HOST_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  BUS_BUSY: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SCAN_FINISHED: 409,
  UNSUPPORTED: 422,
  COLLISION: 502,
  // A meter answered, but not with a usable frame: the bus, not the gateway, is at fault.
  BAD_ANSWER: 502,
  STOPPED: 503,
  CLOSED: 503,
  IO: 503,
  CONNECT_FAILED: 503,
  ABORTED: 503,
  NO_RESPONSE: 504,
  TIMEOUT: 504,
  // The rest answer 500, as an unknown code did before the table was typed.
  DEADLOCK: 500,
  PORT_NOT_FOUND: 500,
  PORT_BUSY: 500,
  PERMISSION_DENIED: 500,
  NOT_A_TTY: 500,
  ADDRESS_IN_USE: 500,
  UNKNOWN_RECEIVER: 500,
  BAD_COMMAND: 500,
  USAGE: 500,
  INTERNAL: 500,
};

/** The JSON body of every error response. */
export interface ErrorBody {
  /** The error. */
  error: {
    /** Stable SCREAMING_SNAKE code (public API). */
    code: string;
    /** One-line message. */
    message: string;
  };
}

/** An error the API raises itself: a code and a one-line message. */
export class ApiError extends MbusError {
  /**
   * Creates the error.
   *
   * @param code Code from {@link ERROR_STATUS}.
   * @param message One line, sentence case, no final period.
   */
  constructor(code: ErrorCode, message: string) {
    super(code, message);
    this.name = "ApiError";
  }
}

/**
 * The status for an error code.
 *
 * @param code An error code.
 * @returns The HTTP status; 500 for unknown codes.
 */
export function statusForCode(code: string): number {
  return Object.hasOwn(ERROR_STATUS, code)
    ? ERROR_STATUS[code as NamedErrorCode]
    : 500;
}

/**
 * Turns any thrown value into a code and message fit for a client.
 *
 * @param e What was thrown.
 * @returns Status and body.
 */
export function describeError(
  e: unknown,
): { status: ContentfulStatusCode; body: ErrorBody } {
  if (e instanceof MbusError) {
    return {
      status: statusForCode(e.code) as ContentfulStatusCode,
      body: { error: { code: e.code, message: e.message } },
    };
  }
  if (e instanceof HTTPException) {
    const status = e.status as ContentfulStatusCode;
    const code = status === 401
      ? "UNAUTHORIZED"
      : status === 404
      ? "NOT_FOUND"
      : status < 500
      ? "BAD_REQUEST"
      : "INTERNAL";
    return {
      status,
      body: { error: { code, message: e.message || `HTTP ${status}` } },
    };
  }
  if (e instanceof DOMException && e.name === "AbortError") {
    return {
      status: 503,
      body: { error: { code: "ABORTED", message: "The request was aborted" } },
    };
  }
  // Internals are not the client's business: a stable code, a generic message.
  return {
    status: 500,
    body: { error: { code: "INTERNAL", message: "Internal server error" } },
  };
}

/**
 * The `app.onError` handler.
 *
 * @param e What a route threw.
 * @param c The request context.
 * @returns The JSON error response.
 */
export function respondError(e: unknown, c: Context): Response {
  const { status, body } = describeError(e);
  if (status === 401) c.header("WWW-Authenticate", 'Bearer realm="mbusgw"');
  return c.json(body, status);
}

/**
 * The `app.notFound` handler: unknown routes answer like a missing resource.
 *
 * @param c The request context.
 * @returns A 404 JSON error.
 */
export function respondNotFound(c: Context): Response {
  return c.json(
    {
      error: {
        code: "NOT_FOUND",
        message: `No route for ${c.req.method} ${c.req.path}`,
      },
    } satisfies ErrorBody,
    404,
  );
}
