/**
 * What the Qundis/Lorenz Q heat 5.5 and Q water 5.5 (v2) meters share: the enhanced id,
 * the error flags and the history registers (storage 17 due date, storage 1 year end,
 * the error date, storages 2–13 monthly deltas), in kWh or m³.
 *
 * @module
 */

import { bits, I, status, text } from "./_build.ts";
import type { FieldSpec } from "./_spec.ts";
import { rows } from "./rows.ts";

/**
 * The shared fields.
 *
 * @param unit `kwh` (qheatv2, energies) or `m3` (qwaterv2, volumes).
 * @returns The field specs.
 */
export function qundisV2Fields(unit: "kwh" | "m3"): FieldSpec[] {
  const range = unit === "kwh" ? "AnyEnergyVIF" : "AnyVolumeVIF";
  const delta = unit === "kwh" ? "energy_delta" : "volume_delta";
  return [
    text("enhanced_id", "bcd", { mt: I, vif: "EnhancedIdentification" }),
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffff, [
        [0x0001, "NO_FLOW"],
        [0x0002, "SUPPLY_SENSOR_INTERRUPTED"],
        [0x0004, "RETURN_SENSOR_INTERRUPTED"],
        [0x0008, "TEMPERATURE_ELECTRONICS_ERROR"],
        [0x0010, "BATTERY_VOLTAGE_ERROR"],
        [0x0020, "SHORT_CIRCUIT_SUPPLY_SENSOR"],
        [0x0040, "SHORT_CIRCUIT_RETURN_SENSOR"],
        [0x0080, "MEMORY_ERROR"],
        [0x0100, "SABOTAGE"],
        [0x0200, "ELECTRONICS_ERROR"],
      ])],
    }),
    ...rows(`
      target ${unit} I:${range} s=17
      target_date date I:Date s=17
      target_year ${unit} I:${range} s=1
      target_year_date date I:Date s=1
      device_error_date date err:Date
      ${delta}_{storage} ${unit} I:${range} s=2-13
    `),
  ];
}
