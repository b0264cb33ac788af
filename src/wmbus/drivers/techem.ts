/**
 * Techem radio telegrams with manufacturer CIs 0xA0–0xA2 (no TPL header, plain
 * proprietary payload): compact5, vario451 (heat), fhkvdataiii (HCA), tsd2 (smoke).
 *
 * @module
 */

import type { DriverDef, HookContext } from "./_spec.ts";
import { round6 } from "./_records.ts";

type Fail = { code: string; message: string };

function u16(p: Uint8Array, at: number): number {
  return (p[at] ?? 0) | ((p[at + 1] ?? 0) << 8);
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * Techem "previous date" (16 bits LE): day, month, year since 2000.
 *
 * @param v The 16-bit value.
 * @returns Year, month, day.
 */
export function techemPreviousDate(
  v: number,
): { year: number; month: number; day: number } {
  return { year: 2000 + (v >> 9), month: (v >> 5) & 0x0f, day: v & 0x1f };
}

/**
 * Techem "current date" (no year): the year of the previous date, plus one when the
 * day does not come after it.
 *
 * @param v The 16-bit value.
 * @param prev The previous date.
 * @returns The date text.
 */
export function techemCurrentDate(
  v: number,
  prev: { year: number; month: number; day: number },
): string {
  const day = (v >> 4) & 0x1f;
  const month = (v >> 9) & 0x0f;
  const after = month > prev.month || (month === prev.month && day > prev.day);
  return `${after ? prev.year : prev.year + 1}-${pad2(month)}-${pad2(day)}`;
}

/** A date text; an impossible day rolls over as `mktime` does (April 31 is May 1), as in the reference. */
function dateText(d: { year: number; month: number; day: number }): string {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).toISOString().slice(
    0,
    10,
  );
}

function tooShort(name: string): Fail {
  return {
    code: "TRUNCATED",
    message: `Cannot decode ${name} payload: too short`,
  };
}

/**
 * Heat: previous and current period energy at bytes 3 and 7, `width` bytes each, in the
 * given unit per step (Compact 5: 24 bits, Vario 4.5.1: 16 bits, as the reference reads).
 */
function heatAfter(name: string, kwhPerUnit: number, width: 2 | 3) {
  return (ctx: HookContext): Fail | void => {
    const p = ctx.telegram.payload;
    if (p.length < 7 + width) {
      // Like the reference: a payload too short for the values prints them as null.
      if (p.length < 3) return tooShort(name);
      ctx.fields.total_kwh = null;
      ctx.fields.current_kwh = null;
      ctx.fields.previous_kwh = null;
      return;
    }
    const at = (i: number) =>
      width === 2 ? u16(p, i) : u16(p, i) + (p[i + 2] ?? 0) * 65536;
    const previous = at(3);
    const current = at(7);
    ctx.fields.total_kwh = round6((previous + current) * kwhPerUnit);
    ctx.fields.current_kwh = round6(current * kwhPerUnit);
    ctx.fields.previous_kwh = round6(previous * kwhPerUnit);
  };
}

/** Techem Compact V / Compact 5 heat meters. */
export const COMPACT5: DriverDef = {
  name: "compact5",
  detect: [["TCH", 0x45, 0x04], ["TCH", 0x45, 0xc3], ["TCH", 0x22, 0x43], [
    "TCH",
    0x45,
    0x43,
  ], ["TCH", 0x39, 0x43]],
  fields: [],
  after: heatAfter("compact5", 1, 3),
};

/** Techem Vario 4 typ 4.5.1 heat meters (values in 1/1000 GJ). */
export const VARIO451: DriverDef = {
  name: "vario451",
  detect: [["TCH", 0x27, 0x04], ["TCH", 0x27, 0xc3]],
  fields: [],
  after: heatAfter("vario451", 1 / 3.6, 2),
};

/** Techem FHKV data III heat cost allocators. */
export const FHKVDATAIII: DriverDef = {
  name: "fhkvdataiii",
  detect: [["TCH", 0x69, 0x80], ["TCH", 0x94, 0x80]],
  fields: [],
  after(ctx: HookContext): Fail | void {
    const p = ctx.telegram.payload;
    // Format byte 0F (FHKV data III of version 94) has one more byte before the temperatures.
    const extra = ctx.telegram.payload[0] === 0x0f ? 1 : 0;
    if (p.length < 13 + extra) return tooShort("fhkvdataiii");
    const prev = techemPreviousDate(u16(p, 1));
    const f = ctx.fields;
    f.current_hca = u16(p, 7);
    f.current_date = techemCurrentDate(u16(p, 5), prev);
    f.previous_hca = u16(p, 3);
    f.previous_date = dateText(prev);
    // Temperatures are signed (0xFD74 is -6.52 °C, not 648.84 °C).
    const s16 = (at: number) => (u16(p, at) << 16) >> 16;
    f.temp_room_c = round6(s16(9 + extra) / 100);
    f.temp_radiator_c = round6(s16(11 + extra) / 100);
  },
};

