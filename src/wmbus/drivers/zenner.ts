/**
 * Zenner C5-ISF heat/cooling meters: monthly history in storages 32–45 and decimal status
 * codes.
 *
 * @module
 */

import { I, status } from "./_build.ts";
import { rows } from "./rows.ts";
import type { DriverDef } from "./_spec.ts";

/** Zenner C5-ISF. */
export const C5ISF: DriverDef = {
  name: "c5isf",
  detect: [["ZRI", 0x88, 0x0d], ["ZRI", 0x88, 0x07], ["ZRI", 0x88, 0x04]],
  fields: [
    ...rows(`
      total_energy_consumption kwh I:AnyEnergyVIF
      total_cooling_consumption kwh I:AnyEnergyVIF t=1
      total_volume m3 I:Volume
    `),
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [{
        type: "decimals",
        name: "ERROR_FLAGS",
        mask: 9999,
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
        default: "OK",
      }],
    }),
    ...rows(`
      prev_{storage-31}_month_date date I:Date s=32-45
      prev_{storage-31}_month kwh I:AnyEnergyVIF s=32-45
      prev_{storage-31}_month m3 I:Volume s=32-45
      due_energy_consumption kwh I:AnyEnergyVIF s=8
      due_date date I:Date s=8
      volume_flow m3h I:VolumeFlow
      power kw I:PowerW
      total_energy_consumption_last_month kwh I:AnyEnergyVIF s=32
      last_month_datetime datetime I:DateTime
      max_power_last_month kw max:PowerW s=32 c=24
      flow_temperature c I:FlowTemperature
      return_temperature c I:ReturnTemperature
    `),
  ],
};

/** The Zenner drivers kept here. */
export const ZENNER_DRIVERS: readonly DriverDef[] = [C5ISF];
