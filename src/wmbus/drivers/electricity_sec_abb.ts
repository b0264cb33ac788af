/**
 * What the ABB B23 and Schneider iEM3000 electricity meters share: their manufacturer
 * flag records (error, warning, information and alarm words, one unknown byte) and the
 * per-phase, net, resettable and CO2/currency registers they code alike.
 *
 * @module
 */

import type { TextField } from "./_spec.ts";
import { text } from "./_build.ts";
import { rows } from "./rows.ts";

/** A text of the set bits of one record (no bit has a name: `NAME_<hex>`). */
function flagWords(
  name: string,
  key: string,
  lookupName: string,
  mask: number,
  none: string,
  alsoStatus: boolean,
): TextField {
  return text(name, "lookup", { key }, {
    ...(alsoStatus ? { alsoStatus: true } : {}),
    lookups: [{ type: "bits", name: lookupName, mask, map: [], default: none }],
  });
}

/**
 * The flag records 07FFA600 (error), 07FFA700 (warning), 07FFA800 (information),
 * 07FFA900 (alarm) and 01FFAD00 (an unknown byte).
 *
 * @param alsoStatus Error, warning and alarm words also go into `status`.
 * @returns The fields.
 */
export function secAbbFlags(alsoStatus: boolean): TextField[] {
  return [
    flagWords(
      "error_flags",
      "07FFA600",
      "ERROR_FLAGS",
      0xffffffff,
      "OK",
      alsoStatus,
    ),
    flagWords(
      "warning_flags",
      "07FFA700",
      "WARNING_FLAGS",
      0xffffffff,
      "OK",
      alsoStatus,
    ),
    flagWords(
      "information_flags",
      "07FFA800",
      "INFORMATION_FLAGS",
      0xffffffff,
      "",
      false,
    ),
    flagWords(
      "alarm_flags",
      "07FFA900",
      "ALARM_FLAGS",
      0xffffffff,
      "OK",
      alsoStatus,
    ),
    flagWords("unknown_vif_FFAD", "01FFAD00", "UNKNOWN", 0xff, "OK", false),
  ];
}

/** The registers both meters code alike. */
export const SEC_ABB_ROWS = rows(`
  power_fail counter k=04FF9800 none
  active_consumption_l1 kw I:AnyPowerVIF c=7F01
  active_consumption_l2 kw I:AnyPowerVIF c=7F02
  active_consumption_l3 kw I:AnyPowerVIF c=7F03
  reactive_consumption_l1 kw I:AnyPowerVIF u=2 c=7F01
  reactive_consumption_l2 kw I:AnyPowerVIF u=2 c=7F02
  reactive_consumption_l3 kw I:AnyPowerVIF u=2 c=7F03
  apparent_consumption_l1 kw I:AnyPowerVIF u=4 c=7F01
  apparent_consumption_l2 kw I:AnyPowerVIF u=4 c=7F02
  apparent_consumption_l3 kw I:AnyPowerVIF u=4 c=7F03
  voltage_l1_n v I:Voltage c=7F01
  voltage_l2_n v I:Voltage c=7F02
  voltage_l3_n v I:Voltage c=7F03
  voltage_l1_l2 v I:Voltage c=7F05
  voltage_l2_l3 v I:Voltage c=7F06
  voltage_l3_l1 v I:Voltage c=7F07
  current_l1 a I:Amperage c=7F01
  current_l2 a I:Amperage c=7F02
  current_l3 a I:Amperage c=7F03
  power_l1 factor k=02FFE0FF8100 none fs=0.001
  power_l2 factor k=02FFE0FF8200 none fs=0.001
  power_l3 factor k=02FFE0FF8300 none fs=0.001
  power_phase_angle deg k=02FFD200 none fs=0.1
  phase_angle_power_l1 deg k=02FFD2FF8100 none fs=0.1
  phase_angle_power_l2 deg k=02FFD2FF8200 none fs=0.1
  phase_angle_power_l3 deg k=02FFD2FF8300 none fs=0.1
  total_reactive_energy_consumption_tariff_{tariff} kvarh I:AnyEnergyVIF t=1-4 u=2
  total_reactive_energy_production_tariff_{tariff} kvarh I:AnyEnergyVIF t=1-4 u=3
  current_quadrant nr k=01FF9700 none
  current_quadrant_l1 nr k=01FF97FF8100 none
  current_quadrant_l2 nr k=01FF97FF8200 none
  current_quadrant_l3 nr k=01FF97FF8300 none
  resettable_energy_consumption kwh I:AnyEnergyVIF c=7F72
  resettable_energy_production kwh I:AnyEnergyVIF u=1 c=7F72
  resettable_reactive_energy_consumption kwh I:AnyEnergyVIF u=2 c=7F72
  resettable_reactive_energy_production kwh I:AnyEnergyVIF u=3 c=7F72
  energy_co2 kg k=0EFFF9C400 none fs=0.01
  co2_conversion factor k=04FFA400 none
  energy_currency counter k=0EFFF9C900 none
  currency_conversion factor k=04FFA500 none
  total_apparent_energy_consumption kvah I:AnyEnergyVIF u=4
  total_apparent_energy_production kvah I:AnyEnergyVIF u=5
  total_energy_consumption_l1 kwh I:AnyEnergyVIF c=7F01
  total_energy_consumption_l2 kwh I:AnyEnergyVIF c=7F02
  total_energy_consumption_l3 kwh I:AnyEnergyVIF c=7F03
  total_energy_production_l1 kwh I:AnyEnergyVIF u=1 c=7F01
  total_energy_production_l2 kwh I:AnyEnergyVIF u=1 c=7F02
  total_energy_production_l3 kwh I:AnyEnergyVIF u=1 c=7F03
  total_net_energy kwh I:AnyEnergyVIF u=6
  total_net_energy_l1 kwh I:AnyEnergyVIF u=6 c=7F01
  total_net_energy_l2 kwh I:AnyEnergyVIF u=6 c=7F02
  total_net_energy_l3 kwh I:AnyEnergyVIF u=6 c=7F03
  total_net_reactive_energy kvarh I:AnyEnergyVIF u=7
  total_net_reactive_energy_l1 kvarh I:AnyEnergyVIF u=7 c=7F01
  total_net_reactive_energy_l2 kvarh I:AnyEnergyVIF u=7 c=7F02
  total_net_reactive_energy_l3 kvarh I:AnyEnergyVIF u=7 c=7F03
  total_net_apparent_energy kvah I:AnyEnergyVIF u=8
  total_net_apparent_energy_l1 kvah I:AnyEnergyVIF u=8 c=7F01
  total_net_apparent_energy_l2 kvah I:AnyEnergyVIF u=8 c=7F02
  total_net_apparent_energy_l3 kvah I:AnyEnergyVIF u=8 c=7F03
`);
