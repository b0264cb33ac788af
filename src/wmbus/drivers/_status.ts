/**
 * Status texts: the TPL status byte, bit/index lookups and the merged `status` string.
 *
 * @module
 */

import type { Lookup } from "./_spec.ts";

function hexUpper(v: number): string {
  return (v >>> 0).toString(16).toUpperCase();
}

/**
 * Applies one lookup to a value.
 *
 * @param lookup The lookup.
 * @param value The (unsigned) value.
 * @returns Words (may be empty when nothing applies and there is no default).
 */
export function applyLookup(lookup: Lookup, value: number): string[] {
  const v = (value & lookup.mask) >>> 0;
  if (lookup.type === "index") {
    const hit = lookup.map.find(([k]) => k === v);
    if (hit !== undefined) return [hit[1]];
    return [`${lookup.name}_${hexUpper(v)}`];
  }
  if (v === 0) return lookup.default !== undefined ? [lookup.default] : [];
  if (lookup.type === "decimals") return decimalWords(lookup, v);
  const words: string[] = [];
  let covered = 0;
  for (const [k, name] of lookup.map) {
    // An entry may cover several bits; it applies when any of them is set.
    if (k !== 0 && (v & k) >>> 0 !== 0) {
      words.push(name);
      covered = (covered | k) >>> 0;
    }
  }
  const unknown = (v & ~covered) >>> 0;
  if (unknown !== 0) words.push(`${lookup.name}_${hexUpper(unknown)}`);
  return words;
}

/** Splits a sum of decimal codes, largest first. */
function decimalWords(lookup: Lookup, value: number): string[] {
  const words: string[] = [];
  let rest = value;
  for (const [k, name] of [...lookup.map].sort((a, b) => b[0] - a[0])) {
    if (k > 0 && rest >= k) {
      words.push(name);
      rest -= k;
    }
  }
  if (rest !== 0) words.push(`${lookup.name}_${rest}`);
  return words;
}

/**
 * Words of a list of lookups (each lookup applied to the same value).
 *
 * @param lookups Lookups.
 * @param value Value.
 * @returns The words, `OK`-only results collapsed.
 */
export function lookupText(lookups: readonly Lookup[], value: number): string {
  return cached(
    TEXTS,
    lookups,
    value,
    () => joinStatus(lookups.flatMap((l) => applyLookup(l, value))),
  );
}

/** No lookups (one shared list, so that its results are cached too). */
export const NO_LOOKUPS: readonly Lookup[] = [];

/** Values kept per lookup list before its cache starts again (a bound on memory). */
const MAX_CACHED = 256;

/** Results of {@link lookupText} and {@link lookupWords} per lookup list and value. */
const TEXTS = new WeakMap<readonly Lookup[], Map<number, string>>();
const WORDS = new WeakMap<readonly Lookup[], Map<number, string>>();

function cached(
  cache: WeakMap<readonly Lookup[], Map<number, string>>,
  lookups: readonly Lookup[],
  value: number,
  make: () => string,
): string {
  let m = cache.get(lookups);
  if (m === undefined) {
    m = new Map();
    cache.set(lookups, m);
  }
  let text = m.get(value);
  if (text === undefined) {
    text = make();
    if (m.size >= MAX_CACHED) m.clear();
    m.set(value, text);
  }
  return text;
}

/**
 * Words of a list of lookups as a text field: sorted, space separated, `""` when none.
 *
 * @param lookups Lookups.
 * @param value Value.
 * @returns The text.
 */
export function lookupWords(lookups: readonly Lookup[], value: number): string {
  return cached(WORDS, lookups, value, () => {
    const words = new Set(lookups.flatMap((l) => applyLookup(l, value)));
    return [...words].sort().join(" ");
  });
}

/**
 * Words for the TPL status byte: bits named by the driver's `mfct` lookup first, then the
 * standard bits; other manufacturer bits (5–7) as `UNKNOWN_xx`.
 *
 * @param sts The status byte.
 * @param mfct Optional driver-specific names for bits of the byte.
 * @returns Words (empty when the byte is 0).
 */
export function tplStatusWords(sts: number, mfct?: Lookup): string[] {
  const w: string[] = [];
  let rest = sts;
  for (const [bit, name] of mfct?.map ?? []) {
    if ((rest & bit) === bit && bit !== 0) {
      w.push(name);
      rest &= ~bit;
    }
  }
  if ((rest & 0x03) === 0x01) w.push("BUSY");
  if ((rest & 0x03) === 0x02) w.push("ERROR");
  if ((rest & 0x03) === 0x03) w.push("ALARM");
  if ((rest & 0x04) !== 0) w.push("POWER_LOW");
  if ((rest & 0x08) !== 0) w.push("PERMANENT_ERROR");
  if ((rest & 0x10) !== 0) w.push("TEMPORARY_ERROR");
  const m = rest & 0xe0;
  if (m !== 0) w.push(`UNKNOWN_${hexUpper(m).padStart(2, "0")}`);
  return w;
}

/**
 * Joins status words: drops `OK` and empties, removes duplicates, sorts; `OK` when none.
 *
 * @param words Words.
 * @returns The status text.
 */
export function joinStatus(words: readonly string[]): string {
  if (words.length === 0) return "OK";
  if (words.length === 1) {
    const w = words[0] ?? "";
    if (w !== "" && w !== "OK" && !w.includes(" ")) return w;
  }
  const set = new Set<string>();
  for (const w of words) {
    for (const part of w.split(" ")) {
      if (part !== "" && part !== "OK") set.add(part);
    }
  }
  if (set.size === 0) return "OK";
  return [...set].sort().join(" ");
}
