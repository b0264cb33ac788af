/**
 * Techem MK Radio water meters: mkradio3, mkradio4 (previous and current period volumes
 * in 0.1 m³, Techem date words) and mkradio3a (a date, the total and twelve monthly
 * consumptions). The values sit at fixed places of the manufacturer payload (CI A2); the
 * same values sent as standard records are read too (see techem_layout.ts). Values the
 * telegram does not hold print as `null`, like the reference.
 *
 * @module
 */

import type { DriverDef, HookContext, Matcher } from "./_spec.ts";
import { round6 } from "./_records.ts";
import {
  byKey,
  currentDateText,
  type LayoutValue,
  previousDateParts,
  techemDate,
  techemNumber,
  techemRecords,
} from "./techem_layout.ts";

const DATE_WORD = { raw: true, unsigned: true } as const;

/** MK Radio 3: format byte, previous date, previous volume, current date, current volume. */
const MK3_LAYOUT: LayoutValue[] = [
  [[0x02, 0xfd, 0x3a], 1, 2],
  [[0x42, 0x15], 3, 2],
  [[0x42, 0xfd, 0x3a], 5, 2],
  [[0x02, 0x15], 7, 2],
];
const VOLUME_NOW: Matcher = { mt: "instantaneous", vif: "Volume" };
const VOLUME_PREV: Matcher = { ...VOLUME_NOW, storage: 1 };

/** Techem MK Radio 3 water meters. */
export const MKRADIO3: DriverDef = {
  name: "mkradio3",
  detect: [["TCH", 0x74, 0x62], ["TCH", 0x74, 0x72]],
  fields: [],
  after(ctx: HookContext): void {
    const r = techemRecords(ctx, MK3_LAYOUT, (n) => n >= 9);
    const f = ctx.fields;
    const target = techemNumber(r, VOLUME_PREV);
    const current = techemNumber(r, VOLUME_NOW);
    f.total_m3 = target === undefined || current === undefined
      ? null
      : round6(target + current);
    if (target !== undefined) f.target_m3 = round6(target);
    const prevRaw = techemNumber(r, byKey("02FD3A"), DATE_WORD);
    const currRaw = techemNumber(r, byKey("42FD3A"), DATE_WORD);
    const prev = prevRaw === undefined ? undefined : previousDateParts(prevRaw);
    // Without both words the reference prints a date from absent values; mbusgw prints null.
    f.current_date = prev === undefined || currRaw === undefined
      ? null
      : currentDateText(currRaw, prev);
    f.prev_date = prev === undefined
      ? null
      : techemDate(prev.year, prev.month, prev.day);
  },
};

/** MK Radio 4: the previous volume at bytes 3–4, the current one at 7–8. */
const MK4_LAYOUT: LayoutValue[] = [[[0x42, 0x15], 3, 2], [[0x02, 0x15], 7, 2]];

/** Techem MK Radio 4 water meters. */
export const MKRADIO4: DriverDef = {
  name: "mkradio4",
  detect: [["TCH", 0x95, 0x62], ["TCH", 0x70, 0x62], ["TCH", 0x95, 0x72], [
    "TCH",
    0x70,
    0x72,
  ]],
  fields: [],
  after(ctx: HookContext): void {
    const r = techemRecords(ctx, MK4_LAYOUT, (n) => n >= 9);
    const prev = techemNumber(r, byKey("4215"));
    const curr = techemNumber(r, byKey("0215"));
    ctx.fields.total_m3 = prev === undefined || curr === undefined
      ? null
      : round6(prev + curr);
    ctx.fields.target_m3 = prev === undefined ? null : round6(prev);
  },
};

const MONTHS = [
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
] as const;

/**
 * MK Radio 3a (exactly 44 bytes): two bytes, the date word (day, month, years since 2000
 * in 5/4/7 bits), the total (24 bits, 0.1 m³), then twelve history words each after a
 * byte, and a last byte.
 */
const MK3A_LAYOUT: LayoutValue[] = [
  [[0x02, 0xfd, 0x3a], 2, 2],
  [[0x03, 0xfd, 0x3a], 4, 3],
  ...Array.from(
    { length: 12 },
    (_, k): LayoutValue => [[0x82, k, 0xfd, 0x3a], 8 + 3 * k, 2],
  ),
];
const HIST_KEYS = Array.from(
  { length: 12 },
  (_, k) => byKey(`82${k.toString(16).toUpperCase().padStart(2, "0")}FD3A`),
);

/**
 * The consumption of the current month and the eleven before it, from the history
 * words: on day 1–15 each month is the high byte of the word before plus the low byte of
 * its own word (the current month the low byte alone), later both bytes of its own word.
 */
function monthSums(hist: readonly number[], early: boolean): number[] {
  const lo = (k: number) => (hist[k] ?? 0) % 256;
  const hi = (k: number) => Math.floor((hist[k] ?? 0) / 256);
  return hist.map((_, k) =>
    early ? (k === 0 ? lo(0) : hi(k - 1) + lo(k)) : lo(k) + hi(k)
  );
}

/** Techem MK Radio 3a water meters. */
export const MKRADIO3A: DriverDef = {
  name: "mkradio3a",
  detect: [["TCH", 0x50, 0x72]],
  media: "cold water",
  fields: [],
  after(ctx: HookContext): void {
    const r = techemRecords(ctx, MK3A_LAYOUT, (n) => n === 44);
    const f = ctx.fields;
    const total = techemNumber(r, byKey("03FD3A"), { raw: true });
    f.total_m3 = total === undefined ? null : round6(total / 10);
    const date = techemNumber(r, byKey("02FD3A"), DATE_WORD);
    const hist = HIST_KEYS.map((m) => techemNumber(r, m, { raw: true }));
    const known = hist.every((h) => h !== undefined);
    const day = date === undefined ? 0 : date % 32;
    const month = date === undefined ? 0 : (date >> 5) % 16;
    const rel = date === undefined || !known
      ? undefined
      : monthSums(hist as number[], day <= 15);
    f.target_m3 = rel === undefined ? null : round6((rel[0] ?? 0) / 10);
    for (let j = 1; j <= 12; j++) {
      const key = `last_${MONTHS[j - 1]}_m3`;
      // Month j is `month - j` months back; a month outside 1–12 names none of them.
      const back = (month - j + 12) % 12;
      f[key] = rel === undefined
        ? null
        : month >= 1 && month <= 12
        ? round6((rel[back] ?? 0) / 10)
        : 0;
    }
    f.target_date = date === undefined
      ? null
      : techemDate(date >> 9, month, day);
  },
};

/** The Techem water meters. */
export const TECHEM_WATER_DRIVERS: readonly DriverDef[] = [
  MKRADIO3,
  MKRADIO3A,
  MKRADIO4,
];
