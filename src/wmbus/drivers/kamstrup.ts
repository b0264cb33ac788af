/**
 * Kamstrup: kamheat (Multical 302/303/402/403/602/603/803) and kamwater (Multical 21,
 * flowIQ 2200/3100, KWM), with compact frames.
 *
 * @module
 */

import { bits, I, index, num, status, text } from "./_build.ts";
import { compactRecords, driverFormats } from "./_compact.ts";
import type { DriverDef, Lookup } from "./_spec.ts";

const HEAT_FLAGS32 = bits("ERROR_FLAGS", 0xffffffff, [
  [0x00000001, "VOLTAGE_INTERRUPTED"],
  [0x00000002, "LOW_BATTERY_LEVEL"],
  [0x00000004, "SENSOR_ERROR"],
  [0x00000008, "SENSOR_T1_ABOVE_MEASURING_RANGE"],
  [0x00000010, "SENSOR_T2_ABOVE_MEASURING_RANGE"],
  [0x00000020, "SENSOR_T1_BELOW_MEASURING_RANGE"],
  [0x00000040, "SENSOR_T2_BELOW_MEASURING_RANGE"],
  [0x00000080, "TEMP_DIFF_WRONG_POLARITY"],
  [0x00000100, "FLOW_SENSOR_WEAK_OR_AIR"],
  [0x00000200, "WRONG_FLOW_DIRECTION"],
  [0x00000400, "RESERVED_BIT_10"],
  [0x00000800, "FLOW_INCREASED"],
  [0x00001000, "IN_A1_LEAKAGE_IN_THE_SYSTEM"],
  [0x00002000, "IN_B1_LEAKAGE_IN_THE_SYSTEM"],
  [0x00004000, "IN_A1_A2_EXTERNAL_ALARM"],
  [0x00008000, "IN_B1_B2_EXTERNAL_ALARM"],
  [0x00010000, "V1_COMMUNICATION_ERROR"],
  [0x00020000, "V1_WRONG_PULSE_FIGURE"],
  [0x00040000, "IN_A2_LEAKAGE_IN_THE_SYSTEM"],
  [0x00080000, "IN_B2_LEAKAGE_IN_THE_SYSTEM"],
  [0x00100000, "T3_ABOVE_MEASURING_RANGE_OR_SWITCHED_OFF"],
  [0x00200000, "T3_BELOW_MEASURING_RANGE_OR_SWITCHED_OFF"],
  [0x00400000, "V2_COMMUNICATION_ERROR"],
  [0x00800000, "V2_WRONG_PULSE_FIGURE"],
  [0x01000000, "V2_AIR"],
  [0x02000000, "V2_WRONG_FLOW_DIRECTION"],
  [0x04000000, "RESERVED_BIT_26"],
  [0x08000000, "V2_INCREASED_FLOW"],
  [0x10000000, "V1_V2_BURST_WATER_LOSS"],
  [0x20000000, "V1_V2_BURST_WATER_PENETRATION"],
  [0x40000000, "V1_V2_LEAKAGE_WATER_LOSS"],
  [0x80000000, "V1_V2_LEAKAGE_WATER_PENETRATION"],
]);

const HEAT_FLAGS16 = bits("ERROR_FLAGS", 0xffff, [
  [0x0001, "VOLTAGE_INTERRUPTED"],
  [0x0002, "LOW_BATTERY_LEVEL"],
  [0x0004, "RESERVED_BIT_2"],
  [0x0008, "SENSOR_T1_ABOVE_MEASURING_RANGE"],
  [0x0010, "SENSOR_T2_ABOVE_MEASURING_RANGE"],
  [0x0020, "SENSOR_T1_BELOW_MEASURING_RANGE"],
  [0x0040, "SENSOR_T2_BELOW_MEASURING_RANGE"],
  [0x0080, "TEMP_DIFF_WRONG_POLARITY"],
  [0x0100, "FLOW_SENSOR_WEAK_OR_AIR"],
  [0x0200, "WRONG_FLOW_DIRECTION"],
  [0x0400, "RESERVED_BIT_10"],
  [0x0800, "FLOW_INCREASED"],
  [0x1000, "RESERVED_BIT_12"],
  [0x2000, "RESERVED_BIT_13"],
  [0x4000, "RESERVED_BIT_14"],
  [0x8000, "RESERVED_BIT_15"],
]);

