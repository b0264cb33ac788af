/**
 * Water meters: hydrus, hydrodigit, q400, ultrimis, itron, minomess.
 *
 * @module
 */

import { bits, I, num, status, text } from "./_build.ts";
import { rows } from "./rows.ts";
import type { DriverDef } from "./_spec.ts";
import { HYDRODIGIT } from "./hydrodigit.ts";

const ANY_FLAGS = bits("ERROR_FLAGS", 0xffff, []);
const V = "Volume";

/** Diehl Hydrus (OMS). */
export const HYDRUS: DriverDef = {
  name: "hydrus",
  detect: [
    ["DME", 0x70, 0x07],
    ["DME", 0x76, 0x07],
    ["HYD", 0x24, 0x07],
    ["HYD", 0x8b, 0x07],
    ["HYD", 0x8b, 0x06],
    ["DME", 0x70, 0x06],
    ["DME", 0x70, 0x16],
  ],
  fields: [
    status({ match: { mt: I, vif: "ErrorFlags" }, lookups: [ANY_FLAGS] }),
    num("operating_time", "h", { mt: I, vif: "OperatingTime" }),
    num("actuality_duration", "s", { mt: I, vif: "ActualityDuration" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    text("customer", "ascii", { mt: I, vif: "Customer" }),
    num("flow_temperature", "c", { mt: I, vif: "FlowTemperature" }),
    num("external_temperature", "c", { mt: I, vif: "ExternalTemperature" }),
    num("total", "m3", { mt: I, vif: V }),
    num("total_tariff{tariff}", "m3", { mt: I, vif: V, tariff: [1, 2] }),
    num("total_tariff{tariff}_at_date", "m3", {
      mt: I,
      vif: V,
      storage: 1,
      tariff: [1, 2],
    }),
    num("flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    num("total_at_date", "m3", { mt: I, vif: V, storage: 1 }),
    text("at_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("target", "m3", { mt: I, vif: V, storage: 3 }),
    text("target_datetime", "datetime", { mt: I, vif: "DateTime", storage: 3 }),
    num("remaining_battery_life", "y", { mt: I, vif: "RemainingBattery" }),
  ],
};

/** Axioma Qalcosonic W1 (q400). */
export const Q400: DriverDef = {
  name: "q400",
  detect: [["AXI", 0x01, 0x07], ["AXI", 0x10, 0x07], ["AXI", 0x20, 0x07]],
  fields: [
    status(),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("total", "m3", { mt: I, vif: V }),
    num("total_forward", "m3", { mt: I, vif: V, combinables: ["3B"] }),
    num("total_backward", "m3", { mt: I, vif: V, combinables: ["3C"] }),
    num("flow_temperature", "c", { mt: I, vif: "FlowTemperature" }),
    num("volume_flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    text("set_datetime", "datetime", { mt: I, vif: "DateTime", storage: 1 }),
    num("consumption_at_set_date", "m3", { mt: I, vif: V, storage: 1 }),
    num("forward_at_set_date", "m3", {
      mt: I,
      vif: V,
      storage: 1,
      combinables: ["3B"],
    }),
    num("backward_at_set_date", "m3", {
      mt: I,
      vif: V,
      storage: 1,
      combinables: ["3C"],
    }),
    num("battery", "pct", { key: "01FD74" }, { scale: "none" }),
    num("on_time", "h", { mt: I, vif: "OnTime" }),
    num("error_free_time", "h", { mt: I, vif: "OperatingTime" }),
    num("error_code", "counter", { mt: "error", vif: "ErrorFlags" }, {
      scale: "none",
    }),
  ],
};

/** Apator Ultrimis. */
export const ULTRIMIS: DriverDef = {
  name: "ultrimis",
  detect: [["APA", 0x01, 0x16]],
  fields: [
    ...rows(`
      total m3 I:Volume
      target m3 I:Volume s=1
    `),
    text("current_status", "lookup", { key: "03FD17" }, {
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
        ],
        default: "OK",
      }],
    }),
    ...rows(`
      total_backward_flow m3 k=04933C
    `),
  ],
};

/** Itron water meters. */
export const ITRON: DriverDef = {
  name: "itron",
  detect: [["ITW", 0x00, 0x07], ["ITW", 0x03, 0x07], ["ITW", 0x33, 0x07], [
    "ITW",
    0x00,
    0x16,
  ]],
  fields: [
    text("enhanced_id", "bcd", { mt: I, vif: "EnhancedIdentification" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("total_backward", "m3", { mt: I, vif: "Volume", combinables: ["3C"] }),
    num("volume_flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    status({
      match: { mt: I, vif: "ErrorFlags", combinables: ["15-1C"] },
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xffffff,
        map: [],
        default: "OK",
      }],
    }),
    ...rows(`
      target m3 I:Volume s=1
      target_date date I:Date s=1
    `),
    text("unknowna", "lookup", { key: "047F" }, {
      lookups: [{ type: "bits", name: "WOOTA", mask: 0xffffffff, map: [] }],
    }),
    text("unknownb", "lookup", { key: "027F" }, {
      lookups: [{ type: "bits", name: "WOOTB", mask: 0xffff, map: [] }],
    }),
  ],
};

/** Zenner Minomess. */
export const MINOMESS: DriverDef = {
  name: "minomess",
  detect: [["ZRI", 0x00, 0x07], ["ZRI", 0x01, 0x16], ["ZRI", 0x01, 0x06]],
  fields: [
    num("total", "m3", { mt: I, vif: "Volume" }),
    text("meter_date", "date", { mt: I, vif: "Date" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    text("fabrication_no", "bcd", { mt: I, vif: "FabricationNo" }),
    num("operating_time", "h", { mt: I, vif: "OperatingTime" }),
    num("on_time", "h", { mt: I, vif: "OnTime" }),
    num("on_time_at_error", "h", { mt: "error", vif: "OnTime" }),
    num("total_backward", "m3", { mt: I, vif: "Volume", combinables: ["3C"] }),
    num("volume_flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    ...rows(`
      target m3 I:Volume s=8
      target_date date I:Date s=8
      target m3 I:Volume s=1
      target_date date I:Date s=1
    `),
    status({
      match: { key: "02FD17" },
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xffff,
        map: [
          [0x8000, "BURSTING"],
          [0x4000, "REMOVED"],
          [0x2000, "LEAKING"],
          [0x1000, "WAS_BACKFLOWING"],
          [0x0800, "BACKFLOWING"],
          [0x0400, "WAS_BLOCKED"],
          [0x0200, "UNDERSIZED"],
          [0x0100, "OVERSIZED"],
          [0x0080, "WAS_REMOVED"],
          [0x0040, "WAS_TAMPERED"],
          [0x0020, "WAS_LEAKING"],
          [0x0010, "TEMPORARY_ERROR"],
          [0x0008, "PERMANENT_ERROR"],
          [0x0004, "BATTERY_EOL"],
          [0x0002, "ABNORMAL_CONDITION"],
        ],
        default: "OK",
      }],
      tplLookup: {
        type: "bits",
        name: "TPL_STATUS",
        mask: 0xf8,
        map: [
          [0x08, "PERMANENT_ERROR"],
          [0x10, "TEMPORARY_ERROR"],
          [0x20, "WAS_LEAKING"],
          [0x40, "WAS_TAMPERED"],
          [0x80, "WAS_REMOVED"],
        ],
        default: "OK",
      },
    }),
  ],
};

/** The water family (without the Diehl IZAR and Kamstrup drivers). */
export const WATER_DRIVERS: readonly DriverDef[] = [
  HYDRUS,
  HYDRODIGIT,
  Q400,
  ULTRIMIS,
  ITRON,
  MINOMESS,
];
