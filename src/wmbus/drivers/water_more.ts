/**
 * More water meters with standard records: iperl, supercom587, evo868.
 *
 * @module
 */

import { bits, I, num, status, text } from "./_build.ts";
import { rows } from "./rows.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { aventiesFlags } from "./aventies.ts";
import { monthsBefore } from "./months.ts";

const V = "Volume";

/** Sensus iPERL. */
export const IPERL: DriverDef = {
  name: "iperl",
  detect: [["SEN", 0x68, 0x06], ["SEN", 0x68, 0x07], ["SEN", 0x7c, 0x07]],
  fields: [
    num("total", "m3", { mt: I, vif: V }),
    num("max_flow", "m3h", { mt: I, vif: "VolumeFlow" }),
  ],
};

/** Sontex Supercom 587. */
export const SUPERCOM587: DriverDef = {
  name: "supercom587",
  detect: [["SON", 0x3c, 0x06], ["SON", 0x3c, 0x07]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0x000f, [])],
    }),
    text("software_version", "hex", { mt: I, vif: "SoftwareVersion" }),
    num("total", "m3", { mt: I, vif: V }),
  ],
};

/** Maddalena EVO 868. */
export const EVO868: DriverDef = {
  name: "evo868",
  detect: [["MAD", 0x50, 0x06], ["MAD", 0x50, 0x07], ["MAD", 0x50, 0x16]],
  fields: [
    {
      kind: "status",
      name: "current_status",
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffff, [])],
    },
    text("fabrication_no", "hex", { mt: I, vif: "FabricationNo" }),
    num("total", "m3", { mt: I, vif: V }),
    num("consumption_at_set_date", "m3", { mt: I, vif: V, storage: 1 }),
    text("set_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("consumption_at_set_date_2", "m3", { mt: I, vif: V, storage: 2 }),
    text("set_date_2", "date", { mt: I, vif: "Date", storage: 2 }),
    num("max_flow_since_datetime", "m3h", {
      mt: "maximum",
      vif: "VolumeFlow",
      storage: 3,
    }),
    text("max_flow_datetime", "datetime", {
      mt: I,
      vif: "DateTime",
      storage: 3,
    }),
    num("consumption_at_history_{storage-7}", "m3", {
      mt: I,
      vif: V,
      storage: [8, 19],
    }),
    text("history_reference_date", "date", { mt: I, vif: "Date", storage: 8 }),
    text("device_datetime", "datetime", { mt: I, vif: "DateTime" }),
  ],
  after(ctx: HookContext) {
    const ref = ctx.fields.history_reference_date;
    if (typeof ref !== "string") return;
    for (const e of ctx.entries) {
      if (
        e.mt === I && e.vif >= 0x10 && e.vif <= 0x17 && e.storage >= 8 &&
        e.storage <= 19 && e.tariff === 0 && e.subunit === 0
      ) {
        ctx.fields[`history_${e.storage - 7}_date`] = monthsBefore(
          ref,
          e.storage - 8,
        );
      }
    }
  },
};

/** Lorenz/LSE 07 17 water meters (radio bridge). */
export const LSE_07_17: DriverDef = {
  name: "lse_07_17",
  detect: [["LSE", 0x18, 0x06], ["LSE", 0x18, 0x07], ["LSE", 0x16, 0x07], [
    "LSE",
    0x17,
    0x07,
  ], ["LSE", 0xd8, 0x07]],
  fields: [
    text("model_version", "hex", { mt: I, vif: "ModelVersion" }),
    num("total", "m3", { mt: I, vif: V }),
    num("due", "m3", { mt: I, vif: V, storage: 1 }),
    text("due_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("consumption_at_set_date_8", "m3", { mt: I, vif: V, storage: 8 }),
    text("set_date_8", "date", { mt: I, vif: "Date", storage: 8 }),
    text("error_code", "lookup", { key: "02BB56" }, {
      lookups: [bits("ERROR_FLAGS", 0xffff, [])],
    }),
    text("error_date", "date", { mt: "error", vif: "Date" }),
    text("device_datetime", "datetime", { mt: I, vif: "DateTime" }),
  ],
};

/** Aventies water meters. */
export const AVENTIESWM: DriverDef = {
  name: "aventieswm",
  detect: [["AAA", 0x25, 0x07]],
  fields: [
    ...aventiesFlags(),
    ...rows(`
      total m3 I:Volume
      consumption_at_set_date_{storage} m3 I:Volume s=1-14
    `),
  ],
};

/** Ista radio net 3 water meters (OMS mode). */
export const ISTAWATER: DriverDef = {
  name: "istawater",
  detect: [["IST", 0x31, 0x07]],
  fields: [
    num("total", "m3", { mt: I, vif: V }),
    num("target", "m3", { mt: I, vif: V, storage: 2 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 2 }),
  ],
};

/** Diehl/DME 07 water meters. */
export const DME_07: DriverDef = {
  name: "dme_07",
  detect: [["DME", 0x7b, 0x07]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffff, [])],
      tpl: false,
    }),
    num("total", "m3", { mt: I, vif: V }),
  ],
};

