/**
 * Table drivers the reference added recently: joyh100, hcae2 (heat cost allocators), axis,
 * elf2, pollucomf (heat), dme173, aptmbusna (water).
 *
 * @module
 */

import { bits, I, num, status, text } from "./_build.ts";
import { rows } from "./rows.ts";
import type { DriverDef } from "./_spec.ts";

const HCA = "HeatCostAllocation";

/** Joy Technology JOYH100 heat cost allocators. */
export const JOYH100: DriverDef = {
  name: "joyh100",
  detect: [["JOY", 0x0b, 0x08], ["JOY", 0x0c, 0x08]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags", storage: 4 },
      lookups: [bits("ERROR_FLAGS", 0xff, [
        [0x01, "OPEN_COVER"],
        [0x02, "MEMORY_ERROR"],
        [0x04, "TEMP_SENSOR_ERROR"],
        [0x08, "BATTERY_LOW"],
      ])],
      tplLookup: bits("TPL", 0x04, [[0x04, "RADIO_MODULE_BATTERY_LOW"]]),
    }),
    num("consumption", "hca", { mt: I, vif: HCA }),
    num("target", "hca", { mt: I, vif: HCA, storage: 1 }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("flow_temperature", "c", { mt: I, vif: "FlowTemperature" }),
    num("return_temperature", "c", { mt: I, vif: "ReturnTemperature" }),
    text("open_cover_alarm_date", "date", { mt: I, vif: "Date", storage: 2 }),
    text("temp_sensor_alarm_date", "date", { mt: I, vif: "Date", storage: 3 }),
    num("historic_{storage-6}", "hca", { mt: I, vif: HCA, storage: [7, 18] }),
    num("historic_{storage-18}_year", "hca", {
      mt: I,
      vif: HCA,
      storage: [19, 21],
    }),
  ],
};

/** Axioma heat meters. */
export const AXIS: DriverDef = {
  name: "axis",
  detect: [["AXI", 0x07, 0x04]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffffffff, [])],
    }),
    text("fabrication_no", "hex", { mt: I, vif: "FabricationNo" }),
    num("operating_time", "h", { mt: I, vif: "OperatingTime" }),
    num("on_time", "h", { mt: I, vif: "OnTime" }),
    text("meter_datetime", "datetime", { mt: I, vif: "DateTime" }),
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("flow_temperature", "c", { mt: I, vif: "FlowTemperature" }),
    num("return_temperature", "c", { mt: I, vif: "ReturnTemperature" }),
    num("flow_return_temperature_difference", "c", {
      mt: I,
      vif: "TemperatureDifference",
    }),
    num("volume_flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    num("total_energy", "kwh", { mt: I, vif: "AnyEnergyVIF" }),
    num("power", "kw", { mt: I, vif: "AnyPowerVIF" }),
    text("target_datetime", "datetime", { mt: I, vif: "DateTime", storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("target_energy", "kwh", { mt: I, vif: "AnyEnergyVIF", storage: 1 }),
    num("target_volume", "m3", { mt: I, vif: "Volume", storage: 1 }),
  ],
};

/** Apator Elf 2 heat meters (wired M-Bus). */
export const ELF2: DriverDef = {
  name: "elf2",
  detect: [["APA", 0x42, 0x04], ["APA", 0x42, 0x0d]],
  fields: [
    text("fabrication_no", "bcd", { mt: I, vif: "FabricationNo" }),
    num("on_time", "h", { mt: I, vif: "OnTime" }),
    num("on_time_at_error", "h", { mt: "error", vif: "OnTime" }),
    ...rows(`
      meter_date date I:Date
      meter_datetime datetime I:DateTime
      t2_temperature c I:ReturnTemperature
      t1_temperature c I:FlowTemperature
      current_power kw I:AnyPowerVIF
      current_volume_flow m3h I:VolumeFlow
      total_volume m3 I:AnyVolumeVIF
      total_volume_cooling m3 I:AnyVolumeVIF u=1
      input1_volume m3 I:AnyVolumeVIF t=1
      input2_volume m3 I:AnyVolumeVIF t=2
      total_energy kwh I:AnyEnergyVIF
      total_energy_cooling kwh I:AnyEnergyVIF u=1
      total_energy_period kwh I:AnyEnergyVIF s=1
      total_energy_cooling_period kwh I:AnyEnergyVIF s=1 u=1
    `),
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xffff,
        map: [
          [0x01, "MINIMUM_FLOW"],
          [0x02, "FLOW_METER_FAILURE"],
          [0x04, "RETURN_TEMPERATURE_ERROR"],
          [0x08, "SUPPLY_TEMPERATURE_ERROR"],
          [0x10, "DIFFERENTIAL_TEMPERATURE_ERROR"],
          [0x20, "MAXIMUM_FLOW"],
          [0x40, "MEMORY_FAILURE"],
          [0x80, "LOW_BATTERY_VOLTAGE"],
          [0x100, "DAILY_ABNORMAL_NOMINAL_FLOW"],
          [0x200, "ANNUAL_ABNORMAL_NOMINAL_FLOW"],
          [0x400, "DIFFERENTIAL_TEMPERATURE_TOO_LOW"],
          [0x800, "CRC_ERROR"],
          [0x1000, "FLASH_ERROR"],
          [0x2000, "CRITICAL_BATTERY_VOLTAGE"],
          [0x4000, "CPU_OVERTEMPERATURE"],
          [0x8000, "UART_LIMIT_OVERRUN"],
        ],
        default: "OK",
      }],
    }),
  ],
};

