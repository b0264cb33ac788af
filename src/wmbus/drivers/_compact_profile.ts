/**
 * Compact profiles (EN 13757-3, VIFE 1E / 1F): one variable-length record that carries a
 * series of values after a spacing control byte and a spacing value byte. The values
 * become history steps after the base storage number, each dated from the base record's
 * date, as the reference expands them (its "Synthetic" records).
 *
 * @module
 */

import { dateText, type DvEntry, intLE, round6 } from "./_records.ts";
import { OUTPUT_UNITS } from "./_spec.ts";
import type { HookContext } from "./_spec.ts";
import { inVifRange, vifFactor } from "./_vif_ref.ts";

/** Element sizes by the low nibble of the spacing control byte (integer codings). */
const ELEMENT_SIZE: Readonly<Record<number, number>> = {
  1: 1,
  2: 2,
  3: 3,
  4: 4,
  6: 6,
  7: 8,
};

/** Months per step for spacing value FE, by spacing unit (bits 5–4). */
const FE_MONTHS: Readonly<Record<number, number>> = { 1: 6, 2: 3, 3: 1 };

/** Seconds per spacing unit (bits 5–4: seconds, minutes, hours, days). */
const UNIT_SECONDS = [1, 60, 3600, 86400] as const;

/** One value of a profile: its step after the base (1 = first) and its raw number. */
export interface ProfilePoint {
  readonly step: number;
  readonly raw: number;
}

/** Whether the spacing the two control bytes give is one the expansion knows. */
function spacingKnown(control: number, spacing: number): boolean {
  const unit = (control >> 4) & 3;
  if (spacing === 0 || spacing === 0xff) return false;
  if (spacing === 0xfe) return FE_MONTHS[unit] !== undefined;
  if (spacing === 0xfd) return unit === 3;
  return true;
}

/**
 * The values of a compact profile record (data: control byte, spacing byte, elements).
 * Elements of all ones carry no value and are dropped before counting; with VIFE 1F the
 * last remaining element is the first step, with 1E the first. None for a malformed
 * record.
 *
 * @param e The record.
 * @returns The points (empty when the record is no usable profile).
 */
export function profilePoints(e: DvEntry): ProfilePoint[] {
  const reversed = e.combinables.includes("1F");
  if (!reversed && !e.combinables.includes("1E")) return [];
  const [control = 0, spacing = 0] = e.data;
  const size = ELEMENT_SIZE[control & 0x0f];
  const elements = e.data.subarray(2);
  if (
    size === undefined || elements.length === 0 ||
    elements.length % size !== 0 || !spacingKnown(control, spacing)
  ) {
    return [];
  }
  const values: number[] = [];
  for (let at = 0; at < elements.length; at += size) {
    const b = elements.subarray(at, at + size);
    if (!b.every((x) => x === 0xff)) values.push(intLE(b));
  }
  const n = values.length;
  return values.map((raw, i) => ({ step: reversed ? n - i : i + 1, raw }));
}

/** `YYYY-MM-DD` of a UTC date. */
function ymd(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Days in a month (1–12) of a year. */
function monthDays(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * The base date plus whole months: the same day, cut to the month's last day; a base on
 * its month's last day stays on the last day.
 */
function addMonths(y: number, m: number, d: number, months: number): Date {
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const fy = first.getUTCFullYear();
  const fm = first.getUTCMonth() + 1;
  const last = monthDays(fy, fm);
  const day = d >= monthDays(y, m) ? last : Math.min(d, last);
  return new Date(Date.UTC(fy, fm - 1, day));
}

/**
 * The date of a profile step: FE steps whole months (1, 3 or 6 by unit), FD half months
 * (the 1st and the 16th), other values that many seconds, minutes, hours or days.
 *
 * @param base Base date `YYYY-MM-DD`.
 * @param control Spacing control byte.
 * @param spacing Spacing value byte.
 * @param step Step (1 = first after the base).
 * @returns The date.
 */
export function profileDate(
  base: string,
  control: number,
  spacing: number,
  step: number,
): string {
  const [y = 2000, m = 1, d = 1] = base.split("-").map(Number);
  const unit = (control >> 4) & 3;
  if (spacing === 0xfe) {
    return ymd(addMonths(y, m, d, step * (FE_MONTHS[unit] ?? 1)));
  }
  if (spacing === 0xfd) {
    // Half months fall on the 1st and the 16th, counted from the base's half.
    const half = (d >= 16 ? 1 : 0) + step;
    return ymd(
      new Date(Date.UTC(y, m - 1 + Math.floor(half / 2), half % 2 ? 16 : 1)),
    );
  }
  const seconds = step * spacing * (UNIT_SECONDS[unit] ?? 1);
  return ymd(
    new Date(Date.UTC(y, m - 1, d) + Math.floor(seconds / 86400) * 86400_000),
  );
}

/** Where a driver's profile history goes. */
export interface ProfileHistory {
  /** VIF range of the profile's values. */
  readonly vifRange: string;
  /** Storage number of the profile record and of its base date. */
  readonly base: number;
  /** Output unit of the values. */
  readonly unit: string;
  /** Field name of a step (without the unit). */
  readonly name: (step: number) => string;
  /** Field name of a step's date (default: the step's name). */
  readonly dateName?: (step: number) => string;
  /** Highest step printed. */
  readonly maxStep: number;
  /** A raw value printed as null (the meter's "no value"). */
  readonly nullRaw?: number;
}

/**
 * Prints a compact profile's history: `name(step)_unit` values and, when the base date
 * record is there, `name(step)` dates.
 *
 * @param ctx Hook context.
 * @param h Where the history goes.
 */
export function addProfileHistory(ctx: HookContext, h: ProfileHistory): void {
  const plain = (e: DvEntry): boolean =>
    e.mt === "instantaneous" && e.storage === h.base && e.tariff === 0 &&
    e.subunit === 0;
  const profile = ctx.entries.find((e) =>
    plain(e) && e.coding === 0xd && inVifRange(e.vif, h.vifRange) &&
    (e.combinables.includes("1F") || e.combinables.includes("1E"))
  );
  if (profile === undefined) return;
  const baseEntry = ctx.entries.find((e) =>
    plain(e) && e.vif === 0x6c && e.combinables.length === 0
  );
  const base = baseEntry === undefined ? undefined : dateText(baseEntry);
  const [control = 0, spacing = 0] = profile.data;
  const factor = vifFactor(profile.vif) * (OUTPUT_UNITS[h.unit] ?? 1);
  for (const p of profilePoints(profile)) {
    if (p.step > h.maxStep) continue;
    const name = h.name(p.step);
    ctx.fields[`${name}_${h.unit}`] = p.raw === h.nullRaw
      ? null
      : round6(p.raw * factor);
    if (typeof base === "string") {
      ctx.fields[h.dateName?.(p.step) ?? name] = profileDate(
        base,
        control,
        spacing,
        p.step,
      );
    }
  }
}