/** Diehl MK Radio 4a (OMS). */
export const MKRADIO4A: DriverDef = {
  name: "mkradio4a",
  detect: [["HYD", 0xfe, 0x06], ["TCH", 0x95, 0x37]],
  fields: [
    num("target", "m3", { mt: I, vif: V, storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
  ],
};

/** Integral Metering Aquastream. */
export const AQUASTREAM: DriverDef = {
  name: "aquastream",
  detect: [["IMT", 0x01, 0x07]],
  fields: [
    num("total", "m3", { mt: I, vif: "Volume" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("target", "m3", { mt: I, vif: "Volume", storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xffff,
        map: [
          [0x1, "TAMPER"],
          [0x4, "BURST"],
          [0x8, "LEAK"],
          [0x80, "NO_FLOW"],
          [0x100, "LOW_BATTERY"],
          [0x200, "REVERSE"],
          [0x400, "OVERFLOW"],
        ],
        default: "OK",
      }],
    }),
    ...rows(`
      total_backwards m3 I:Volume t=1
      battery y k=02FD74 none fs=1/365
    `),
  ],
};

/** Elster/Honeywell eMerlin 868 water meters. */
export const EMERLIN868: DriverDef = {
  name: "emerlin868",
  detect: [["ELR", 0x11, 0x37], ["ELR", 0x12, 0x37]],
  fields: [
    num("total", "m3", { mt: I, vif: V }),
    num("target", "m3", { mt: I, vif: V, storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
  ],
};

/** FIO water meters. */
export const FIOWATER: DriverDef = {
  name: "fiowater",
  detect: [["FIO", 0x01, 0x07]],
  fields: [
    status(),
    num("total", "m3", { mt: I, vif: "Volume" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
  ],
};

/** Kaden/Ecomess type 07 water meters. */
export const KADENWATER: DriverDef = {
  name: "kadenwater",
  detect: [["KDN", 0x01, 0x07], ["VIP", 0x01, 0x07]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffff, [])],
      tplLookup: bits("TPL", 0xe0, [[0x20, "LEAK_FLOW_LOW"], [
        0x40,
        "LEAK_FLOW_HIGH",
      ]]),
    }),
    num("total", "m3", { mt: I, vif: V }),
    num("volume_flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    num("actuality_duration", "s", { mt: I, vif: "ActualityDuration" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    text("fabrication_no", "hex", { mt: I, vif: "FabricationNo" }),
    num("max_flow", "m3h", { mt: "maximum", vif: "VolumeFlow" }),
    num("volume_b", "m3", { mt: I, vif: V, index: 2 }),
    num("duration_b", "s", { mt: I, vif: "ActualityDuration", index: 2 }),
  ],
};

/** Maddalena water meters. */
export const MADDALENA: DriverDef = {
  name: "maddalena",
  detect: [["MAD", 0x01, 0x07], ["MAD", 0x01, 0x06]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffff, [])],
    }),
    text("fabrication_no", "hex", { mt: I, vif: "FabricationNo" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("target", "m3", { mt: I, vif: V, storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("total", "m3", { mt: I, vif: V }),
  ],
};

/** More water meters. */
export const WATER_MORE_DRIVERS: readonly DriverDef[] = [
  IPERL,
  SUPERCOM587,
  EVO868,
  LSE_07_17,
  AVENTIESWM,
  ISTAWATER,
  DME_07,
  MKRADIO4A,
  AQUASTREAM,
  EMERLIN868,
  FIOWATER,
  KADENWATER,
  MADDALENA,
];
