/**
 * Heat cost allocators of the reference set: Zenner Caltose, BMeters
 * Hydroclima v2, Relay HCA.
 * Fields, units and detection triples follow the reference's driver definitions.
 *
 * @module
 */

import { bits, I, num, status, text } from "./_build.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { round6, uintLE } from "./_records.ts";
import { rows } from "./rows.ts";
import { addProfileHistory } from "./_compact_profile.ts";

/** caltose (HeatCostAllocationMeter). */
export const CALTOSE: DriverDef = {
  name: "caltose",
  aliases: ["zennerhca"],
  detect: [["ZRI", 0xfc, 0x08]],
  fields: [
    num("consumption", "hca", { mt: I, vif: "HeatCostAllocation" }),
    num("target", "hca", { mt: I, vif: "HeatCostAllocation", storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    status({
      tplLookup: {
        type: "bits",
        name: "TPL_STATUS",
        mask: 0xff,
        map: [
          [0x04, "BATTERY_WARNING"],
          [0x08, "INVALID_METROLOGICAL_TABLE"],
          [0x20, "REMOVAL"],
          [0x40, "MODE_2F"],
          [0x80, "PRODUCT_SCALE"],
        ],
        default: "OK",
      },
    }),
    ...rows(`
      base_date date I:Date s=8
      base hca I:HeatCostAllocation s=8
    `),
  ],
  // Monthly history as a compact profile in storage 8: consumption_1 … consumption_32.
  after(ctx: HookContext) {
    addProfileHistory(ctx, {
      vifRange: "HeatCostAllocation",
      base: 8,
      unit: "hca",
      name: (step) => `consumption_${step}`,
      maxStep: 32,
    });
  },
};

/**
 * The manufacturer block of Hydroclima v2 (after DIF 0F): frame 0x10 or 0x11, then 16-bit
 * words (status, time, date, temperatures in 0.01 °C, consumption history) and a 24-bit
 * total, read into the fields the table names.
 *
 * @param ctx Hook context.
 */
function hydroclimaV2Data(ctx: HookContext): void {
  const m = ctx.manufacturerData;
  if (m === null || m.length < 3) return;
  const f = ctx.fields;
  const word = (at: number): number | undefined =>
    at + 1 < m.length ? (m[at] ?? 0) | ((m[at + 1] ?? 0) << 8) : undefined;
  // 0x8000 means "no value" only for the ambient history words (the table's null value).
  const temp = (name: string, at: number, nullable = false): void => {
    const w = word(at);
    if (w === undefined) return;
    const v = w >= 0x8000 ? w - 0x10000 : w;
    f[name] = nullable && v === -0x8000 ? null : round6(v / 100);
  };
  const hca = (name: string, at: number, bytes = 2): void => {
    if (at + bytes > m.length) return;
    f[name] = uintLE(m.subarray(at, at + bytes));
  };
  // Only a whole frame counts: 24 bytes for version 0x10, 47 for 0x11 (the reference's
  // grammar rejects any other length, and then prints neither status nor temperatures).
  const v10 = m[0] === 0x10 && m.length === 24;
  const v11 = m[0] === 0x11 && m.length === 47;
  if (!v10 && !v11) return;
  const status = word(1) ?? 0;
  if (status !== 0) {
    ctx.status.push(`ERROR_FLAGS_${status.toString(16).toUpperCase()}`);
  }
  if (v10) {
    temp("average_ambient_temperature_c", 7);
    temp("max_ambient_temperature_c", 9);
    temp("average_ambient_temperature_last_month_c", 15);
    temp("average_heater_temperature_last_month_c", 17);
    hca("total_consumption_hca", 21, 3);
  } else {
    temp("average_heater_temperature_c", 9);
    temp("average_ambient_temperature_c", 11);
    temp("max_ambient_temperature_c", 13);
    temp("average_heater_temperature_last_month_c", 17);
    temp("average_ambient_temperature_last_month_c", 19);
    for (let i = 0; i < 4; i++) {
      hca(`consumption_at_set_date_${i + 1}_hca`, 21 + 2 * i);
    }
    for (let i = 0; i < 3; i++) {
      temp(`ambient_temperature_at_set_date_${i + 1}_c`, 29 + 2 * i, true);
    }
    hca("total_consumption_hca", 44, 3);
  }
}

/** hydroclimav2 (HeatCostAllocationMeter). */
export const HYDROCLIMAV2: DriverDef = {
  name: "hydroclimav2",
  detect: [["BMP", 0x53, 0x08], ["BMP", 0x85, 0x08]],
  fields: [
    num("consumption", "hca", { mt: I, vif: "HeatCostAllocation" }),
    num("target", "hca", { mt: I, vif: "HeatCostAllocation", storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    status({
      match: { key: "02FD17" },
      lookups: [bits("ERROR_FLAGS", 0xffff, [], "OK")],
    }),
    ...rows(`
      average_ambient_temperature c I:ExternalTemperature
      max_ambient_temperature c max:ExternalTemperature
      average_heater_temperature c I:FlowTemperature
      average_ambient_temperature_last_month c I:ExternalTemperature s=1
      average_heater_temperature_last_month c I:FlowTemperature s=1
      consumption_at_set_date_1 hca I:HeatCostAllocation s=2
      consumption_at_set_date_2 hca I:HeatCostAllocation s=3
      consumption_at_set_date_3 hca I:HeatCostAllocation s=4
      consumption_at_set_date_4 hca I:HeatCostAllocation s=5
      ambient_temperature_at_set_date_1 c I:ExternalTemperature s=2
      ambient_temperature_at_set_date_2 c I:ExternalTemperature s=3
      ambient_temperature_at_set_date_3 c I:ExternalTemperature s=4
      total_consumption hca I:HeatCostAllocation s=10
    `),
  ],
  after: hydroclimaV2Data,
};

/** relhca (HeatCostAllocationMeter). */
export const RELHCA: DriverDef = {
  name: "relhca",
  detect: [["REL", 0x41, 0x00]],
  fields: [
    num("consumption", "hca", { mt: I, vif: "HeatCostAllocation" }),
    num("target", "hca", { mt: I, vif: "HeatCostAllocation", storage: 1 }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    ...rows(`
      next_target_date date I:Date s=1 c=7E
    `),
  ],
};

/** The drivers of this file. */
export const HCA_REF_DRIVERS: readonly DriverDef[] = [
  CALTOSE,
  HYDROCLIMAV2,
  RELHCA,
];
