/**
 * Small table-only drivers from several vendors: aerius (gas), dmehca (heat cost
 * allocator), brunatawm, ev200, hydrus_r4 (water), hydrocalm4 (heat/cooling), elvsense
 * (room sensor), eltako (electricity), iwmtx5 (water), kaden (heat cost allocator).
 *
 * @module
 */

import { bits, I, num, status, text } from "./_build.ts";
import { rows } from "./rows.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { round6 } from "./_records.ts";

const BASE_COND = ["3E"];

/** Diehl Aerius gas meters. */
export const AERIUS: DriverDef = {
  name: "aerius",
  detect: [["DME", 0x30, 0x03]],
  fields: [
    num("total", "m3", { mt: I, vif: "Volume", combinables: BASE_COND }),
    num("flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    num("temperature", "c", { mt: I, vif: "FlowTemperature" }),
    text("target_datetime", "datetime", { mt: I, vif: "DateTime", storage: 3 }),
    num("target", "m3", {
      mt: I,
      vif: "Volume",
      storage: 3,
      combinables: BASE_COND,
    }),
  ],
};

/** Diehl heat cost allocators. */
export const DMEHCA: DriverDef = {
  name: "dmehca",
  detect: [["DME", 0x80, 0x08], ["DME", 0x81, 0x08]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffff, [])],
    }),
    num("current_hca", "hca", { mt: I, vif: "HeatCostAllocation" }),
    num("previous_hca", "hca", {
      mt: I,
      vif: "HeatCostAllocation",
      storage: 1,
    }),
  ],
};

/** Brunata water meters. */
export const BRUNATAWM: DriverDef = {
  name: "brunatawm",
  detect: [["DWZ", 0x01, 0x06]],
  fields: [
    status(),
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("target", "m3", { mt: I, vif: "Volume", storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    text("meter_date", "date", { mt: I, vif: "Date" }),
  ],
};

/** BMeters Hydrocal M4 heat/cooling meters. */
export const HYDROCALM4: DriverDef = {
  name: "hydrocalm4",
  detect: [["BMT", 0x1a, 0x0d]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xffff,
        map: [[0x80, "SABOTAGE"]],
        default: "OK",
      }],
    }),
    ...rows(`
      total_heating kwh I:AnyEnergyVIF
      device_datetime datetime I:DateTime
      total_cooling kwh I:AnyEnergyVIF t=1
      total_heating m3 I:Volume
      total_cooling m3 I:Volume t=1
      c1_volume m3 I:Volume u=1
      c2_volume m3 I:Volume u=2
      supply_temperature c I:FlowTemperature
      return_temperature c I:ReturnTemperature
      volume_flow m3h I:VolumeFlow
      power kw I:AnyPowerVIF
    `),
  ],
};

/** Elster EV200 water meters. */
export const EV200: DriverDef = {
  name: "ev200",
  detect: [["ELR", 0x0d, 0x07]],
  fields: [
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("target", "m3", { mt: I, vif: "Volume", storage: 1 }),
  ],
};

/** Elvaco Sense room sensors. */
export const ELVSENSE: DriverDef = {
  name: "elvsense",
  detect: [0x50, 0x51, 0x52, 0x53, 0x54].map((v) => ["ELV", v, 0x1b] as const),
  fields: [
    num("temperature", "c", { mt: I, vif: "ExternalTemperature" }),
    num("battery", "v", { mt: I, vif: "Voltage" }),
    num("humidity", "rh", { mt: I, vif: "RelativeHumidity" }),
    // Plain-text VIF "CO2" (the text is not part of the key here).
    num("co2", "ppm", { key: "027C" }, { scale: "none" }),
    status(),
  ],
};

/** Diehl Hydrus R4 (identities no reference driver claims). */
export const HYDRUS_R4: DriverDef = {
  // Not a reference driver: named apart from the reference's hydrus and topaseskr.
  name: "mbusgw_hydrus_r4",
  aliases: ["hydrus_r4"],
  detect: [["DFS", 0x24, 0x07], [
    "SPL",
    0x24,
    0x07,
  ], ["SPL", 0x25, 0x07]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffff, [])],
    }),
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("access", "counter", { mt: I, vif: "AccessNumber" }, {
      scale: "none",
      unsigned: true,
    }),
    num("temperature", "c", { mt: I, vif: "FlowTemperature" }),
    num("current_flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    num("volume_year_period", "m3", { mt: I, vif: "Volume", storage: 1 }),
    num("reverse_volume_year_period", "m3", {
      mt: I,
      vif: "Volume",
      storage: 1,
      tariff: 1,
    }),
    num("forward_volume_year_period", "m3", {
      mt: I,
      vif: "Volume",
      storage: 1,
      tariff: 2,
    }),
    text("meter_year_period_end_date", "date", {
      mt: I,
      vif: "Date",
      storage: 1,
    }),
    num("volume_month_period", "m3", { mt: I, vif: "Volume", storage: 3 }),
    text("meter_month_period_end_datetime", "datetime", {
      mt: I,
      vif: "DateTime",
      storage: 3,
    }),
    num("battery", "y", { mt: I, vif: "RemainingBattery" }),
  ],
};

