/**
 * Diehl IZAR / PRIOS water meters: LFSR descrambling (in the security layer,
 * `vendor_security.ts`) with the published default keys, then a small fixed payload;
 * alarms and battery from plain header bytes.
 *
 * @module
 */

import { DIEHL_PRIOS_KEYS } from "../keys.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { round6, uintLE } from "./_records.ts";
import { descramblePrios } from "../vendor_security.ts";

export { descramblePrios, priosXor } from "../vendor_security.ts";

function currentAlarms(b11: number, b12: number, b13: number): string {
  const names: string[] = [];
  if (b12 & 0x80) names.push("leakage");
  if (b12 & 0x20) names.push("meter_blocked");
  if (b13 & 0x80) names.push("back_flow");
  if (b13 & 0x40) names.push("underflow");
  if (b13 & 0x20) names.push("overflow");
  if (b13 & 0x10) names.push("submarine");
  if (b13 & 0x08) names.push("sensor_fraud");
  if (b13 & 0x02) names.push("mechanical_fraud");
  if (names.length === 0) return "no_alarm";
  return (b11 & 0x80) !== 0 ? "general_alarm" : names.join(",");
}

function previousAlarms(b12: number, b13: number): string {
  const names: string[] = [];
  if (b12 & 0x40) names.push("leakage");
  if (b13 & 0x04) names.push("sensor_fraud");
  if (b13 & 0x01) names.push("mechanical_fraud");
  return names.length === 0 ? "no_alarm" : names.join(",");
}

/** Prefix, serial number and year printed on a Sappel meter, from its A field. */
function sappelIdentity(raw: Uint8Array, fields: HookContext["fields"]): void {
  const r = (i: number) => raw[i] ?? 0;
  const digits = String(
    (((r(7) & 0x03) << 24) | (r(6) << 16) | (r(5) << 8) | r(4)) >>> 0,
  ).padStart(8, "0");
  const yy = Number(digits.slice(0, 2));
  fields.manufacture_year = String(yy > 70 ? 1900 + yy : 2000 + yy);
  fields.serial_number = String(Number(digits.slice(2))).padStart(6, "0");
  const letter = (n: number) => String.fromCharCode(0x40 + n);
  const supplier = letter(((r(9) & 0x0f) << 1) | (r(8) >> 7));
  const type = letter((r(8) & 0x7c) >> 2);
  const diameter = letter(((r(8) & 0x03) << 3) | (r(7) >> 5));
  fields.prefix = `${supplier}${String(yy).padStart(2, "0")}${type}${diameter}`;
}

/**
 * Decodes an IZAR/PRIOS telegram into fields.
 *
 * @param ctx Hook context.
 * @returns An error when no key descrambles the payload.
 */
function izarAfter(ctx: HookContext): { code: string; message: string } | void {
  const raw = ctx.telegram.raw;
  let plain: Uint8Array | null = null;
  for (const key of DIEHL_PRIOS_KEYS) {
    plain = descramblePrios(raw, key);
    if (plain !== null) break;
  }
  if (plain === null) {
    return {
      code: "DESCRAMBLE_FAILED",
      message: "Cannot decode izar payload: no PRIOS key descrambles it",
    };
  }
  const f = ctx.fields;
  if (ctx.telegram.manufacturer === "SAP") sappelIdentity(raw, f);
  f.total_m3 = round6(uintLE(plain.subarray(1, 5)) / 1000);
  if (plain.length > 8) {
    f.last_month_total_m3 = round6(uintLE(plain.subarray(5, 9)) / 1000);
  }
  if (plain.length > 10) {
    const b9 = plain[9] ?? 0;
    const b10 = plain[10] ?? 0;
    let year = ((b10 & 0xf0) >> 1) + ((b9 & 0xe0) >> 5);
    year += year > 80 ? 1900 : 2000;
    const month = String((b10 & 0x0f) % 99).padStart(2, "0");
    const day = String((b9 & 0x1f) % 99).padStart(2, "0");
    f.last_month_measure_date = `${year}-${month}-${day}`;
  }
  const b11 = raw[11] ?? 0;
  const b12 = raw[12] ?? 0;
  const b13 = raw[13] ?? 0;
  f.remaining_battery_life_y = (b12 & 0x1f) / 2;
  f.current_alarms = currentAlarms(b11, b12, b13);
  f.previous_alarms = previousAlarms(b12, b13);
  f.transmit_period_s = 2 ** ((b11 & 0x0f) + 2);
}

