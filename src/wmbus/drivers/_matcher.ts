/**
 * Record matchers of the driver tables, compiled once per matcher: number ranges become
 * bounds and a VIF range name becomes a bitmap over VIF codes, so matching a record is a
 * few comparisons.
 *
 * @module
 */

import type { DvEntry, MeasurementType } from "./_records.ts";
import type { Matcher, NrRange } from "./_spec.ts";
import { vifMask, vifSlot } from "./_vif_ref.ts";

/** A matcher ready to test records. */
export interface CompiledMatcher {
  readonly key: string | undefined;
  readonly mt: MeasurementType | undefined;
  /** One byte per VIF slot (see `vifSlot`): 1 inside the range; undefined for any VIF. */
  readonly vifs: Uint8Array | undefined;
  readonly storageLo: number;
  readonly storageHi: number;
  readonly tariffLo: number;
  readonly tariffHi: number;
  readonly subunitLo: number;
  readonly subunitHi: number;
  readonly combinables: readonly string[] | "*";
  /** 1-based index of the match to take. */
  readonly index: number;
  /**
   * A matcher over a range of storage, tariff or subunit numbers (and no index) takes the
   * last match, as the reference does: each later record overwrites the field.
   */
  readonly lastWins: boolean;
}

const COMPILED = new WeakMap<Matcher, CompiledMatcher>();

function bounds(r: NrRange | undefined): readonly [number, number] {
  if (r === undefined) return [0, 0];
  if (typeof r === "number") return [r, r];
  return r;
}

/**
 * The compiled form of a matcher (made on first use, then kept).
 *
 * @param m Matcher from a driver table.
 * @returns The compiled matcher.
 */
export function compileMatcher(m: Matcher): CompiledMatcher {
  let c = COMPILED.get(m);
  if (c !== undefined) return c;
  const [storageLo, storageHi] = bounds(m.storage);
  const [tariffLo, tariffHi] = bounds(m.tariff);
  const [subunitLo, subunitHi] = bounds(m.subunit);
  c = {
    key: m.key,
    mt: m.mt,
    vifs: m.vif === undefined ? undefined : vifMask(m.vif),
    storageLo,
    storageHi,
    tariffLo,
    tariffHi,
    subunitLo,
    subunitHi,
    combinables: m.combinables ?? [],
    index: m.index ?? 1,
    lastWins: m.index === undefined && m.key === undefined &&
      (storageLo !== storageHi || tariffLo !== tariffHi ||
        subunitLo !== subunitHi),
  };
  COMPILED.set(m, c);
  return c;
}

/**
 * Whether a record matches a compiled matcher.
 *
 * @param m Compiled matcher.
 * @param e Record.
 * @returns True on match.
 */
export function matchesCompiled(m: CompiledMatcher, e: DvEntry): boolean {
  if (m.key !== undefined) return e.key === m.key;
  if (e.storage < m.storageLo || e.storage > m.storageHi) return false;
  if (m.vifs !== undefined && m.vifs[vifSlot(e.vif)] !== 1) return false;
  if (m.mt !== undefined && m.mt !== e.mt) return false;
  if (e.tariff < m.tariffLo || e.tariff > m.tariffHi) return false;
  if (e.subunit < m.subunitLo || e.subunit > m.subunitHi) return false;
  const want = m.combinables;
  if (want === "*") return true;
  const have = e.combinables;
  if (want.length !== have.length) return false;
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? "";
    if (w.length === 5 && w[2] === "-") {
      // A range of one-byte combinable codes, e.g. "00-1F" (record error codes).
      if (
        !have.some((h) =>
          h.length === 2 && h >= w.slice(0, 2) && h <= w.slice(3)
        )
      ) {
        return false;
      }
    } else if (!have.includes(w)) return false;
  }
  return true;
}

/**
 * Whether a record matches a matcher.
 *
 * @param m Matcher.
 * @param e Record.
 * @returns True on match.
 */
export function matches(m: Matcher, e: DvEntry): boolean {
  return matchesCompiled(compileMatcher(m), e);
}

/**
 * The record a matcher selects: its `index`-th match (1-based) in telegram order.
 *
 * @param m Compiled matcher.
 * @param entries Records.
 * @returns The record, or undefined.
 */
export function pickCompiled(
  m: CompiledMatcher,
  entries: readonly DvEntry[],
): DvEntry | undefined {
  let left = m.index;
  let last: DvEntry | undefined;
  for (const e of entries) {
    if (!matchesCompiled(m, e)) continue;
    if (!m.lastWins) {
      if (--left === 0) return e;
    } else last = e;
  }
  return last;
}
