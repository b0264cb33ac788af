/**
 * Electricity meters: amiplus, ebzwmbe, ehzp, esyswm, em24, omnipower, gransystems.
 *
 * @module
 */

import { bits, I, index, num, status, text } from "./_build.ts";
import { rows } from "./rows.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { round6 } from "./_records.ts";

const E = "AnyEnergyVIF";
const P = "AnyPowerVIF";
const BACK = ["3C"];

/** Apator/NES/Devolo amiplus. */
export const AMIPLUS: DriverDef = {
  name: "amiplus",
  detect: [
    ["APA", 0x02, 0x02],
    ["DEV", 0x02, 0x37],
    ["DEV", 0x00, 0x02],
    ["DEV", 0x01, 0x02],
    ["NES", 0x03, 0x02],
    ["APA", 0x01, 0x02],
    ["APT", 0x01, 0x02],
  ],
  fields: [
    num("total_energy_consumption", "kwh", { mt: I, vif: E }),
    // One field per tariff (the first matching record each, as the reference reads them).
    ...[1, 2, 3].map((t) =>
      num(`total_energy_consumption_tariff_${t}`, "kwh", {
        mt: I,
        vif: E,
        tariff: t,
      })
    ),
    num("current_power_consumption", "kw", { mt: I, vif: P }),
    num("total_energy_production", "kwh", { mt: I, vif: E, combinables: BACK }),
    ...[1, 2, 3].map((t) =>
      num(`total_energy_production_tariff_${t}`, "kwh", { key: `8E${t}0833C` })
    ),
    num("current_power_production", "kw", { mt: I, vif: P, combinables: BACK }),
    num("voltage_at_phase_1", "v", {
      mt: I,
      vif: "Voltage",
      combinables: ["7C01"],
    }),
    num("voltage_at_phase_2", "v", {
      mt: I,
      vif: "Voltage",
      combinables: ["7C02"],
    }),
    num("voltage_at_phase_3", "v", {
      mt: I,
      vif: "Voltage",
      combinables: ["7C03"],
    }),
    num("max_power_consumption", "kw", { mt: "maximum", vif: P }),
    text("device_datetime", "datetime", { mt: I, vif: "DateTime" }),
  ],
};

/** EBZ wMB-E01. */
export const EBZWMBE: DriverDef = {
  name: "ebzwmbe",
  detect: [["EBZ", 0x01, 0x02]],
  fields: [
    ...rows(`
      total_energy_consumption kwh I:AnyEnergyVIF
      current_power_consumption_phase1 kw k=04A9FF01
      current_power_consumption_phase2 kw k=04A9FF02
      current_power_consumption_phase3 kw k=04A9FF03
    `),
    text("customer", "hex", { mt: I, vif: "Customer" }),
  ],
  after(ctx: HookContext) {
    const parts = [1, 2, 3].map((n) =>
      ctx.fields[`current_power_consumption_phase${n}_kw`]
    );
    if (parts.every((p) => typeof p === "number")) {
      ctx.fields.current_power_consumption_kw = round6(
        (parts as number[]).reduce((a, b) => a + b, 0),
      );
    }
  },
};

/** EMH eHZ-P. */
export const EHZP: DriverDef = {
  name: "ehzp",
  detect: [["EMH", 0x02, 0x02]],
  fields: [
    status(),
    num("on_time", "h", { mt: I, vif: "OnTime" }),
    num("total_energy_consumption", "kwh", { mt: I, vif: E }),
    num("current_power_consumption", "kw", { mt: I, vif: P }),
    num("total_energy_production", "kwh", { mt: I, vif: E, combinables: BACK }),
  ],
};

/** EasyMeter ESYS-WM20/WM15. */
export const ESYSWM: DriverDef = {
  name: "esyswm",
  detect: [["ESY", 0x30, 0x37], ["ESY", 0x11, 0x02]],
  fields: [
    text("fabrication_no", "bcd", { mt: I, vif: "FabricationNo" }),
    text("enhanced_id", "bcd", { mt: I, vif: "EnhancedIdentification" }),
    text("location", "bcd", { mt: I, vif: "Location" }),
    text("location_hex", "hex", { mt: I, vif: "Location" }),
    ...rows(`
      total_energy_consumption kwh I:AnyEnergyVIF
      current_power_consumption kw I:AnyPowerVIF
      total_energy_production kwh I:AnyEnergyVIF c=3C
      total_energy_consumption_tariff1 kwh I:AnyEnergyVIF t=1
      total_energy_consumption_tariff2 kwh I:AnyEnergyVIF t=2
      current_power_consumption_phase1 kw k=04A9FF01
      current_power_consumption_phase2 kw k=04A9FF02
      current_power_consumption_phase3 kw k=04A9FF03
    `),
    text("version", "hex", { key: "0DFD09" }),
  ],
};

const EM24_FLAGS = [
  [0x01, "V_1_OVERFLOW"],
  [0x02, "V_2_OVERFLOW"],
  [0x04, "V_2_OVERFLOW"],
  [0x08, "I_1_OVERFLOW"],
  [0x10, "I_2_OVERFLOW"],
  [0x20, "I_3_OVERFLOW"],
  [0x40, "FREQUENCY"],
] as const;

