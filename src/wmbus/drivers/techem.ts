/**
 * Techem meters whose values sit at fixed places of a manufacturer payload (CI A0–A2, no
 * TPL header): compact5, vario451 (heat), fhkvdataiii (HCA), tsd2 (smoke); the water
 * meters are in techem_water.ts. The same values sent as standard records are read too
 * (see techem_layout.ts). Values the payload does not hold print as `null` (never an
 * error), like the reference.
 *
 * @module
 */

import type { DriverDef, HookContext, Matcher } from "./_spec.ts";
import { round6 } from "./_records.ts";
import {
  byKey,
  currentDateText,
  layoutInput,
  type LayoutValue,
  previousDateParts,
  techemDate,
  techemNumber,
  techemRecords,
} from "./techem_layout.ts";
import { TECHEM_WATER_DRIVERS } from "./techem_water.ts";

/**
 * Techem "previous date" (16 bits LE): day, month, year since 2000.
 *
 * @param v The 16-bit value.
 * @returns Year, month, day.
 */
export function techemPreviousDate(
  v: number,
): { year: number; month: number; day: number } {
  const p = previousDateParts(v);
  return { ...p, year: 2000 + p.year };
}

/**
 * Techem "current date" (no year): the year of the previous date, plus one when the
 * day does not come after it; an impossible day rolls over (month 3 day 0 is February's
 * last day).
 *
 * @param v The 16-bit value.
 * @param prev The previous date (full year).
 * @returns The date text.
 */
export function techemCurrentDate(
  v: number,
  prev: { year: number; month: number; day: number },
): string {
  return currentDateText(v, { ...prev, year: prev.year - 2000 });
}

/**
 * Heat: previous and current period values (`width` bytes each, records `0w7E`/`0w7F`)
 * at bytes 3 and 7 of the payload, in the given kWh per unit.
 */
function heatAfter(kwhPerUnit: number, width: 2 | 3) {
  const dif = width === 2 ? 0x02 : 0x03;
  const layout: LayoutValue[] = [
    [[dif, 0x7e], 3, width],
    [[dif, 0x7f], 7, width],
  ];
  const prevKey = byKey(width === 2 ? "027E" : "037E");
  const currKey = byKey(width === 2 ? "027F" : "037F");
  return (ctx: HookContext): void => {
    const r = techemRecords(ctx, layout, (n) => n >= 7 + width);
    const opts = { raw: true, unsigned: true };
    const previous = techemNumber(r, prevKey, opts);
    const current = techemNumber(r, currKey, opts);
    const f = ctx.fields;
    const kwh = (v: number | undefined) =>
      v === undefined ? null : round6(v * kwhPerUnit);
    f.total_kwh = previous === undefined || current === undefined
      ? null
      : round6((previous + current) * kwhPerUnit);
    f.current_kwh = kwh(current);
    f.previous_kwh = kwh(previous);
  };
}

/** Techem Compact V / Compact 5 heat meters (kWh, 24-bit values). */
export const COMPACT5: DriverDef = {
  name: "compact5",
  detect: [["TCH", 0x45, 0x04], ["TCH", 0x45, 0xc3], ["TCH", 0x22, 0x43], [
    "TCH",
    0x45,
    0x43,
  ], ["TCH", 0x39, 0x43]],
  fields: [],
  after: heatAfter(1, 3),
};

/** Techem Vario 4 typ 4.5.1 heat meters (16-bit values in 1/1000 GJ). */
export const VARIO451: DriverDef = {
  name: "vario451",
  detect: [["TCH", 0x27, 0x04], ["TCH", 0x27, 0xc3]],
  fields: [],
  after: heatAfter(1 / 3.6, 2),
};

/**
 * FHKV data III payload: format byte (01, 11, or 0F with one more byte before the
 * temperatures), previous date, previous HCA, current date, current HCA, room and
 * radiator temperatures in 1/100 °C.
 */
