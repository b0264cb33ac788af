/**
 * Techem payload layouts: the values at fixed places of a manufacturer payload, turned
 * into the records they stand for (a header such as `42 15` for "volume, storage 1"), so a
 * Techem driver reads its fields the same way whether the meter sent its own payload
 * (CI A0–A2) or standard records. Where both are present, a layout value takes the place
 * of a record with the same header, and a field matched by kind (volume, storage 1) takes
 * whichever value starts first in the payload (the order the reference reads them in).
 *
 * Layout values are counters and Techem date words: unsigned, unlike the two's complement
 * integers of standard records (see docs/conformance.md).
 *
 * @module
 */

import { type DvEntry, rawNumber, splitRecords } from "./_records.ts";
import type { HookContext, Matcher } from "./_spec.ts";
import type { DriverTelegram } from "./_types.ts";
import { compileMatcher, pickCompiled } from "./_matcher.ts";
import { vifFactor } from "./_vif_ref.ts";

/** One value of a layout: the record header it stands for, its offset and width. */
export type LayoutValue = readonly [
  header: readonly number[],
  at: number,
  width: number,
];

/** The records a Techem driver reads: layout values first where they apply. */
export interface TechemRecords {
  /** Records in the order fields pick them. */
  readonly entries: readonly DvEntry[];
  /** The records made from the layout (read unsigned). */
  readonly fromLayout: ReadonlySet<DvEntry>;
  /** True when the payload fits the layout. */
  readonly matched: boolean;
}

/** Compact-frame CIs (no, short, long header): signature and data CRC lead the data. */
const COMPACT_CI: ReadonlySet<number> = new Set([0x79, 0x7b, 0x73]);

/**
 * The bytes a layout is read from: the application data, without the `2F 2F` check
 * bytes that lead a decrypted payload (they belong to the security layer); in a compact
 * frame, after the format signature and data CRC (where the reference reads it).
 *
 * @param t The telegram.
 * @returns The bytes and their offset in the payload.
 */
export function layoutInput(
  t: DriverTelegram,
): { data: Uint8Array; start: number } {
  const p = t.payload;
  const mode = ((t.tpl?.config ?? 0) >> 8) & 0x1f;
  let start = mode !== 0 && p[0] === 0x2f && p[1] === 0x2f ? 2 : 0;
  if (COMPACT_CI.has(t.ci)) start += 4;
  return { data: p.subarray(start), start };
}

/**
 * The records of a telegram merged with its layout values (standard records only when the
 * telegram has a TPL header).
 *
 * @param ctx The hook context (telegram and the records found in its payload).
 * @param layout The layout values.
 * @param fits Whether a payload of this length fits the layout.
 * @returns The merged records.
 */
export function techemRecords(
  ctx: HookContext,
  layout: readonly LayoutValue[],
  fits: (length: number) => boolean,
): TechemRecords {
  const t = ctx.telegram;
  const real = t.tpl === null ? [] : ctx.entries;
  const { data, start } = layoutInput(t);
  if (!fits(data.length)) {
    return { entries: real, fromLayout: new Set(), matched: false };
  }
  const bytes: number[] = [];
  for (const [header, at, width] of layout) {
    bytes.push(...header);
    for (let i = 0; i < width; i++) bytes.push(data[at + i] ?? 0);
  }
  const made = splitRecords(Uint8Array.from(bytes)).entries;
  const keys = new Set(made.map((e) => e.key));
  // Every record sits where its value starts (layout values at their offset); the first
  // match in that order wins, a layout value before a record whose value starts there too.
  const placed: { e: DvEntry; at: number; made: boolean }[] = made.map((
    e,
    i,
  ) => ({ e, at: layout[i]?.[1] ?? 0, made: true }));
  const base = t.payload.byteOffset + start;
  // A compact frame's records were expanded from its data: each sits where its value
  // starts in that data (the values follow each other there, as the layout's do).
  const compact = COMPACT_CI.has(t.ci);
  let inData = 0;
  for (const e of real) {
    const at = compact ? inData : e.data.byteOffset - base;
    inData += e.data.length;
    if (keys.has(e.key)) continue;
    placed.push({ e, at, made: false });
  }
  placed.sort((a, b) => a.at - b.at || Number(b.made) - Number(a.made));
  return {
    entries: placed.map((p) => p.e),
    fromLayout: new Set(made),
    matched: true,
  };
}