/** Carlo Gavazzi EM24. */
export const EM24: DriverDef = {
  name: "em24",
  detect: [["KAM", 0x33, 0x02], ["GAV", 0x00, 0x02]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xff, EM24_FLAGS)],
      tpl: false,
    }),
    text("error", "lookup", { mt: I, vif: "ErrorFlags" }, {
      lookups: [bits("ERROR_FLAGS", 0xff, EM24_FLAGS, "")],
    }),
    num("total_energy_consumption", "kwh", { mt: I, vif: E }),
    num("power", "kw", { mt: I, vif: P }),
    num("total_energy_production", "kwh", { mt: I, vif: E, combinables: BACK }),
    num("total_reactive_energy_consumption", "kvarh", { key: "04FB8275" }, {
      scale: "none",
    }),
    num("total_reactive_energy_production", "kvarh", { key: "04FB82F53C" }, {
      scale: "none",
    }),
    num("amperage_at_phase_1", "a", { key: "04FDD9FC01" }),
    num("amperage_at_phase_2", "a", { key: "04FDD9FC02" }),
    num("amperage_at_phase_3", "a", { key: "04FDD9FC03" }),
    num("voltage_at_phase_1", "v", { key: "04FDC8FC01" }),
    num("voltage_at_phase_2", "v", { key: "04FDC8FC02" }),
    num("voltage_at_phase_3", "v", { key: "04FDC8FC03" }),
    num("frequency", "hz", { key: "02FB2E" }, { always: true }),
  ],
  after(ctx: HookContext) {
    const f = ctx.fields;
    const hyp = (a: unknown, b: unknown) =>
      typeof a === "number" && typeof b === "number"
        ? round6(Math.hypot(a, b))
        : null;
    f.total_apparent_energy_consumption_kvah = hyp(
      f.total_energy_consumption_kwh,
      f.total_reactive_energy_consumption_kvarh,
    );
    f.total_apparent_energy_production_kvah = hyp(
      f.total_energy_production_kwh,
      f.total_reactive_energy_production_kvarh,
    );
  },
};

/** Kamstrup Omnipower. */
export const OMNIPOWER: DriverDef = {
  name: "omnipower",
  detect: [["KAM", 0x30, 0x02]],
  fields: [
    num("total_energy_consumption", "kwh", { mt: I, vif: E }),
    num("total_energy_production", "kwh", { mt: I, vif: E, combinables: BACK }),
    num("current_power_consumption", "kw", { mt: I, vif: P }),
    num("current_power_production", "kw", { mt: I, vif: P, combinables: BACK }),
  ],
};

/** Gran-System-S CC101/CC301. */
export const GRANSYSTEMS: DriverDef = {
  name: "gransystems",
  detect: [["GSS", 0x01, 0x02]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffff, [
        [0x0001, "METER_HARDWARE_ERROR"],
        [0x0002, "RTC_ERROR"],
        [0x0008, "DEVICE_NOT_CONFIGURED"],
        [0x0010, "INTERNAL_ERROR"],
        [0x0020, "BATTERY_LOW"],
        [0x0040, "MAGNETIC_FRAUD_PRESENT"],
        [0x0080, "MAGNETIC_FRAUD_PAST"],
        [0x0100, "DSP_COMMUNICATION_ERROR"],
        [0x0200, "DSP_HARDWARE_ERROR"],
        [0x0800, "CALIBRATION_EEPROM_ERROR"],
        [0x1000, "EEPROM1_ERROR"],
        [0x4000, "RAM_ERROR"],
        [0x8000, "ROM_ERROR"],
      ])],
    }),
    text("info", "lookup", { mt: I, vif: "ErrorFlags" }, {
      lookups: [
        index("INFO_FLAGS", 0x01030000, [[0x01020000, "SINGLE_PHASE_METER"], [
          0x01010000,
          "THREE_PHASE_METER",
        ]]),
      ],
    }),
    num("total_energy_consumption", "kwh", { mt: I, vif: E }),
    num("total_energy_consumption_tariff_{tariff}", "kwh", {
      mt: I,
      vif: E,
      tariff: [1, 4],
    }),
    text("target_datetime", "datetime", { mt: I, vif: "DateTime", storage: 2 }),
    num("target_energy_consumption", "kwh", { mt: I, vif: E, storage: 2 }),
    num("target_energy_consumption_tariff_{tariff}", "kwh", {
      mt: I,
      vif: E,
      tariff: [1, 4],
      storage: 2,
    }),
    text("device_datetime", "datetime", { mt: I, vif: "DateTime" }),
    num("voltage_at_phase_1", "v", { mt: I, vif: "Voltage" }),
    num("voltage_at_phase_{subunit}", "v", {
      mt: I,
      vif: "Voltage",
      subunit: [1, 3],
    }),
    num("current_at_phase_1", "a", { mt: I, vif: "Amperage" }),
    num("current_at_phase_{subunit}", "a", {
      mt: I,
      vif: "Amperage",
      subunit: [1, 3],
    }),
    num("frequency", "hz", { key: "02FB2D" }, { always: true }),
  ],
};

/** The electricity family. */
export const ELECTRICITY_DRIVERS: readonly DriverDef[] = [
  AMIPLUS,
  EBZWMBE,
  EHZP,
  ESYSWM,
  EM24,
  OMNIPOWER,
  GRANSYSTEMS,
];
