/**
 * Small typed readers for config validation: each names the key path, the bad value and
 * what is allowed, and throws {@link ConfigError}.
 *
 * @module
 */
import { ConfigError } from "../../util/mod.ts";

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** Short printable form of a bad value. */
export function show(v: unknown): string {
  const text = v === undefined ? "undefined" : JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Throws a ConfigError naming the path, the value and what is allowed. */
export function bad(path: string, value: unknown, allowed: string): never {
  throw new ConfigError(
    path,
    `Invalid config at "${path}": ${
      show(value)
    } is not allowed; expected ${allowed}`,
  );
}

/** Asserts a plain object. */
export function asObject(v: unknown, path: string): JsonObject {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    bad(path, v, "an object");
  }
  return v as JsonObject;
}

/** Rejects keys not in `allowed`. */
export function checkKeys(
  obj: JsonObject,
  path: string,
  allowed: readonly string[],
): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(
        `${path}.${key}`,
        `Invalid config at "${path}.${key}": unknown key; allowed keys are ${
          allowed.join(", ")
        }`,
      );
    }
  }
}

/** A string, or the default when absent. */
export function str(
  obj: JsonObject,
  key: string,
  path: string,
  fallback: string,
): string {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (typeof v !== "string") bad(`${path}.${key}`, v, "a string");
  return v;
}

/** A boolean, or the default when absent. */
export function bool(
  obj: JsonObject,
  key: string,
  path: string,
  fallback: boolean,
): boolean {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (typeof v !== "boolean") bad(`${path}.${key}`, v, "true or false");
  return v;
}

/** An integer within [min, max], or the default when absent. */
export function int(
  obj: JsonObject,
  key: string,
  path: string,
  range: { min: number; max: number; fallback: number },
): number {
  const v = obj[key];
  if (v === undefined) return range.fallback;
  if (
    typeof v !== "number" || !Number.isInteger(v) || v < range.min ||
    v > range.max
  ) {
    bad(
      `${path}.${key}`,
      v,
      `an integer from ${range.min} to ${range.max}`,
    );
  }
  return v;
}

/** A finite number, or the default when absent. */
export function num(
  obj: JsonObject,
  key: string,
  path: string,
  fallback: number,
): number {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    bad(`${path}.${key}`, v, "a finite number");
  }
  return v;
}
