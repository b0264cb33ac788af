/**
 * Gateway objects to plain JSON: bigints, bytes, dates, maps and errors get a JSON shape,
 * methods are dropped, and every `key` (AES keys of encrypted meters) is removed and
 * replaced by `hasKey: true`. Everything the API returns passes through {@link toJson}.
 *
 * @module
 */
import { MbusError } from "../util/mod.ts";

/** A JSON value. */
export type Json =
  | null
  | boolean
  | number
  | string
  | Json[]
  | { [key: string]: Json };

/** Property names whose values are secrets and never leave the process. */
const SECRET_FIELDS: ReadonlySet<string> = new Set([
  "key",
  "aesKey",
  "keys",
  "token",
]);

const MAX_DEPTH = 32;

function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/**
 * Converts a value to JSON-safe data, redacting secrets.
 *
 * @param value Any value.
 * @returns Plain JSON data.
 */
export function toJson(value: unknown): Json {
  return convert(value, 0, new WeakSet());
}

function convert(value: unknown, depth: number, seen: WeakSet<object>): Json {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return Number.isSafeInteger(Number(value))
        ? Number(value)
        : value.toString();
    case "object":
      break;
    default:
      return null;
  }
  if (value === null || depth >= MAX_DEPTH) return null;
  if (seen.has(value)) return null;
  if (value instanceof Uint8Array) return hex(value);
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : value.toISOString();
  }
  if (value instanceof Error) {
    return {
      code: value instanceof MbusError ? value.code : "INTERNAL",
      message: value.message,
    };
  }
  const toJsonMethod = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJsonMethod === "function") {
    seen.add(value);
    try {
      return convert(toJsonMethod.call(value), depth + 1, seen);
    } finally {
      seen.delete(value);
    }
  }
  seen.add(value);
  try {
    if (Array.isArray(value) || value instanceof Set) {
      return [...value].map((v) => convert(v, depth + 1, seen));
    }
    const entries = value instanceof Map
      ? [...value.entries()].map(([k, v]) => [String(k), v] as const)
      : Object.entries(value);
    return convertEntries(entries, depth, seen);
  } finally {
    seen.delete(value);
  }
}

function convertEntries(
  entries: readonly (readonly [string, unknown])[],
  depth: number,
  seen: WeakSet<object>,
): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of entries) {
    if (typeof v === "function" || v === undefined) continue;
    if (SECRET_FIELDS.has(k)) {
      if (v !== null && v !== "") {
        out[`has${k[0]?.toUpperCase()}${k.slice(1)}`] = true;
      }
      continue;
    }
    out[k] = convert(v, depth + 1, seen);
  }
  return out;
}
