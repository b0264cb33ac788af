/**
 * Water meters: hydrus, hydrodigit, q400, ultrimis, itron, minomess.
 *
 * @module
 */

import { bits, I, num, status, text } from "./_build.ts";
import { rows } from "./rows.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { round6, uintLE } from "./_records.ts";

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

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Battery nibble → volts (BMeters Hydrodigit). */
const HYDRODIGIT_VOLTS = [
  3.7,
  1.9,
  2.1,
  2.2,
  2.3,
  2.4,
  2.5,
  2.65,
  2.8,
  2.9,
  3.05,
  3.2,
  3.35,
  3.5,
  3.7,
  3.7,
];

const CONTENTS = bits("CONTENTS", 0x97, [
  [0x01, "BATTERY_VOLTAGE"],
  [0x02, "FRAUD_DATE"],
  [0x04, "BACKFLOW"],
  [0x10, "MONTHLY_DATA"],
  [0x80, "LEAK_DATE"],
], null);

function bcd2(b: number): number {
  return (b >> 4) * 10 + (b & 0x0f);
}

function mkdate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${year}-${String(month).padStart(2, "0")}-${
    String(day).padStart(2, "0")
  }`;
}

/**
 * Decodes the Hydrodigit manufacturer data (contents byte, then the parts it announces).
 *
 * @param ctx Hook context.
 */
function hydrodigitMfct(ctx: HookContext): void {
  const m = ctx.manufacturerData;
  if (m === null || m.length === 0) return;
  const contents = m[0] ?? 0;
  const f = ctx.fields;
  f.contents = CONTENTS.map.filter(([bit]) => (contents & bit) !== 0).map((
    [, n],
  ) => n).sort().join(" ");
  let pos = 1;
  const take = (n: number): Uint8Array | null => {
    if (pos + n > m.length) return null;
    const b = m.subarray(pos, pos + n);
    pos += n;
    return b;
  };
  if ((contents & 0x01) !== 0) {
    const b = take(1);
    if (b !== null) f.voltage_v = HYDRODIGIT_VOLTS[(b[0] ?? 0) & 0x0f] ?? null;
  }
  if ((contents & 0x02) !== 0) {
    const t = take(1);
    const d = take(3);
    if (t !== null) {
      const type = (t[0] ?? 0) & 0xe0;
      const names = [[0x80, "MAGNETIC_FRAUD_ATTEMPT"], [
        0x40,
        "SENSOR_FRAUD_ATTEMPT",
      ], [0x20, "MODULE_REMOVED"]] as const;
      const words = names.filter(([bit]) => (type & bit) !== 0).map(([, n]) =>
        n
      );
      f.fraud_type = words.length === 0
        ? "NO_TYPE_INFO"
        : words.sort().join(" ");
    }
    if (d !== null) {
      f.fraud_date = mkdate(
        2000 + bcd2(d[0] ?? 0),
        (d[1] ?? 0) & 0x0f,
        bcd2(d[2] ?? 0),
      );
    }
  }
  if ((contents & 0x80) !== 0) {
    const d = take(3);
    if (d !== null) {
      f.leak_date = mkdate(
        2000 + bcd2(d[0] ?? 0),
        bcd2(d[1] ?? 0),
        bcd2(d[2] ?? 0),
      );
    }
  }
  if ((contents & 0x04) !== 0) {
    const b = take(4);
    if (b !== null) f.backflow_m3 = round6(uintLE(b) / 1000);
  }
  if ((contents & 0x10) !== 0) {
    for (const month of MONTHS) {
      const b = take(3);
      if (b === null) break;
      const raw = uintLE(b);
      f[`${month}_total_m3`] = raw < 10_000_000 ? round6(raw / 100) : 0;
    }
  }
}

/** BMeters Hydrodigit. */
export const HYDRODIGIT: DriverDef = {
  name: "hydrodigit",
  detect: [["BMT", 0x13, 0x06], ["BMT", 0x17, 0x06], ["BMT", 0x13, 0x07], [
    "BMT",
    0x15,
    0x07,
  ], ["BMT", 0x17, 0x07]],
  fields: [
    ...rows(`
      total m3 I:Volume
      meter_datetime datetime I:DateTime
    `),
    text("contents", "lookup", { key: "01FB05" }, {
      lookups: [{
        type: "bits",
        name: "CONTENTS",
        mask: 0x97,
        map: [
          [0x01, "BATTERY_VOLTAGE"],
          [0x02, "FRAUD_DATE"],
          [0x80, "LEAK_DATE"],
          [0x04, "BACKFLOW"],
          [0x10, "MONTHLY_DATA"],
        ],
        default: "",
      }],
    }),
    text("fraud_type", "lookup", { key: "01FE0F" }, {
      lookups: [{
        type: "bits",
        name: "FRAUD_TYPE",
        mask: 0xE0,
        map: [
          [0x80, "MAGNETIC_FRAUD_ATTEMPT"],
          [0x40, "SENSOR_FRAUD_ATTEMPT"],
          [0x20, "MODULE_REMOVED"],
        ],
        default: "NO_TYPE_INFO",
      }],
    }),
  ],
  after: hydrodigitMfct,
};

/** Axioma Qalcosonic W1 (q400). */
export const Q400: DriverDef = {
  name: "q400",
  detect: [["AXI", 0x01, 0x07], ["AXI", 0x10, 0x07], ["AXI", 0x20, 0x07]],
  fields: [
    status(),
    text("meter_datetime", "datetime", { mt: I, vif: "DateTime" }),
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
      match: { mt: I, vif: "ErrorFlags", combinables: ["10-1F"] },
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
    text("meter_datetime", "datetime", { mt: I, vif: "DateTime" }),
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