function fhkvLayout(extra: number): LayoutValue[] {
  return [
    [[0x02, 0xfd, 0x3a], 1, 2],
    [[0x42, 0x6e], 3, 2],
    [[0x42, 0xfd, 0x3a], 5, 2],
    [[0x02, 0x6e], 7, 2],
    [[0x02, 0x65], 9 + extra, 2],
    [[0x02, 0x5d], 11 + extra, 2],
  ];
}
const FHKV_LAYOUT = fhkvLayout(0);
const FHKV_LAYOUT_0F = fhkvLayout(1);
const HCA_NOW: Matcher = {
  mt: "instantaneous",
  vif: "HeatCostAllocation",
};
const HCA_PREV: Matcher = { ...HCA_NOW, storage: 1 };
const ROOM: Matcher = { mt: "instantaneous", vif: "ExternalTemperature" };
const RADIATOR: Matcher = { mt: "instantaneous", vif: "ReturnTemperature" };

/** Techem FHKV data III heat cost allocators. */
export const FHKVDATAIII: DriverDef = {
  name: "fhkvdataiii",
  detect: [["TCH", 0x69, 0x80], ["TCH", 0x94, 0x80]],
  fields: [],
  after(ctx: HookContext): void {
    // The format byte leads the payload, with or without a TPL header (a decrypted one
    // without its 2F 2F): records that happen to start 01, 11 or 0F read as the layout too.
    const format = layoutInput(ctx.telegram).data[0];
    const extra = format === 0x0f ? 1 : 0;
    const known = format === 0x01 || format === 0x11 || format === 0x0f;
    const r = techemRecords(
      ctx,
      extra === 1 ? FHKV_LAYOUT_0F : FHKV_LAYOUT,
      (n) => known && n >= 13 + extra,
    );
    const f = ctx.fields;
    const current = techemNumber(r, HCA_NOW);
    const previous = techemNumber(r, HCA_PREV);
    if (current !== undefined) f.current_hca = round6(current);
    const prevRaw = techemNumber(r, byKey("02FD3A"), {
      raw: true,
      unsigned: true,
    });
    const currRaw = techemNumber(r, byKey("42FD3A"), {
      raw: true,
      unsigned: true,
    });
    const prev = prevRaw === undefined ? undefined : previousDateParts(prevRaw);
    // Without both words the reference prints a date from absent values; mbusgw prints null.
    f.current_date = prev === undefined || currRaw === undefined
      ? null
      : currentDateText(currRaw, prev, true);
    if (previous !== undefined) f.previous_hca = round6(previous);
    f.previous_date = prev === undefined
      ? null
      : techemDate(prev.year, prev.month, prev.day);
    // Temperatures are signed (0xFD74 is -6.52 °C, not 648.84 °C).
    const room = techemNumber(r, ROOM, { signed: true });
    const radiator = techemNumber(r, RADIATOR, { signed: true });
    if (room !== undefined) f.temp_room_c = round6(room);
    if (radiator !== undefined) f.temp_radiator_c = round6(radiator);
  },
};

const TSD2_LAYOUT: LayoutValue[] = [
  [[0x01, 0x01], 0, 1],
  [[0x02, 0xfd, 0x3a], 1, 2],
];

/** Techem smoke detector TSD2: status byte and previous date word. */
export const TSD2: DriverDef = {
  name: "tsd2",
  detect: [["TCH", 0x76, 0xf0]],
  // The status joins the detector's state with the TPL status bits (when there is a TPL).
  fields: [{ kind: "status", name: "status" }],
  after(ctx: HookContext): { code: string; message: string } | void {
    const r = techemRecords(ctx, TSD2_LAYOUT, (n) => n >= 3);
    const s = techemNumber(r, byKey("0101"), { raw: true, unsigned: true });
    const raw = techemNumber(r, byKey("02FD3A"), { raw: true, unsigned: true });
    if (s === undefined && raw === undefined) {
      return {
        code: "TRUNCATED",
        message: "Cannot decode tsd2 payload: too short",
      };
    }
    if (s !== undefined) {
      ctx.status.push(
        s === 0
          ? "OK"
          : s === 1
          ? "SMOKE"
          : `STATUS_${s.toString(16).toUpperCase()}`, // unpadded, like index lookups
      );
    }
    const d = raw === undefined ? undefined : previousDateParts(raw);
    ctx.fields.prev_date = d === undefined
      ? null
      : techemDate(d.year, d.month, d.day);
  },
};

/** The Techem family. */
export const TECHEM_DRIVERS: readonly DriverDef[] = [
  COMPACT5,
  VARIO451,
  FHKVDATAIII,
  TSD2,
  ...TECHEM_WATER_DRIVERS,
];