/** Techem smoke detector TSD2. */
export const TSD2: DriverDef = {
  name: "tsd2",
  detect: [["TCH", 0x76, 0xf0]],
  fields: [],
  after(ctx: HookContext): Fail | void {
    const p = ctx.telegram.payload;
    if (p.length < 3) return tooShort("tsd2");
    const s = p[0] ?? 0;
    ctx.fields.status = s === 0
      ? "OK"
      : s === 1
      ? "SMOKE"
      : `STATUS_${s.toString(16).toUpperCase().padStart(2, "0")}`;
    ctx.fields.prev_date = dateText(techemPreviousDate(u16(p, 1)));
  },
};

/** Techem MK Radio 3 water meters (volumes in 0.1 m3). */
export const MKRADIO3: DriverDef = {
  name: "mkradio3",
  detect: [["TCH", 0x74, 0x62], ["TCH", 0x74, 0x72]],
  fields: [],
  after(ctx: HookContext): Fail | void {
    const p = ctx.telegram.payload;
    if (p.length < 9) return tooShort("mkradio3");
    const prev = techemPreviousDate(u16(p, 1));
    const target = u16(p, 3) / 10;
    ctx.fields.total_m3 = round6(target + u16(p, 7) / 10);
    ctx.fields.target_m3 = round6(target);
    ctx.fields.current_date = techemCurrentDate(u16(p, 5), prev);
    ctx.fields.prev_date = dateText(prev);
  },
};

/** Techem MK Radio 4 water meters (volumes in 0.1 m3). */
export const MKRADIO4: DriverDef = {
  name: "mkradio4",
  detect: [["TCH", 0x95, 0x62], ["TCH", 0x70, 0x62], ["TCH", 0x95, 0x72], [
    "TCH",
    0x70,
    0x72,
  ]],
  fields: [],
  after(ctx: HookContext): Fail | void {
    const p = ctx.telegram.payload;
    if (p.length < 9) return tooShort("mkradio4");
    const target = u16(p, 3) / 10;
    ctx.fields.total_m3 = round6(target + u16(p, 7) / 10);
    ctx.fields.target_m3 = round6(target);
  },
};

const MONTHS = [
  "dec",
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
] as const;

/**
 * Techem MK Radio 3a water meters (CI A2, proprietary). Bytes 2-3: date (day, month,
 * year since 2000 in 5/4/7 bits); 4-6: total in 0.1 m3; then the consumption of the
 * current month and the eleven before it. Like the reference, each month is the *sum*
 * of two bytes divided by 10, and which two bytes depends on whether the day is past
 * the 15th.
 */
export const MKRADIO3A: DriverDef = {
  name: "mkradio3a",
  detect: [["TCH", 0x50, 0x72]],
  media: "cold water",
  fields: [],
  after(ctx: HookContext): Fail | void {
    const p = ctx.telegram.payload;
    if (p.length < 43) return tooShort("mkradio3a");
    const b = (i: number) => p[i] ?? 0;
    const date = u16(p, 2);
    const day = date & 0x1f;
    const month = (date >> 5) & 0x0f;
    const year = 2000 + ((date >> 9) & 0xff);
    const early = day <= 15;
    const f = ctx.fields;
    f.total_m3 = round6((b(4) + 256 * b(5) + 65536 * b(6)) / 10);
    const current = early ? b(8) / 10 : (b(8) + b(9)) / 10;
    f.target_m3 = round6(current);
    const byMonth: number[] = new Array<number>(12).fill(0);
    byMonth[month % 12] = current;
    for (let k = 1; k <= 11; k++) {
      const at = early ? 6 + 3 * k : 8 + 3 * k;
      const sum = early ? b(at) + b(at + 2) : b(at) + b(at + 1);
      byMonth[(month + 12 - k) % 12] = sum / 10;
    }
    for (let m = 1; m <= 12; m++) {
      f[`last_${MONTHS[m % 12]}_m3`] = round6(byMonth[m % 12] ?? 0);
    }
    f.target_date = `${year}-${pad2(month)}-${pad2(day)}T02:00:00Z`;
  },
};

/** The Techem family. */
export const TECHEM_DRIVERS: readonly DriverDef[] = [
  COMPACT5,
  VARIO451,
  FHKVDATAIII,
  TSD2,
  MKRADIO3,
  MKRADIO3A,
  MKRADIO4,
];
