/**
 * Heat meters with standard records: sharky774, ultraheat, sensostar, elf, microclima.
 *
 * @module
 */

import { bits, I, num, status, text } from "./_build.ts";
import { rows } from "./rows.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { dateText } from "./_records.ts";
import { monthsBefore } from "./months.ts";

const E = "AnyEnergyVIF";
const ANY_FLAGS = bits("ERROR_FLAGS", 0xffffffff, []);
/** Unnamed error flags of a 16-bit mask (ultraheat, microclima). */
const ANY_FLAGS16 = bits("ERROR_FLAGS", 0xffff, []);

/** Diehl Sharky 774/775. */
export const SHARKY774: DriverDef = {
  name: "sharky774",
  detect: [["DME", 0x41, 0x04], ["DME", 0x41, 0x0d], ["DME", 0x41, 0x0c]],
  fields: [
    ...rows(`
      total_energy_consumption kwh I:AnyEnergyVIF
      total_cooling_consumption kwh I:AnyEnergyVIF t=1
      total_volume m3 I:AnyVolumeVIF
      total_cooling_volume m3 I:AnyVolumeVIF t=2
      volume_flow m3h I:VolumeFlow
      power kw I:AnyPowerVIF
      flow_temperature c I:FlowTemperature
      return_temperature c I:ReturnTemperature
      operating_time h I:OperatingTime
      operating_time_in_error h I:OperatingTime c=00-1F
      energy_at_set_date kwh I:AnyEnergyVIF s=1
      cooling_at_set_date kwh I:AnyEnergyVIF s=1 t=1
      set_date date I:Date s=1
    `),
  ],
};

