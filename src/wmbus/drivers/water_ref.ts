/**
 * Water meters of the reference set: Actis link, GWF, Apator OP-041A, Ecomess
 * Picoflux, Qundis Q water 5.5 (v2), Zenner UIWS and 0B, Apator Ultrimis v2, Watertech,
 * WZG Modularis.
 * Fields, units and detection triples follow the reference's driver definitions.
 *
 * @module
 */

import { bits, I, num, status, text } from "./_build.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { rows } from "./rows.ts";
import { qundisV2Fields } from "./qundis_v2.ts";
import { addProfileHistory } from "./_compact_profile.ts";
import { qundisV2WalkByRecords } from "./qundis.ts";

/** actislink (WaterMeter). */
export const ACTISLINK: DriverDef = {
  name: "actislink",
  detect: [["ALK", 0x04, 0x07]],
  fields: [
    num("total", "m3", { mt: I, vif: "Volume" }),
  ],
};

/**
 * GWF battery: half years from bits 3–7 of the power byte, read from record `0102` or
 * from the manufacturer block `01 <flags> <power>` that carries the same two bytes.
 *
 * @param ctx Hook context.
 */
function gwfBattery(ctx: HookContext): void {
  const rec = ctx.entries.find((e) => e.key === "0102");
  const m = ctx.manufacturerData;
  let power = rec?.data[0];
  if (power === undefined && m !== null && m[0] === 0x01 && m.length >= 3) {
    const flags = m[1] ?? 0;
    power = m[2] ?? 0;
    const words = GWF_FLAGS.filter(([bit]) => (flags & bit) !== 0).map((
      [, name],
    ) => name);
    const unknown = flags & ~0x6a;
    if (unknown !== 0) {
      words.push(`MFCT_FLAGS_${unknown.toString(16).toUpperCase()}`);
    }
    ctx.status.push(...words);
    ctx.fields.power_mode = (power & 1) === 1 ? "SAVING" : "NORMAL";
  }
  if (power !== undefined) ctx.fields.battery_y = Math.floor(power / 8) * 0.5;
}

/** GWF manufacturer status bits. */
const GWF_FLAGS: readonly (readonly [number, string])[] = [
  [0x02, "CONTINUOUS_FLOW"],
  [0x08, "BROKEN_PIPE"],
  [0x20, "BATTERY_LOW"],
  [0x40, "BACKFLOW"],
];

