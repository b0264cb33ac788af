/**
 * Zenner C5-ISF heat/cooling meters: monthly history in storages 32–45 and decimal status
 * codes.
 *
 * @module
 */

import { I, num, status, text } from "./_build.ts";
import type { DriverDef, Lookup } from "./_spec.ts";

const E = "AnyEnergyVIF";
const MONTHS: readonly [number, number] = [32, 45];

const C5ISF_CODES: Lookup = {
  type: "decimals",
  name: "ERROR_FLAGS",
  mask: 0x270f,
  default: "OK",
  map: [
    [2000, "VERIFICATION_EXPIRED"],
    [1000, "BATTERY_EXPIRED"],
    [800, "WIRELESS_ERROR"],
    [100, "HARDWARE_ERROR3"],
    [50, "VALUE_OVERLOAD"],
    [40, "AIR_INSIDE"],
    [30, "REVERSE_FLOW"],
    [20, "DRY"],
    [10, "ERROR_MEASURING"],
    [9, "HARDWARE_ERROR2"],
    [8, "HARDWARE_ERROR1"],
    [7, "LOW_BATTERY"],
    [6, "SUPPLY_SENSOR_INTERRUPTED"],
    [5, "SHORT_CIRCUIT_SUPPLY_SENSOR"],
    [4, "RETURN_SENSOR_INTERRUPTED"],
    [3, "SHORT_CIRCUIT_RETURN_SENSOR"],
    [2, "TEMP_ABOVE_RANGE"],
    [1, "TEMP_BELOW_RANGE"],
  ],
};

/** Zenner C5-ISF. */
export const C5ISF: DriverDef = {
  name: "c5isf",
  detect: [["ZRI", 0x88, 0x0d], ["ZRI", 0x88, 0x07], ["ZRI", 0x88, 0x04]],
  fields: [
    text("prev_{storage-31}_month", "date", {
      mt: I,
      vif: "Date",
      storage: MONTHS,
    }, { invalid: "" }),
    num("prev_{storage-31}_month", "kwh", { mt: I, vif: E, storage: MONTHS }),
    num("prev_{storage-31}_month", "m3", {
      mt: I,
      vif: "Volume",
      storage: MONTHS,
    }),
    num("total_energy_consumption", "kwh", { mt: I, vif: E }),
    num("total_cooling_consumption", "kwh", { mt: I, vif: E, tariff: 1 }),
    num("total_volume", "m3", { mt: I, vif: "Volume" }),
    status({ match: { mt: I, vif: "ErrorFlags" }, lookups: [C5ISF_CODES] }),
    num("due_energy_consumption", "kwh", { mt: I, vif: E, storage: 8 }),
    text("due_date", "date", { mt: I, vif: "Date", storage: 8 }, {
      invalid: "",
    }),
    num("volume_flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    num("power", "kw", { mt: I, vif: "PowerW" }),
    num("total_energy_consumption_last_month", "kwh", {
      mt: I,
      vif: E,
      storage: 32,
    }),
    text("last_month_date", "datetime", { mt: I, vif: "DateTime" }),
    num("max_power_last_month", "kw", {
      mt: "maximum",
      vif: "PowerW",
      storage: 32,
      combinables: ["25"],
    }),
    num("flow_temperature", "c", { mt: I, vif: "FlowTemperature" }),
    num("return_temperature", "c", { mt: I, vif: "ReturnTemperature" }),
  ],
};

/** The Zenner drivers kept here. */
export const ZENNER_DRIVERS: readonly DriverDef[] = [C5ISF];