/** Landis+Gyr Ultraheat (T550/UH50). */
export const ULTRAHEAT: DriverDef = {
  name: "ultraheat",
  detect: [["LUG", 0x04, 0x04]],
  fields: [
    status({ match: { mt: I, vif: "ErrorFlags" }, lookups: [ANY_FLAGS16] }),
    num("heat", "kwh", { mt: I, vif: E }),
    num("volume", "m3", { mt: I, vif: "Volume" }),
    num("power", "kw", { mt: I, vif: "AnyPowerVIF" }),
    num("flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    num("flow", "c", { mt: I, vif: "FlowTemperature" }),
    num("return", "c", { mt: I, vif: "ReturnTemperature" }),
    num("target", "kwh", { mt: I, vif: E, storage: 1 }),
    text("fabrication_no", "hex", { mt: I, vif: "FabricationNo" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("actuality_duration", "s", { mt: I, vif: "ActualityDuration" }),
  ],
};

/** Engelmann Sensostar. */
export const SENSOSTAR: DriverDef = {
  name: "sensostar",
  detect: [["EFE", 0x00, 0x04]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xff, [
        [0x01, "ERROR_TEMP_SENSOR_1_CABLE_BREAK"],
        [0x02, "ERROR_TEMP_SENSOR_1_SHORT_CIRCUIT"],
        [0x04, "ERROR_TEMP_SENSOR_2_CABLE_BREAK"],
        [0x08, "ERROR_TEMP_SENSOR_2_SHORT_CIRCUIT"],
        [0x10, "ERROR_FLOW_MEASUREMENT_SYSTEM_ERROR"],
        [0x20, "ERROR_ELECTRONICS_DEFECT"],
        [0x40, "OK_INSTRUMENT_RESET"],
        [0x80, "OK_BATTERY_LOW"],
      ])],
    }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    text("fabrication_no", "hex", { mt: I, vif: "FabricationNo" }),
    text("model_version", "hex", { mt: I, vif: "ModelVersion" }),
    text("parameter_set", "hex", { mt: I, vif: "ParameterSet" }),
    num("on_time", "h", { mt: I, vif: "OnTime" }),
    num("total", "kwh", { mt: I, vif: E }),
    num("total_tariff{tariff}", "kwh", { mt: I, vif: E, tariff: [2, 3] }),
    num("power", "kw", { mt: I, vif: "AnyPowerVIF" }),
    num("power_max", "kw", { mt: "maximum", vif: "AnyPowerVIF" }),
    num("flow_water", "m3h", { mt: I, vif: "VolumeFlow" }),
    num("flow_water_max", "m3h", { mt: "maximum", vif: "VolumeFlow" }),
    num("forward", "c", { mt: I, vif: "FlowTemperature" }),
    num("return", "c", { mt: I, vif: "ReturnTemperature" }),
    num("difference", "c", { mt: I, vif: "TemperatureDifference" }),
    num("total_water", "m3", { mt: I, vif: "Volume" }),
    num("total_water_tariff2", "m3", { mt: I, vif: "Volume", tariff: 2 }),
    num("total_subunit{subunit}", "m3", {
      mt: I,
      vif: "Volume",
      subunit: [1, 3],
    }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("target", "kwh", { mt: I, vif: E, storage: 1 }),
    num("target_tariff{tariff}", "kwh", {
      mt: I,
      vif: E,
      storage: 1,
      tariff: [2, 3],
    }),
    num("target_water", "m3", { mt: I, vif: "Volume", storage: 1 }),
    num("target_subunit{subunit}", "m3", {
      mt: I,
      vif: "Volume",
      storage: 1,
      subunit: [1, 3],
    }),
    num("target_{storage}", "kwh", { mt: I, vif: E, storage: [2, 32] }),
  ],
};

/** Apator Elf heat meter. */
export const ELF: DriverDef = {
  name: "elf",
  detect: [["APA", 0x40, 0x04]],
  fields: [
    status({ match: { key: "047F" }, lookups: [ANY_FLAGS] }),
    text("meter_date", "date", { mt: I, vif: "Date" }),
    num("total_energy_consumption", "kwh", { mt: I, vif: E }),
    num("current_power_consumption", "kw", { mt: I, vif: "PowerW" }),
    num("total_volume", "m3", { mt: I, vif: "Volume" }),
    num("total_energy_consumption_at_date", "kwh", {
      mt: I,
      vif: E,
      storage: 1,
    }),
    num("flow_temperature", "c", { mt: I, vif: "FlowTemperature" }),
    num("return_temperature", "c", { mt: I, vif: "ReturnTemperature" }),
    num("external_temperature", "c", { mt: I, vif: "ExternalTemperature" }),
    num("operating_time", "h", { mt: I, vif: "OperatingTime" }),
    text("version", "hex", { mt: I, vif: "ModelVersion" }),
    num("battery", "v", { mt: I, vif: "Voltage" }),
  ],
};

/** Maddalena Microclima. */
export const MICROCLIMA: DriverDef = {
  name: "microclima",
  detect: [["MAD", 0x00, 0x04]],
  fields: [
    status({ match: { mt: I, vif: "ErrorFlags" }, lookups: [ANY_FLAGS16] }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("total_energy_consumption", "kwh", { mt: I, vif: E }),
    num("total_volume", "m3", { mt: I, vif: "Volume" }),
    num("volume_flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    num("power", "kw", { mt: I, vif: "AnyPowerVIF" }),
    num("flow_temperature", "c", { mt: I, vif: "FlowTemperature" }),
    num("return_temperature", "c", { mt: I, vif: "ReturnTemperature" }),
    num("temperature_difference", "c", { mt: I, vif: "TemperatureDifference" }),
    text("model_version", "hex", { mt: I, vif: "ModelVersion" }),
    text("parameter_set", "hex", { mt: I, vif: "ParameterSet" }),
    num("consumption_at_set_date_{storage}", "kwh", {
      mt: I,
      vif: E,
      storage: [1, 31],
    }),
  ],
  after: microclimaSetDates,
};

/**
 * Microclima set dates: the date of storage 1, one month earlier per storage number,
 * printed for each stored energy (`set_date_N_date`).
 *
 * @param ctx Hook context.
 */
function microclimaSetDates(ctx: HookContext): void {
  const set = ctx.entries.find((e) =>
    e.mt === I && e.vif === 0x6c && e.storage === 1 && e.tariff === 0 &&
    e.subunit === 0
  );
  const text = set === undefined ? undefined : dateText(set);
  if (typeof text !== "string") return;
  for (const e of ctx.entries) {
    if (e.mt !== I || e.storage < 1 || e.storage > 31) continue;
    if (e.tariff !== 0 || e.subunit !== 0) continue;
    if (!ENERGY_VIFS.has(e.vif)) continue;
    ctx.fields[`set_date_${e.storage}_date`] = monthsBefore(
      text,
      e.storage - 1,
    );
  }
}

/** Energy VIFs (Wh, J, MWh, GJ ranges) for the set-date fields. */
const ENERGY_VIFS: ReadonlySet<number> = new Set([
  ...Array.from({ length: 16 }, (_, i) => i),
  0xfb00,
  0xfb01,
  0xfb08,
  0xfb09,
]);

/** Itron/Allmess heat meters with the EquaScan hMIU module. */
export const ITRONHEAT: DriverDef = {
  name: "itronheat",
  detect: [["ITW", 0x00, 0x04]],
  fields: [
    status(),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("total", "kwh", { mt: I, vif: E }),
    num("total", "m3", { mt: I, vif: "Volume" }),
    text("last_year_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("last_year", "kwh", { mt: I, vif: E, storage: 1 }),
  ],
};

/** Ista sensonic 3 heat meters. */
export const ISTAHEAT: DriverDef = {
  name: "istaheat",
  detect: [["IST", 0xa9, 0x04]],
  fields: [
    status(),
    num("total", "kwh", { mt: I, vif: E }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 2 }),
    num("target", "kwh", { mt: I, vif: E, storage: 2 }),
    num("target", "m3", { mt: I, vif: "Volume", storage: 2 }),
    text("last_year_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("last_year", "kwh", { mt: I, vif: E, storage: 1 }),
  ],
};

/** Diehl Sharky 775 (older driver). */
export const SHARKY: DriverDef = {
  name: "sharky",
  detect: [["HYD", 0x20, 0x04], ["DME", 0x40, 0x04]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0, [])],
      tpl: false,
    }),
    num("operating_time", "h", { mt: I, vif: "OperatingTime" }),
    num("total_energy_consumption", "kwh", { mt: I, vif: E }),
    num("total_energy_consumption_tariff1", "kwh", {
      mt: I,
      vif: E,
      tariff: 1,
    }),
    num("total_volume", "m3", { mt: I, vif: "Volume" }),
    num("total_volume_tariff2", "m3", { mt: I, vif: "Volume", tariff: 2 }),
    num("volume_flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    num("power", "kw", { mt: I, vif: "PowerW" }),
    num("flow_temperature", "c", { mt: I, vif: "FlowTemperature" }),
    num("return_temperature", "c", { mt: I, vif: "ReturnTemperature" }),
    num("temperature_difference", "c", { mt: I, vif: "TemperatureDifference" }),
    num("target_energy_consumption", "kwh", { mt: I, vif: E, storage: 5 }),
    num("target_volume", "m3", { mt: I, vif: "Volume", storage: 5 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 5 }),
  ],
};

/** GWF Enercal heat meters. */
export const ENERCAL: DriverDef = {
  name: "enercal",
  detect: [["GWF", 0x08, 0x04]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffffffff, [])],
    }),
    num("operating_time", "h", { mt: I, vif: "OperatingTime" }),
    num("on_time", "h", { mt: I, vif: "OnTime" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("total", "kwh", { mt: I, vif: E }),
    num("target", "kwh", { mt: I, vif: E, storage: 1 }),
    num("power", "kw", { mt: I, vif: "AnyPowerVIF" }),
    num("flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    num("flow_max", "m3h", { mt: "maximum", vif: "VolumeFlow" }),
    num("forward", "c", { mt: I, vif: "FlowTemperature" }),
    num("return", "c", { mt: I, vif: "ReturnTemperature" }),
    num("difference", "c", { mt: I, vif: "TemperatureDifference" }),
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("target", "m3", { mt: I, vif: "Volume", storage: 1 }),
    num("subunit1", "m3", { mt: I, vif: "Volume", subunit: 1 }),
    num("subunit1_target", "m3", {
      mt: I,
      vif: "Volume",
      storage: 1,
      subunit: 1,
    }),
    num("subunit1", "hca", { mt: I, vif: "HeatCostAllocation", subunit: 1 }),
    num("subunit1_target", "hca", {
      mt: I,
      vif: "HeatCostAllocation",
      storage: 1,
      subunit: 1,
    }),
    num("subunit2", "hca", { mt: I, vif: "HeatCostAllocation", subunit: 2 }),
    num("subunit2_target", "hca", {
      mt: I,
      vif: "HeatCostAllocation",
      storage: 1,
      subunit: 2,
    }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
  ],
};

/**
 * BMeters Hydrocal M3 heat/cooling meters: two energies (heating, then cooling) and four
 * volumes (heating, cooling, c1, c2) with identical record headers, told apart by order.
 */
export const HYDROCALM3: DriverDef = {
  name: "hydrocalm3",
  detect: [["BMT", 0x0b, 0x0d]],
  fields: [
    status({ tplLookup: bits("TPL", 0xe0, [[0x80, "SABOTAGE_ENCLOSURE"]]) }),
    num("total_heating", "kwh", { mt: I, vif: E, index: 1 }),
    text("device_datetime", "datetime", { mt: I, vif: "DateTime" }),
    num("total_cooling", "kwh", { mt: I, vif: E, index: 2 }),
    num("total_heating", "m3", { mt: I, vif: "Volume", index: 1 }),
    num("total_cooling", "m3", { mt: I, vif: "Volume", index: 2 }),
    num("c1_volume", "m3", { mt: I, vif: "Volume", index: 3 }),
    num("c2_volume", "m3", { mt: I, vif: "Volume", index: 4 }),
    num("supply_temperature", "c", { mt: I, vif: "FlowTemperature" }),
    num("return_temperature", "c", { mt: I, vif: "ReturnTemperature" }),
  ],
};

/** The heat family (without Kamstrup and Techem). */
export const HEAT_DRIVERS: readonly DriverDef[] = [
  SHARKY774,
  ULTRAHEAT,
  SENSOSTAR,
  ELF,
  MICROCLIMA,
  ITRONHEAT,
  ISTAHEAT,
  SHARKY,
  ENERCAL,
  HYDROCALM3,
];
