/**
 * Zenner meters: C5-ISF heat/cooling meters (monthly history in storages 32–45 and
 * decimal status codes) and the 0B water meters (a manufacturer block after DIF 0F).
 *
 * @module
 */

import { I, status } from "./_build.ts";
import { applyLookup, joinStatus } from "./_status.ts";
import { round6, uintLE } from "./_records.ts";
import { rows } from "./rows.ts";
import type { DriverDef, HookContext, Lookup } from "./_spec.ts";

/** C5-ISF error codes: decimal codes that add up, sent as BCD-like hex digits. */
const C5ISF_CODES: Lookup = {
  type: "decimals",
  name: "ERROR_FLAGS",
  mask: 9999,
  map: [
    [2000, "VERIFICATION_EXPIRED"],
    [1000, "BATTERY_EXPIRED"],
    [800, "WIRELESS_ERROR"],
    [100, "HARDWARE_ERROR3"],
    [50, "VALUE_OVERLOAD"],
    [40, "AIR_INSIDE"],
    [30, "REVERSE_FLOW"],
    [20, "DRY"],
    [10, "ERROR_MEASURING"],
    [9, "HARDWARE_ERROR2"],
    [8, "HARDWARE_ERROR1"],
    [7, "LOW_BATTERY"],
    [6, "SUPPLY_SENSOR_INTERRUPTED"],
    [5, "SHORT_CIRCUIT_SUPPLY_SENSOR"],
    [4, "RETURN_SENSOR_INTERRUPTED"],
    [3, "SHORT_CIRCUIT_RETURN_SENSOR"],
    [2, "TEMP_ABOVE_RANGE"],
    [1, "TEMP_BELOW_RANGE"],
  ],
  default: "OK",
};

/**
 * The status codes: decimal codes that add up, sent as BCD digits (0x10 is code 10). As
 * the reference reads them: the value modulo 0x9999, then each code (largest first) taken
 * while the value holds its BCD form (0x800 for 800) and subtracted; what is left is
 * printed as `ERROR_FLAGS_<rest>`.
 *
 * @param ctx Hook context.
 */
function c5isfStatus(ctx: HookContext): void {
  const e = ctx.entries.find((x) =>
    x.mt === I && x.vif === 0xfd17 && x.storage === 0 && x.tariff === 0 &&
    x.subunit === 0
  );
  if (e === undefined) return;
  let rest = uintLE(e.data) % 0x9999;
  const words: string[] = [];
  for (const [code, name] of C5ISF_CODES.map) {
    const bcd = parseInt(String(code), 16);
    if (rest >= bcd) {
      words.push(name);
      rest -= bcd;
    }
  }
  if (rest > 0) words.push(`ERROR_FLAGS_${rest}`);
  ctx.status.push(...words);
}

/** Zenner C5-ISF. */
export const C5ISF: DriverDef = {
  name: "c5isf",
  detect: [["ZRI", 0x88, 0x0d], ["ZRI", 0x88, 0x07], ["ZRI", 0x88, 0x04]],
  fields: [
    ...rows(`
      total_energy_consumption kwh I:AnyEnergyVIF
      total_cooling_consumption kwh I:AnyEnergyVIF t=1
      total_volume m3 I:Volume
    `),
    status(),
    ...rows(`
      prev_{storage-31}_month_date date I:Date s=32-45
      prev_{storage-31}_month kwh I:AnyEnergyVIF s=32-45
      prev_{storage-31}_month m3 I:Volume s=32-45
      due_energy_consumption kwh I:AnyEnergyVIF s=8
      due_date date I:Date s=8
      volume_flow m3h I:VolumeFlow
      power kw I:PowerW
      total_energy_consumption_last_month kwh I:AnyEnergyVIF s=32
      last_month_datetime datetime I:DateTime
      max_power_last_month kw max:PowerW s=32 c=25
      flow_temperature c I:FlowTemperature
      return_temperature c I:ReturnTemperature
    `),
  ],
  after: c5isfStatus,
};

const ZENNER0B_STATUS: Lookup = {
  type: "index",
  name: "STATUS",
  mask: 0xffffffff,
  map: [[0, "OK"]],
};

/** Keys the block's three words have when they come as records (the reference's names). */
const ZENNER0B_KEYS = ["04FF0B", "04FF0C", "04FF0D"] as const;

/**
 * The three 32-bit words of a Zenner 0B telegram: status, this month's volume and the
 * total (both in 1/256000 m³). They come as the whole payload `0F`, 12 bytes, at most one
 * more byte (fill bytes 2F before it are skipped; a payload of any other shape has none),
 * or as records under the keys 04FF0B/0C/0D.
 *
 * @param ctx Hook context.
 * @returns Status, month and total words (undefined where absent).
 */
function zenner0bWords(ctx: HookContext): (number | undefined)[] {
  const p = ctx.telegram.payload;
  let at = 0;
  while (at < p.length && p[at] === 0x2f) at++;
  const block = p.subarray(at);
  if (block[0] === 0x0f && block.length >= 13 && block.length <= 14) {
    return [0, 1, 2].map((i) => uintLE(block.subarray(1 + 4 * i, 5 + 4 * i)));
  }
  return ZENNER0B_KEYS.map((key) => {
    const e = ctx.entries.find((x) => x.key === key);
    return e === undefined ? undefined : uintLE(e.data);
  });
}

/**
 * Zenner 0B fields: the status when the meter sent one; the two volumes always (null
 * when absent, as the reference prints them).
 *
 * @param ctx Hook context.
 */
function zenner0bAfter(ctx: HookContext): void {
  const [sts, month, total] = zenner0bWords(ctx);
  if (sts !== undefined) {
    ctx.fields.status = joinStatus(applyLookup(ZENNER0B_STATUS, sts));
  }
  const m3 = (v: number | undefined): number | null =>
    v === undefined ? null : round6(v / 256000);
  ctx.fields.target_m3 = m3(month);
  ctx.fields.total_m3 = m3(total);
}

/** Zenner water meter, version 0B. */
export const ZENNER0B: DriverDef = {
  name: "zenner0b",
  detect: [["ZRI", 0x0b, 0x16]],
  fields: [],
  after: zenner0bAfter,
};

/** The Zenner drivers kept here. */
export const ZENNER_DRIVERS: readonly DriverDef[] = [C5ISF, ZENNER0B];