/** gwfwater (WaterMeter). */
export const GWFWATER: DriverDef = {
  name: "gwfwater",
  detect: [["GWF", 0x01, 0x0e], ["GWF", 0x3c, 0x07]],
  fields: [
    num("actuality_duration", "s", { mt: I, vif: "ActualityDuration" }),
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("target", "m3", { mt: I, vif: "Volume", storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    status({
      match: { key: "01FD17" },
      lookups: [{
        type: "bits",
        name: "MFCT_FLAGS",
        mask: 0xFF,
        map: [[0x02, "CONTINUOUS_FLOW"], [0x08, "BROKEN_PIPE"], [
          0x20,
          "BATTERY_LOW",
        ], [0x40, "BACKFLOW"]],
        default: "OK",
      }],
    }),
    text("mfct_type_error", "lookup", { key: "41FD17" }, {
      inject: true,
      lookups: [bits("UNKNOWN_MFCT_STATUS", 0xFF, [], "OK")],
    }),
    text("power_mode", "lookup", { key: "0102" }, {
      lookups: [{
        type: "bits",
        name: "POWER_MODE",
        mask: 0x01,
        map: [[0x01, "SAVING"]],
        default: "NORMAL",
      }],
    }),
  ],
  after: gwfBattery,
};

/** op041a (WaterMeter). */
export const OP041A: DriverDef = {
  name: "op041a",
  detect: [["APA", 0x1a, 0x07]],
  fields: [
    num("total", "m3", { mt: I, vif: "Volume" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
  ],
};

/** picoflux (WaterMeter). */
export const PICOFLUX: DriverDef = {
  name: "picoflux",
  detect: [["ECM", 0x05, 0x07]],
  fields: [
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("total_backward", "m3", { mt: I, vif: "Volume", combinables: ["3C"] }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("actuality_duration", "s", { mt: I, vif: "ActualityDuration" }),
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffff, [], "OK")],
      tplLookup: {
        type: "bits",
        name: "TPL_STATUS",
        mask: 0xe0,
        map: [[0x20, "LEAK_FLOW_LOW"], [0x40, "LEAK_FLOW_HIGH"]],
        default: "OK",
      },
    }),
  ],
};

/** qwaterv2 (WaterMeter). */
export const QWATERV2: DriverDef = {
  name: "qwaterv2",
  detect: [
    ["QDS", 0x33, 0x37],
    ["QDS", 0x35, 0x37],
    ["QDS", 0x16, 0x06],
    ["QDS", 0x16, 0x07],
    ["QDS", 0x17, 0x06],
    ["QDS", 0x17, 0x07],
    ["QDS", 0x18, 0x06],
    ["QDS", 0x18, 0x07],
    ["QDS", 0x19, 0x07],
    ["QDS", 0x1a, 0x06],
    ["QDS", 0x1a, 0x07],
    ["QDS", 0x1d, 0x06],
    ["QDS", 0x1d, 0x07],
    ["QDS", 0x36, 0x06],
    ["QDS", 0x36, 0x07],
    ["LSE", 0x19, 0x07],
    ["LSE", 0x1a, 0x06],
    ["LSE", 0x1a, 0x07],
    ["LSE", 0x1d, 0x06],
    ["LSE", 0x1d, 0x07],
    ["LSE", 0x33, 0x37],
    ["LSE", 0x35, 0x37],
    ["LSE", 0x36, 0x06],
    ["LSE", 0x36, 0x07],
  ],
  records: qundisV2WalkByRecords,
  fields: [
    num("total", "m3", { mt: I, vif: "Volume" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    ...qundisV2Fields("m3"),
  ],
};

/** uiws (WaterMeter). */
export const UIWS: DriverDef = {
  name: "uiws",
  detect: [["ZRI", 0x99, 0x07]],
  fields: [
    num("total", "m3", { mt: I, vif: "Volume" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("flow_temperature", "c", { mt: I, vif: "FlowTemperature" }),
    num("external_temperature", "c", { mt: I, vif: "ExternalTemperature" }),
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffff, [], "OK")],
    }),
    ...rows(`
      unknown m3 I:AnyVolumeVIF s=1
      target_date date I:Date s=30
      target m3 I:AnyVolumeVIF s=30
    `),
  ],
  // History as a compact profile in storage 30: target_1 … target_10.
  after(ctx: HookContext) {
    addProfileHistory(ctx, {
      vifRange: "AnyVolumeVIF",
      base: 30,
      unit: "m3",
      name: (step) => `target_${step}`,
      dateName: (step) => `target_${step}_date`,
      maxStep: 10,
      nullRaw: -0x80000000,
    });
  },
};

/** ultrimisv2 (WaterMeter). */
export const ULTRIMISV2: DriverDef = {
  name: "ultrimisv2",
  detect: [["APA", 0x01, 0x16], ["APA", 0x20, 0x16]],
  fields: [
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("target", "m3", { mt: I, vif: "Volume", storage: 1 }),
    num("total_backward", "m3", { mt: I, vif: "Volume", combinables: ["3C"] }),
    status({
      match: { key: "03FD17" },
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xffffff,
        map: [
          [0x01, "TAMPER"],
          [0x02, "LOW_BATTERY"],
          [0x04, "DRY"],
          [0x08, "NO_FLOW"],
          [0x10, "HIGH_TEMPERATURE"],
          [0x20, "BURST"],
          [0x40, "REVERSE"],
          [0x80, "LEAK"],
          [0x0100, "TAMPER_THIS_MONTH"],
          [0x0200, "LOW_BATTERY_THIS_MONTH"],
          [0x0400, "DRY_THIS_MONTH"],
          [0x0800, "NO_FLOW_THIS_MONTH"],
          [0x1000, "HIGH_TEMPERATURE_THIS_MONTH"],
          [0x2000, "BURST_THIS_MONTH"],
          [0x4000, "REVERSE_THIS_MONTH"],
          [0x8000, "LEAK_THIS_MONTH"],
          [0x010000, "TAMPER_PREV_MONTH"],
          [0x020000, "LOW_BATTERY_PREV_MONTH"],
          [0x040000, "DRY_PREV_MONTH"],
          [0x080000, "NO_FLOW_PREV_MONTH"],
          [0x100000, "HIGH_TEMPERATURE_PREV_MONTH"],
          [0x200000, "BURST_PREV_MONTH"],
          [0x400000, "REVERSE_PREV_MONTH"],
          [0x800000, "LEAK_PREV_MONTH"],
        ],
        default: "OK",
      }],
      tpl: false,
    }),
  ],
};

/** watertech (WaterMeter). */
export const WATERTECH: DriverDef = {
  name: "watertech",
  detect: [["WTT", 0x59, 0x07]],
  fields: [
    text("software_version", "bcd", { mt: I, vif: "SoftwareVersion" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffff, [], "OK")],
    }),
    ...rows(`
      total m3 I:Volume
    `),
  ],
};

/** werhlemodwm (WaterMeter). */
export const WERHLEMODWM: DriverDef = {
  name: "werhlemodwm",
  detect: [["WZG", 0x03, 0x16]],
  fields: [
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("total", "m3", { mt: I, vif: "Volume" }),
    text("fabrication_no", "bcd", { mt: I, vif: "FabricationNo" }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("target", "m3", { mt: I, vif: "Volume", storage: 1 }),
    ...rows(`
      next_target_date date I:Date s=1 c=7E
      target_{storage} m3 I:Volume s=1-13
      target_{storage}_date date I:Date s=1-13
    `),
  ],
};

/** topaseskr (WaterMeter). */
export const TOPASESKR: DriverDef = {
  name: "topaseskr",
  detect: [["AMT", 0xf1, 0x06], ["AMT", 0xf1, 0x07]],
  fields: [
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("access", "counter", { mt: I, vif: "AccessNumber" }),
    ...rows(`
      temperature c I:FlowTemperature
      current_flow m3h I:VolumeFlow
      volume_year_period m3 I:Volume s=1
      reverse_volume_year_period m3 I:Volume s=1 t=1
    `),
    text("meter_year_period_end_date", "date", {
      mt: I,
      vif: "Date",
      storage: 1,
    }),
    ...rows(`
      volume_month_period m3 I:Volume s=3
      meter_month_period_end_datetime datetime I:DateTime s=3
      battery y I:RemainingBattery
    `),
  ],
};

/** The drivers of this file. */
export const WATER_REF_DRIVERS: readonly DriverDef[] = [
  ACTISLINK,
  GWFWATER,
  OP041A,
  PICOFLUX,
  QWATERV2,
  UIWS,
  ULTRIMISV2,
  WATERTECH,
  WERHLEMODWM,
  TOPASESKR,
];