/** Diehl/DME 173 water meters. */
export const DME173: DriverDef = {
  name: "dme173",
  detect: [["DME", 0x63, 0x07]],
  fields: [
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("flow_temperature", "c", { mt: I, vif: "FlowTemperature" }),
    num("total_backward", "m3", { mt: I, vif: "Volume", combinables: ["3C"] }),
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xffffffff,
        map: [],
        default: "OK",
      }],
    }),
    ...rows(`
      target m3 I:Volume s=8
      target_datetime datetime I:DateTime s=8
      total_at_set_date m3 I:Volume s=1
      set_date date I:Date s=1
    `),
  ],
};

/** Engelmann HCA e2 heat cost allocators. */
export const HCAE2: DriverDef = {
  name: "hcae2",
  detect: [["EFE", 0x31, 0x08]],
  fields: [
    status(),
    num("consumption", "hca", { mt: I, vif: "HeatCostAllocation" }),
    num("target", "hca", { mt: I, vif: "HeatCostAllocation", storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    text("meter_datetime_at_error", "date", { mt: "error", vif: "DateTime" }),
    text("status_mfct", "lookup", { key: "317F" }, {
      inject: true,
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xff,
        map: [
          [0x01, "MEMORY_ERROR"],
          [0x02, "UNEXPECTED_RST"],
          [0x04, "ANNO_10_11"],
          [0x08, "OPEN_C"],
          [0x10, "SENSOR_BREAK"],
          [0x20, "SENSOR_SHORT"],
          [0x40, "WDT"],
          [0x80, "REMOTE_SENSOR"],
        ],
        default: "OK",
      }],
    }),
    ...rows(`
      current_consumption hca I:HeatCostAllocation
      consumption_at_set_date_1 hca I:HeatCostAllocation s=1
      half_month_history_start_date date I:Date s=2
      delta_{32-storage}_half_months_ago hca I:HeatCostAllocation s=2-31
    `),
  ],
};

/** Apator APT-MBUS-NA-1 water meters (wired M-Bus). */
export const APTMBUSNA: DriverDef = {
  name: "aptmbusna",
  detect: [["APA", 0x15, 0x07]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffffff, [
        [0x000001, "P_MAGNETIC_FIELD"],
        [0x000002, "P_STRONG_LIGHT"],
        [0x000004, "P_MBUS_DISCONNECTED"],
        [0x000008, "P_DETECTION_WITHOUT_CHANGES"],
        [0x000010, "P_MINIMUM_FLOW"],
        [0x000020, "P_MAXIMUM_FLOW"],
        [0x000040, "P_REVERSE_FLOW"],
        // The reference writes 0x0000800 (a digit too many): bit 7 is the leak flag.
        [0x000080, "P_LEAK"],
        [0x000100, "P_PROCESSOR_RESET"],
        [0x000200, "P_CLOCK_HAND_ERROR"],
        [0x000400, "BATTERY_LOW"],
        [0x000800, "P_DETECTOR_ERROR"],
        [0x010000, "MAGNETIC_FIELD"],
        [0x020000, "STRONG_LIGHT"],
        [0x040000, "MBUS_DISCONNECTED"],
        [0x080000, "DETECTION_WITHOUT_CHANGES"],
        [0x100000, "MINIMUM_FLOW"],
        [0x200000, "MAXIMUM_FLOW"],
        [0x400000, "REVERSE_FLOW"],
        [0x800000, "PROCESSOR_RESET"],
      ])],
    }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    text("fabrication_no", "hex", { mt: I, vif: "FabricationNo" }),
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("target", "m3", { mt: I, vif: "Volume", storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("volume_flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    num("operating_time", "h", { mt: I, vif: "OperatingTime" }),
  ],
};

/** Sensus PolluCom F heat meters. */
export const POLLUCOMF: DriverDef = {
  name: "pollucomf",
  detect: [["SEN", 0x1d, 0x04]],
  fields: [
    status(),
    num("total", "kwh", { mt: I, vif: "AnyEnergyVIF" }),
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("power", "kw", { mt: I, vif: "AnyPowerVIF" }),
    num("flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    num("forward", "c", { mt: I, vif: "FlowTemperature" }),
    num("return", "c", { mt: I, vif: "ReturnTemperature" }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("target", "kwh", { mt: I, vif: "AnyEnergyVIF", storage: 1 }),
    num("target", "m3", { mt: I, vif: "Volume", storage: 1 }),
    num("forward_max", "c", {
      mt: "maximum",
      vif: "FlowTemperature",
      storage: 1,
    }),
    num("return_max", "c", {
      mt: "maximum",
      vif: "ReturnTemperature",
      storage: 1,
    }),
    num("flow_max", "m3h", { mt: "maximum", vif: "VolumeFlow", storage: 1 }),
    num("operating_time", "h", { mt: I, vif: "OperatingTime" }),
    num("on_time", "h", { mt: I, vif: "OnTime" }),
    num("on_time_at_error", "h", { mt: "error", vif: "OnTime" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
  ],
};

/** The recently added drivers. */
export const RECENT_DRIVERS: readonly DriverDef[] = [
  JOYH100,
  AXIS,
  ELF2,
  DME173,
  HCAE2,
  APTMBUSNA,
  POLLUCOMF,
];