/** Diehl IZAR (PRIOS radio). */
export const IZAR: DriverDef = {
  name: "izar",
  aliases: ["izar3"],
  detect: [
    ["HYD", 0x85, 0x07],
    ["SAP", -1, 0x15],
    ["SAP", -1, 0x04],
    ["SAP", 0x00, 0x07],
    ["DME", 0x78, 0x07],
    ["DME", 0x78, 0x06],
    ["HYD", 0x86, 0x07],
  ],
  fields: [],
  after: izarAfter,
};

/** Alarm bits of the three header bytes (b11 | b12 << 8 | b13 << 16) as izarv2 names them. */
const IZARV2_ALARMS: readonly (readonly [number, string])[] = [
  [0x008000, "LEAKAGE"],
  [0x002000, "METER_BLOCKED"],
  [0x800000, "BACK_FLOW"],
  [0x400000, "UNDERFLOW"],
  [0x200000, "OVERFLOW"],
  [0x100000, "SUBMARINE"],
  [0x080000, "SENSOR_FRAUD"],
  [0x020000, "MECHANICAL_FRAUD"],
  [0x004000, "PREV_LEAKAGE"],
  [0x040000, "PREV_SENSOR_FRAUD"],
  [0x010000, "PREV_MECHANICAL_FRAUD"],
];

/**
 * The izarv2 reading of the same PRIOS payload: total and billing values as `total_m3`,
 * `target_m3`, `target_date`, battery and period, and one status word per alarm bit.
 *
 * @param ctx Hook context.
 * @returns An error when no key descrambles the payload.
 */
function izarV2After(
  ctx: HookContext,
): { code: string; message: string } | void {
  const raw = ctx.telegram.raw;
  let plain: Uint8Array | null = null;
  for (const key of DIEHL_PRIOS_KEYS) {
    plain = descramblePrios(raw, key);
    if (plain !== null) break;
  }
  if (plain === null) {
    return {
      code: "DESCRAMBLE_FAILED",
      message: "Cannot decode izarv2 payload: no PRIOS key descrambles it",
    };
  }
  const f = ctx.fields;
  const alarms = (raw[11] ?? 0) | ((raw[12] ?? 0) << 8) |
    ((raw[13] ?? 0) << 16);
  f.battery_y = ((alarms >> 8) & 0x1f) * 0.5;
  if (plain.length > 8) {
    f.target_m3 = round6(uintLE(plain.subarray(5, 9)) / 1000);
  }
  if (plain.length > 10) {
    const v = (plain[9] ?? 0) | ((plain[10] ?? 0) << 8);
    const day = v % 32;
    const month = (v >> 8) % 16;
    let years = (((v >> 8) & 0xf0) >> 1) + ((v >> 5) % 8);
    if (years > 80) years -= 100;
    const d = new Date(Date.UTC(2000, years * 12 + month - 1, 1));
    d.setUTCDate(d.getUTCDate() + day - 1);
    f.target_date = d.toISOString().slice(0, 10);
  }
  f.total_m3 = round6(uintLE(plain.subarray(1, 5)) / 1000);
  f.transmit_period_s = 2 ** ((alarms & 0x0f) + 2);
  if (ctx.telegram.manufacturer === "SAP") {
    const id: HookContext["fields"] = {};
    sappelIdentity(raw, id);
    f.manufacture_y = id.manufacture_year;
    f.prefix = id.prefix;
    f.serial_number = id.serial_number;
  }
  const words = IZARV2_ALARMS.filter(([bit]) => (alarms & bit) !== 0).map((
    [, name],
  ) => name);
  ctx.status.push(...words);
}

/** Diehl IZAR read as the reference's izarv2 (status words, billing as target). */
export const IZARV2: DriverDef = {
  name: "izarv2",
  detect: IZAR.detect,
  fields: [{ kind: "status", name: "status", tpl: false }],
  after: izarV2After,
};

/** The Diehl family (izarv2 first: the reference's auto picks it). */
export const DIEHL_DRIVERS: readonly DriverDef[] = [IZARV2, IZAR];