/** Eltako electricity meters (wired M-Bus). */
export const ELTAKO: DriverDef = {
  name: "eltako",
  detect: [["ELT", 0x01, 0x02]],
  fields: [
    text("status", "lookup", { mt: I, vif: "ErrorFlags" }, {
      lookups: [bits("ERROR_FLAGS", 0xff, [
        [0x01, "BUSY"],
        [0x02, "GENERIC_APP_ERROR"],
        [0x04, "CURRENT_LOW"],
        [0x08, "PERMANENT_ERROR"],
        [0x10, "TEMPORARY_ERROR"],
      ])],
    }),
    num("total_tariff_1", "kwh", { mt: I, vif: "AnyEnergyVIF", tariff: 1 }),
    num("total_tariff_2", "kwh", { mt: I, vif: "AnyEnergyVIF", tariff: 2 }),
    num("total_reactive_tariff_{tariff}", "kwh", {
      mt: I,
      vif: "AnyEnergyVIF",
      storage: 2,
      tariff: [1, 10],
    }),
    num("voltage_l1_n", "v", { mt: I, vif: "Voltage", combinables: ["7F01"] }),
    num("current_l1", "a", { mt: I, vif: "Amperage", combinables: ["7F01"] }),
    num("power_l1", "kw", { mt: I, vif: "AnyPowerVIF", combinables: ["7F01"] }),
    num("reactive_power_l1", "kw", {
      mt: I,
      vif: "AnyPowerVIF",
      subunit: 1,
      combinables: ["7F01"],
    }),
    num("voltage_l2_n", "v", { mt: I, vif: "Voltage", combinables: ["7F02"] }),
    num("current_l2", "a", { mt: I, vif: "Amperage", combinables: ["7F02"] }),
    num("power_l2", "kw", { mt: I, vif: "AnyPowerVIF", combinables: ["7F02"] }),
    num("reactive_power_l2", "kw", {
      mt: I,
      vif: "AnyPowerVIF",
      subunit: 1,
      combinables: ["7F02"],
    }),
    num("voltage_l3_n", "v", { mt: I, vif: "Voltage", combinables: ["7F03"] }),
    num("current_l3", "a", { mt: I, vif: "Amperage", combinables: ["7F03"] }),
    num("power_l3", "kw", { mt: I, vif: "AnyPowerVIF", combinables: ["7F03"] }),
    num("reactive_power_l3", "kw", {
      mt: I,
      vif: "AnyPowerVIF",
      subunit: 1,
      combinables: ["7F03"],
    }),
    num("ct_numerator", "counter", { key: "02FF68" }, { scale: "none" }),
    num("active_power_overall", "kw", {
      mt: I,
      vif: "AnyPowerVIF",
      combinables: ["7F00"],
    }),
    num("reactive_power_overall", "kw", {
      mt: I,
      vif: "AnyPowerVIF",
      subunit: 1,
      combinables: ["7F00"],
    }),
    num("active_tariff", "counter", { key: "01FF13" }, { scale: "none" }),
  ],
  after(ctx: HookContext) {
    const a = ctx.fields.total_tariff_1_kwh;
    const b = ctx.fields.total_tariff_2_kwh;
    // The reference prints its calculated total as null when a tariff is missing.
    ctx.fields.total_kwh = typeof a === "number" && typeof b === "number"
      ? round6(a + b)
      : null;
  },
};

/** Integral/BMeters iWM-TX5 water meters. */
export const IWMTX5: DriverDef = {
  name: "iwmtx5",
  detect: [["BMT", 0x18, 0x07], ["BMT", 0x18, 0x06]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffffffff, [])],
      tplLookup: bits("TPL", 0xe0, [[0x40, "TAMPER"]]),
    }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("total", "m3", { mt: I, vif: "Volume" }),
  ],
};

/** Kaden heat cost allocators. */
export const KADEN: DriverDef = {
  name: "kaden",
  detect: [["VIP", 0x1e, 0x08]],
  fields: [
    num("consumption", "hca", { mt: I, vif: "HeatCostAllocation" }),
    num("target", "hca", { mt: I, vif: "HeatCostAllocation", storage: 1 }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    text("fabrication_no", "bcd", { mt: I, vif: "FabricationNo" }),
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xffff,
        map: [
          [0x0001, "VOLTAGE_INTERRUPTED"],
          [0x0004, "SENSOR_T2_OUTSIDE_MEASURING_RANGE"],
          [0x0008, "TAMPERING"],
          [0x0020, "SENSOR_T3_OUTSIDE_MEASURING_RANGE"],
        ],
        default: "OK",
      }],
    }),
    ...rows(`
      no_measurement_duration h k=0475
      no_measurement_duration_last_year h k=4475
      tampering_duration h k=0474
    `),
  ],
};

/** The small table-only drivers. */
export const SIMPLE_DRIVERS: readonly DriverDef[] = [
  AERIUS,
  DMEHCA,
  BRUNATAWM,
  HYDROCALM4,
  EV200,
  ELVSENSE,
  HYDRUS_R4,
  ELTAKO,
  IWMTX5,
  KADEN,
];