const HEAT_NARROW = bits("NARROW_ERROR_FLAGS", 0xffff, [
  [0x0001, "VOLTAGE_INTERRUPTED"],
  [0x0004, "SENSOR_T2_OUTSIDE_MEASURING_RANGE"],
  [0x0008, "SENSOR_T1_OUTSIDE_MEASURING_RANGE"],
  [0x0010, "V1_COMMUNICATION_ERROR"],
  [0x0020, "SENSOR_T3_OUTSIDE_MEASURING_RANGE"],
  [0x0040, "LEAKAGE_COLD_WATER"],
  [0x0080, "V2_WRONG_PULSE_FIGURE"],
  [0x0100, "LEAKAGE_HOT_WATER"],
  [0x0200, "BURST_WATER_LOSS"],
  [0x0400, "V2_COMMUNICATION_ERROR"],
  [0x0800, "V1_WRONG_PULSE_FIGURE"],
  [0x1000, "V1_AIR"],
  [0x2000, "V2_AIR"],
  [0x4000, "V1_WRONG_FLOW_DIRECTION"],
  [0x8000, "V2_WRONG_FLOW_DIRECTION"],
]);

const E = "AnyEnergyVIF";

/** Kamstrup heat meters (Multical 30x/40x/60x/80x). */
export const KAMHEAT: DriverDef = {
  name: "kamheat",
  aliases: [
    "multical302",
    "multical303",
    "multical403",
    "multical602",
    "multical603",
    "multical803",
  ],
  detect: [
    ["KAM", 0x30, 0x04],
    ["KAM", 0x30, 0x0d],
    ["KAM", 0x30, 0x0c],
    ["KAM", 0x40, 0x04],
    ["KAM", 0x40, 0x0c],
    ["KAM", 0x40, 0x0d],
    ["KAM", 0x19, 0x04],
    ["KAM", 0x34, 0x04],
    ["KAM", 0x34, 0x0a],
    ["KAM", 0x34, 0x0b],
    ["KAM", 0x34, 0x0c],
    ["KAM", 0x34, 0x0d],
    ["KAM", 0x1c, 0x04],
    ["KAM", 0x35, 0x04],
    ["KAM", 0x35, 0x0c],
    ["KAM", 0x39, 0x04],
  ],
  records: compactRecords(driverFormats("kamheat")),
  fields: [
    status({ match: { key: "04FF22" }, lookups: [HEAT_FLAGS32] }),
    text("status16", "lookup", { key: "02FF22" }, {
      lookups: [HEAT_FLAGS16],
      inject: true,
    }),
    text("status_narrow", "lookup", { mt: I, vif: "ErrorFlags" }, {
      lookups: [HEAT_NARROW],
      inject: true,
    }),
    text("fabrication_no", "bcd", { mt: I, vif: "FabricationNo" }),
    text("meter_date", "date", { mt: I, vif: "Date" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("on_time", "h", { mt: I, vif: "OnTime" }),
    num("on_time_at_error", "h", { mt: "error", vif: "OnTime" }),
    num("flow_return_temperature_difference", "c", {
      mt: I,
      vif: "TemperatureDifference",
    }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("total_energy_consumption", "kwh", { mt: I, vif: E }),
    num("total_energy_backward", "kwh", { mt: I, vif: E, combinables: ["3C"] }),
    num("total_volume", "m3", { mt: I, vif: "Volume" }),
    num("total_volume_subunit{subunit}", "m3", {
      mt: I,
      vif: "Volume",
      subunit: [1, 4],
    }),
    num("volume_flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    num("power", "kw", { mt: I, vif: "AnyPowerVIF" }),
    num("max_power", "kw", { mt: "maximum", vif: "AnyPowerVIF" }),
    num("t1_temperature", "c", { mt: I, vif: "FlowTemperature" }),
    num("t2_temperature", "c", { mt: I, vif: "ReturnTemperature" }),
    num("max_flow", "m3h", { mt: "maximum", vif: "VolumeFlow" }),
    num("forward_energy", "m3c", { key: "04FF07" }, { scale: "none" }),
    num("return_energy", "m3c", { key: "04FF08" }, { scale: "none" }),
    num("target_energy", "kwh", { mt: I, vif: E, storage: 1 }),
    num("target_energy_backward", "kwh", {
      mt: I,
      vif: E,
      storage: 1,
      combinables: ["3C"],
    }),
    num("target_volume", "m3", { mt: I, vif: "Volume", storage: 1 }),
    num("target_volume_subunit{subunit}", "m3", {
      mt: I,
      vif: "Volume",
      storage: 1,
      subunit: [1, 4],
    }),
    num("operating_time", "h", {
      mt: I,
      vif: "OperatingTime",
      combinables: ["7F21"],
    }),
    text("enhanced_id", "hex", { key: "02F9FF15" }),
    num("va", "counter", { key: "04EEFF07" }, { scale: "none" }),
    num("vb", "counter", { key: "04EEFF08" }, { scale: "none" }),
  ],
};

function durations(name: string, mask: number, step: number): Lookup {
  const texts = [
    "",
    "1-8 hours",
    "9-24 hours",
    "2-3 days",
    "4-7 days",
    "8-14 days",
    "15-21 days",
    "22-31 days",
  ];
  return index(name, mask, texts.map((t, i) => [i * step, t] as const));
}

const WATER_INFO = [[0x0001, "DRY"], [0x0002, "REVERSE"], [0x0004, "LEAK"], [
  0x0008,
  "BURST",
]] as const;

/** Kamstrup water meters (Multical 21, flowIQ 2200/3100, KWM). */
export const KAMWATER: DriverDef = {
  name: "kamwater",
  aliases: ["multical21", "flowiq2200", "flowiq3100"],
  detect: [
    ["KAM", 0x1b, 0x06],
    ["KAM", 0x1b, 0x16],
    ["KAW", 0x3a, 0x16],
    ["KAW", 0x3c, 0x16],
    ["KAM", 0x1d, 0x16],
    ["KAW", 0x42, 0x06],
    ["KAW", 0x42, 0x16],
  ],
  records: compactRecords(driverFormats("kamwater")),
  fields: [
    status({
      match: { key: "04FF23" },
      lookups: [bits("ERROR_FLAGS", 0xffffffff, [
        ...WATER_INFO,
        [0x0010, "TAMPER"],
        [0x0020, "LOW_BATTERY"],
        [0x0040, "LOW_ABIENT_TEMPERATURE"],
        [0x0080, "FLOW_ABOVE_Q4"],
        [0x0200, "NO_CONSUMPTION"],
      ])],
    }),
    text("status16", "lookup", { key: "02FF20" }, {
      lookups: [bits("ERROR_FLAGS", 0x000f, WATER_INFO)],
      inject: true,
    }),
    text("current_status", "lookup", { key: "02FF20" }, {
      lookups: [bits("ERROR_FLAGS", 0x000f, WATER_INFO, null)],
    }),
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("target", "m3", { mt: I, vif: "Volume", storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    num("max_flow", "m3h", { mt: "maximum", vif: "VolumeFlow", storage: 2 }),
    num("min_flow", "m3h", { mt: "minimum", vif: "VolumeFlow", storage: 2 }),
    num("flow_temperature", "c", {
      mt: "minimum",
      vif: "FlowTemperature",
      storage: [1, 2],
    }),
    num("min_flow_temperature", "c", {
      mt: "minimum",
      vif: "FlowTemperature",
      storage: 2,
    }),
    num("max_flow_temperature", "c", {
      mt: "maximum",
      vif: "FlowTemperature",
      storage: 2,
    }),
    num("min_external_temperature_last_month", "c", {
      mt: "minimum",
      vif: "ExternalTemperature",
      storage: 1,
    }),
    num("min_external_temperature_last_day", "c", {
      mt: "minimum",
      vif: "ExternalTemperature",
      storage: 2,
    }),
    num("max_external_temperature", "c", {
      mt: "maximum",
      vif: "ExternalTemperature",
      storage: 1,
    }),
    text("time_dry", "lookup", { key: "02FF20" }, {
      lookups: [durations("DRY", 0x0070, 0x0010)],
    }),
    text("time_reversed", "lookup", { key: "02FF20" }, {
      lookups: [durations("REVERSED", 0x0380, 0x0080)],
    }),
    text("time_leaking", "lookup", { key: "02FF20" }, {
      lookups: [durations("LEAKING", 0x1c00, 0x0400)],
    }),
    text("time_bursting", "lookup", { key: "02FF20" }, {
      lookups: [durations("BURSTING", 0xe000, 0x2000)],
    }),
  ],
};

/** The Kamstrup family. */
export const KAMSTRUP_DRIVERS: readonly DriverDef[] = [KAMHEAT, KAMWATER];
