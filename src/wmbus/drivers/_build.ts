/**
 * Short constructors for driver tables (they only build plain data).
 *
 * @module
 */

import type {
  Lookup,
  Matcher,
  NumField,
  StatusField,
  TextField,
} from "./_spec.ts";

/**
 * A numeric field.
 *
 * @param name Field name (without unit).
 * @param unit Output unit suffix.
 * @param match Matcher.
 * @param extra Other options.
 * @returns The spec.
 */
export function num(
  name: string,
  unit: string,
  match: Matcher,
  extra: Partial<Omit<NumField, "kind" | "name" | "unit" | "match">> = {},
): NumField {
  return { kind: "num", name, unit, match, ...extra };
}

/**
 * A text field.
 *
 * @param name Field name.
 * @param format How to print the record.
 * @param match Matcher.
 * @param extra Other options.
 * @returns The spec.
 */
export function text(
  name: string,
  format: TextField["format"],
  match: Matcher,
  extra: Partial<Omit<TextField, "kind" | "name" | "format" | "match">> = {},
): TextField {
  return { kind: "text", name, format, match, ...extra };
}

/**
 * The status field.
 *
 * @param extra Matcher, lookups, TPL options.
 * @returns The spec.
 */
export function status(
  extra: Partial<Omit<StatusField, "kind">> = {},
): StatusField {
  return { kind: "status", name: "status", ...extra };
}

/**
 * A bit lookup.
 *
 * @param name Prefix for unknown bits.
 * @param mask Bits considered.
 * @param map value → name pairs.
 * @param dflt Text when no bit is set (null: nothing).
 * @returns The lookup.
 */
export function bits(
  name: string,
  mask: number,
  map: readonly (readonly [number, string])[],
  dflt: string | null = "OK",
): Lookup {
  return dflt === null
    ? { type: "bits", name, mask, map }
    : { type: "bits", name, mask, map, default: dflt };
}

/**
 * An index lookup.
 *
 * @param name Prefix for unknown values.
 * @param mask Bits considered.
 * @param map value → name pairs.
 * @returns The lookup.
 */
export function index(
  name: string,
  mask: number,
  map: readonly (readonly [number, string])[],
): Lookup {
  return { type: "index", name, mask, map };
}

/** Common matchers. */
export const I = "instantaneous" as const;