/**
 * A number from the first matching record: layout values unsigned, standard records as
 * their coding says (or unsigned when asked); the VIF factor applied unless `raw`.
 *
 * @param r The records.
 * @param m Which record.
 * @param options `raw`: no VIF factor; `unsigned`: read standard records unsigned too;
 *   `signed`: read layout values signed too.
 * @returns The value, or undefined when absent.
 */
export function techemNumber(
  r: TechemRecords,
  m: Matcher,
  options: { raw?: boolean; unsigned?: boolean; signed?: boolean } = {},
): number | undefined {
  const e = pickCompiled(compiled(m), r.entries);
  if (e === undefined) return undefined;
  const signed = r.fromLayout.has(e)
    ? options.signed === true
    : options.unsigned !== true;
  const v = rawNumber(e, signed);
  if (v === undefined || Number.isNaN(v)) return undefined;
  return options.raw === true ? v : v * vifFactor(e.vif);
}

const COMPILED = new Map<Matcher, ReturnType<typeof compileMatcher>>();

function compiled(m: Matcher): ReturnType<typeof compileMatcher> {
  let c = COMPILED.get(m);
  if (c === undefined) COMPILED.set(m, c = compileMatcher(m));
  return c;
}

/** A record matcher by DIF/VIF key (shared instances, compiled once). */
const KEYS = new Map<string, Matcher>();

/**
 * The matcher of one DIF/VIF key.
 *
 * @param key Upper-case hex.
 * @returns The matcher.
 */
export function byKey(key: string): Matcher {
  let m = KEYS.get(key);
  if (m === undefined) KEYS.set(key, m = { key });
  return m;
}

/**
 * A date counted as the reference counts it: whole months from January 2000, then days,
 * so month 0 is December of the year before and day 0 the last day of the month before.
 *
 * @param year Years since 2000.
 * @param month Month (0–15).
 * @param day Day (0–31).
 * @returns `YYYY-MM-DD`.
 */
export function techemDate(year: number, month: number, day: number): string {
  const d = new Date(Date.UTC(2000 + year, month - 1, day));
  return Number.isNaN(d.getTime()) ? "" : d.toISOString().slice(0, 10);
}

/**
 * Techem "previous date" word: day (5 bits), month (4 bits), years since 2000 (7 bits).
 *
 * @param v The 16-bit value.
 * @returns Years since 2000, month, day.
 */
export function previousDateParts(
  v: number,
): { year: number; month: number; day: number } {
  return { year: v >> 9, month: (v >> 5) & 0x0f, day: v & 0x1f };
}

/**
 * Techem "current date" word (no year): day in bits 4–8, month in bits 9–12. The year is
 * the previous date's, plus one when the date does not come after it.
 *
 * @param v The 16-bit value.
 * @param prev The previous date's parts.
 * @param fix Replace day 0 by 1 and month 0 by 12 first (fhkvdataiii).
 * @returns `YYYY-MM-DD`.
 */
export function currentDateText(
  v: number,
  prev: { year: number; month: number; day: number },
  fix = false,
): string {
  let day = (v >> 4) & 0x1f;
  let month = (v >> 9) & 0x0f;
  if (fix && day === 0) day = 1;
  if (fix && month === 0) month = 12;
  const after = month > prev.month || (month === prev.month && day > prev.day);
  return techemDate(after ? prev.year : prev.year + 1, month, day);
}
