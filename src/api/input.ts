/**
 * Request input, parsed once at the edge: JSON bodies, integer and string fields, times.
 * Every failure is an {@link ApiError} with code `BAD_REQUEST` (400) naming the field.
 *
 * @module
 */
import type { Context } from "hono";
import { ApiError } from "./errors.ts";

/** A parsed JSON object body. */
export type Body = Readonly<Record<string, unknown>>;

/**
 * Reads the request body as a JSON object (an empty body counts as `{}`). Its size is
 * bounded by the app's body-limit middleware.
 *
 * @param c Request context.
 * @returns The object.
 */
export async function readBody(c: Context): Promise<Body> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ApiError(
      "BAD_REQUEST",
      `Cannot parse the body as JSON: ${
        e instanceof Error ? e.message : String(e)
      }`,
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ApiError(
      "BAD_REQUEST",
      "Cannot read the body: expected a JSON object",
    );
  }
  return parsed as Body;
}

/**
 * An integer field (a number, or a decimal string as query values are).
 *
 * @param value The raw value.
 * @param field Field name for the message.
 * @param range Allowed range, inclusive.
 * @returns The integer, or undefined when absent.
 */
export function optionalInt(
  value: unknown,
  field: string,
  range: { min: number; max: number },
): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = typeof value === "string" && /^-?\d+$/.test(value.trim())
    ? Number(value)
    : value;
  if (
    typeof n !== "number" || !Number.isInteger(n) || n < range.min ||
    n > range.max
  ) {
    throw new ApiError(
      "BAD_REQUEST",
      `Invalid "${field}": ${
        JSON.stringify(value)
      } is not an integer in ${range.min}..${range.max}`,
    );
  }
  return n;
}

/**
 * A required integer field.
 *
 * @param value The raw value.
 * @param field Field name for the message.
 * @param range Allowed range, inclusive.
 * @returns The integer.
 */
export function requiredInt(
  value: unknown,
  field: string,
  range: { min: number; max: number },
): number {
  const n = optionalInt(value, field, range);
  if (n === undefined) throw new ApiError("BAD_REQUEST", `Missing "${field}"`);
  return n;
}

/**
 * An address field: a string, or a number for a primary address.
 *
 * @param value The raw value.
 * @param field Field name for the message.
 * @returns The address text.
 */
export function requiredAddress(value: unknown, field = "address"): string {
  if (typeof value === "number" && Number.isInteger(value)) {
    return String(value);
  }
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  throw new ApiError(
    "BAD_REQUEST",
    `Missing "${field}": expected a primary address (0..250) or a secondary address`,
  );
}

/**
 * An optional string field.
 *
 * @param value The raw value.
 * @param field Field name for the message.
 * @returns The string, or undefined when absent.
 */
export function optionalString(
  value: unknown,
  field: string,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    throw new ApiError("BAD_REQUEST", `Invalid "${field}": expected a string`);
  }
  return value;
}

/**
 * Requires `confirm: true` for a command that changes a meter.
 *
 * @param body The request body.
 * @param what What would be changed, for the message.
 */
export function requireConfirmation(body: Body, what: string): void {
  if (body.confirm !== true) {
    throw new ApiError(
      "CONFIRMATION_REQUIRED",
      `Cannot ${what} without confirmation: send "confirm": true`,
    );
  }
}

/**
 * A point in time: milliseconds since the epoch, or an ISO 8601 date-time.
 *
 * @param value The query value.
 * @param field Field name for the message.
 * @returns Milliseconds since the epoch, or undefined when absent.
 */
export function optionalTime(
  value: string | undefined,
  field: string,
): number | undefined {
  if (value === undefined || value === "") return undefined;
  const ms = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new ApiError(
      "BAD_REQUEST",
      `Invalid "${field}": "${value}" is neither epoch milliseconds nor an ISO 8601 time`,
    );
  }
  return ms;
}
