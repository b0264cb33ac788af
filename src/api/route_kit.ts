/**
 * What every route module uses to declare its routes with `@hono/zod-openapi`: a router whose
 * validation failures become typed `{ error: { code, message } }` answers, the error body
 * schema, the shared parameters, the bearer-security marker, and schemas with examples that
 * a test checks against the schemas.
 *
 * @module
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { BlankEnv } from "hono/types";
import { ApiError, ERROR_STATUS } from "./errors.ts";
import type { NamedErrorCode } from "../util/mod.ts";

/** Codes of a failed field that is not a plain `BAD_REQUEST`. */
const FIELD_CODES: Readonly<Record<string, NamedErrorCode>> = {
  baudRate: "BAD_BAUD_RATE",
};

function show(v: unknown): string {
  let text: string;
  try {
    text = v === undefined ? "undefined" : JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/**
 * The error of a request that failed its schema: the first issue, naming the field, the
 * value and what is allowed.
 *
 * @param error zod's error.
 * @param input What was validated.
 * @returns The error to throw.
 */
export function validationError(error: z.ZodError, input: unknown): ApiError {
  const issue = error.issues[0];
  if (!issue) return new ApiError("BAD_REQUEST", "Invalid request");
  const field = issue.path.map(String).join(".");
  const code = FIELD_CODES[String(issue.path[0])] ?? "BAD_REQUEST";
  if (field === "") {
    return new ApiError(
      "BAD_REQUEST",
      `Invalid request: expected ${issue.message}`,
    );
  }
  const value = valueAt(input, issue.path);
  if (value === undefined) {
    return new ApiError(code, `Missing "${field}": expected ${issue.message}`);
  }
  const shown = field === "key" || field === "token"
    ? "(redacted)"
    : show(value);
  return new ApiError(
    code,
    `Invalid "${field}": ${shown} is not allowed; expected ${issue.message}`,
  );
}

/**
 * A router whose validation failures answer `400 BAD_REQUEST` (or the field's own code)
 * through the app's error handler.
 *
 * @returns The router.
 */
export function router(): OpenAPIHono<BlankEnv> {
  return new OpenAPIHono<BlankEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const input = "data" in result ? result.data : undefined;
      throw validationError(result.error, input);
    },
  });
}

/** `allow` for zod messages: every failure of the schema says what is allowed. */
export function allow(allowed: string): { error: string } {
  return { error: allowed };
}

/** The body of every error answer. */
export const ErrorSchema = z.object({
  error: z.object({
    code: z.string().openapi({
      description: "Stable SCREAMING_SNAKE code",
      examples: Object.keys(ERROR_STATUS),
    }),
    message: z.string().openapi({ description: "One line" }),
  }),
}).openapi("Error");

const ERROR_TEXT: Readonly<Record<number, string>> = {
  400:
    "Bad input (BAD_REQUEST, BAD_ADDRESS, BAD_MASK, BAD_PATH, BAD_BAUD_RATE, CONFIRMATION_REQUIRED, INVALID_CONFIG, …)",
  401: "Bearer token missing or wrong (UNAUTHORIZED)",
  403: "Foreign host or cross-site request (HOST_NOT_ALLOWED, CROSS_SITE)",
  404: "No such instance, job, meter or value (NOT_FOUND)",
  409: "The bus is busy (BUS_BUSY) or the scan has finished (SCAN_FINISHED)",
  413: "Body larger than 64 KiB (PAYLOAD_TOO_LARGE)",
  415: "Body not sent as application/json (UNSUPPORTED_MEDIA_TYPE)",
  422: "Not supported by this gateway (UNSUPPORTED)",
  502:
    "Meters answered at once (COLLISION) or not with a usable frame (BAD_ANSWER)",
  503:
    "Bus closed, stopped or unreachable (CLOSED, STOPPED, IO, CONNECT_FAILED, ABORTED)",
  504: "The meter did not answer (NO_RESPONSE, TIMEOUT)",
};

/** One error response of the document. */
type ErrorResponse = {
  description: string;
  content: { "application/json": { schema: typeof ErrorSchema } };
};

/**
 * Error responses of an operation.
 *
 * @param statuses The statuses it may answer with.
 * @returns The `responses` entries.
 */
export function errors(
  ...statuses: (keyof typeof ERROR_TEXT)[]
): Record<number, ErrorResponse> {
  const out: Record<number, ErrorResponse> = {};
  for (const s of statuses) {
    out[s] = {
      description: ERROR_TEXT[s] ?? "Error",
      content: { "application/json": { schema: ErrorSchema } },
    };
  }
  return out;
}

/** The errors of a read-only route about an instance. */
export const READ_ERRORS = [400, 403, 404] as const;
/** The errors of a mutating route. */
export const WRITE_ERRORS = [400, 401, 403, 404, 413, 415] as const;
/** The errors of a command that goes to the bus. */
export const BUS_ERRORS = [...WRITE_ERRORS, 409, 502, 503, 504] as const;

/** Operations that need the bearer token (when one is set). */
export const SECURED: { bearerAuth: string[] }[] = [{ bearerAuth: [] }];

/** The instance name in the URL. */
export const NameParams = z.object({
  name: z.string().min(1).openapi({
    param: { name: "name", in: "path" },
    description: "Instance name",
    example: "heat",
  }),
});

/**
 * A JSON response entry.
 *
 * @param schema The body's schema.
 * @param description What it is.
 * @returns The entry.
 */
export function json<T extends z.ZodType>(
  schema: T,
  description: string,
): { description: string; content: { "application/json": { schema: T } } } {
  return { description, content: { "application/json": { schema } } };
}

/**
 * A required JSON request body.
 *
 * @param schema The body's schema.
 * @returns The `request.body` entry.
 */
export function body<T extends z.ZodType>(
  schema: T,
): {
  required: true;
  content: { "application/json": { schema: T } };
} {
  return { required: true, content: { "application/json": { schema } } };
}

/** A schema with an example, both in the document; a test parses each example with its schema. */
export interface Example {
  /** Where it is used. */
  readonly name: string;
  /** The schema. */
  readonly schema: z.ZodType;
  /** The example value. */
  readonly example: unknown;
}

/** Every example given through {@link withExample}. */
export const EXAMPLES: Example[] = [];

/**
 * Gives a schema an example (shown in the document) and records it for the test.
 *
 * @param name Where it is used, for the test's messages.
 * @param schema The schema.
 * @param example The example value.
 * @returns The schema with the example.
 */
export function withExample<T extends z.ZodType>(
  name: string,
  schema: T,
  example: z.input<T>,
): T {
  EXAMPLES.push({ name, schema, example });
  return schema.openapi({ example }) as T;
}

/**
 * Answers with JSON data whose shape the gateway owns (already passed through `toJson`).
 *
 * @param c The context.
 * @param data The body.
 * @param status The status.
 * @returns The response, typed for any declared JSON response.
 */
export function send(c: Context, data: unknown, status = 200): never {
  return c.json(data as never, status as never) as never;
}
