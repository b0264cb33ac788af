/**
 * Heat cost allocators of the reference set: Zenner Caltose, BMeters
 * Hydroclima v2, Relay HCA.
 * Fields, units and detection triples follow the reference's driver definitions.
 *
 * @module
 */

import { I, num, status, text } from "./_build.ts";
import type { DriverDef } from "./_spec.ts";
import { rows } from "./rows.ts";

/** caltose (HeatCostAllocationMeter). */
export const CALTOSE: DriverDef = {
  name: "caltose",
  aliases: ["zennerhca"],
  detect: [["ZRI", 0xfc, 0x08]],
  fields: [
    num("consumption", "hca", { mt: I, vif: "HeatCostAllocation" }),
    num("target", "hca", { mt: I, vif: "HeatCostAllocation", storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    status({
      tplLookup: {
        type: "bits",
        name: "TPL_STATUS",
        mask: 0xff,
        map: [
          [0x04, "BATTERY_WARNING"],
          [0x08, "INVALID_METROLOGICAL_TABLE"],
          [0x20, "REMOVAL"],
          [0x40, "MODE_2F"],
          [0x80, "PRODUCT_SCALE"],
        ],
        default: "OK",
      },
    }),
    ...rows(`
      base_date date I:Date s=8
      base hca I:HeatCostAllocation s=8
    `),
  ],
};

/** hydroclimav2 (HeatCostAllocationMeter). */
export const HYDROCLIMAV2: DriverDef = {
  name: "hydroclimav2",
  detect: [["BMP", 0x53, 0x08], ["BMP", 0x85, 0x08]],
  fields: [
    num("consumption", "hca", { mt: I, vif: "HeatCostAllocation" }),
    num("target", "hca", { mt: I, vif: "HeatCostAllocation", storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    status({
      match: { key: "02FD17" },
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xffff,
        map: [],
        default: "OK",
      }],
    }),
    ...rows(`
      average_ambient_temperature c I:ExternalTemperature
      max_ambient_temperature c max:ExternalTemperature
      average_heater_temperature c I:FlowTemperature
      average_ambient_temperature_last_month c I:ExternalTemperature s=1
      average_heater_temperature_last_month c I:FlowTemperature s=1
      consumption_at_set_date_1 hca I:HeatCostAllocation s=2
      consumption_at_set_date_2 hca I:HeatCostAllocation s=3
      consumption_at_set_date_3 hca I:HeatCostAllocation s=4
      consumption_at_set_date_4 hca I:HeatCostAllocation s=5
      ambient_temperature_at_set_date_1 c I:ExternalTemperature s=2
      ambient_temperature_at_set_date_2 c I:ExternalTemperature s=3
      ambient_temperature_at_set_date_3 c I:ExternalTemperature s=4
      total_consumption hca I:HeatCostAllocation s=10
    `),
  ],
};

/** relhca (HeatCostAllocationMeter). */
export const RELHCA: DriverDef = {
  name: "relhca",
  detect: [["REL", 0x41, 0x00]],
  fields: [
    num("consumption", "hca", { mt: I, vif: "HeatCostAllocation" }),
    num("target", "hca", { mt: I, vif: "HeatCostAllocation", storage: 1 }),
    text("meter_datetime", "datetime", { mt: I, vif: "DateTime" }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    ...rows(`
      next_target_date date I:Date s=1 c=7E
    `),
  ],
};

/** The drivers of this file. */
export const HCA_REF_DRIVERS: readonly DriverDef[] = [
  CALTOSE,
  HYDROCLIMAV2,
  RELHCA,
];
