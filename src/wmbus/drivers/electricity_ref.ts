/**
 * Electricity meters of the reference set not covered elsewhere: IME Nemo-style
 * meters (manufacturer-specific DIFE/VIFE keys) and ABB B23.
 * Fields, units and detection triples follow the reference's driver definitions.
 *
 * @module
 */

import { I, status, text } from "./_build.ts";
import type { DriverDef } from "./_spec.ts";
import { rows } from "./rows.ts";
import { SEC_ABB_ROWS, secAbbFlags } from "./electricity_sec_abb.ts";

/** ime (ElectricityMeter). */
export const IME: DriverDef = {
  name: "ime",
  detect: [["IME", 0x66, 0x02]],
  fields: [
    status({}),
    ...rows(`
      positive_total_active_energy kwh k=849010FF80843B none fs=0.01
      negative_total_active_energy kwh k=849010FF80843C none fs=0.01
      positive_total_reactive_energy kvarh k=849010FF81843B none fs=0.01
      negative_total_reactive_energy kvarh k=849010FF81843C none fs=0.01
      positive_tariff1_active_energy kwh k=8410FF80843B none fs=0.01
      positive_tariff2_active_energy kwh k=8420FF80843B none fs=0.01
      negative_tariff1_active_energy kwh k=8410FF80843C none fs=0.01
      negative_tariff2_active_energy kwh k=8420FF80843C none fs=0.01
      positive_tariff1_reactive_energy kvarh k=8410FF81843B none fs=0.01
      positive_tariff2_reactive_energy kvarh k=8420FF81843B none fs=0.01
      negative_tariff1_reactive_energy kvarh k=8410FF81843C none fs=0.01
      negative_tariff2_reactive_energy kvarh k=8420FF81843C none fs=0.01
      partial_positive_active_energy kwh k=84A010FF80843B none fs=0.01
      partial_negative_active_energy kwh k=84A010FF80843C none fs=0.01
      partial_positive_reactive_energy kvarh k=84A010FF81843B none fs=0.01
      partial_negative_reactive_energy kvarh k=84A010FF81843C none fs=0.01
      pulse_input counter k=04FF9029 none fs=0.01
    `),
    text("pulse_unit", "lookup", { key: "02FF912B" }, {
      lookups: [{
        type: "index",
        name: "UNIT",
        mask: 0xffff,
        map: [
          [0, "WH"],
          [1, "KWH"],
          [2, "MWH"],
          [3, "VARH"],
          [4, "KVARH"],
          [5, "MVARH"],
          [6, "VAH"],
          [7, "KVAH"],
          [8, "MVAH"],
          [9, "M3"],
          [10, "KM3"],
          [11, "WOOT"],
          [12, "NM3"],
          [13, "KNM3"],
          [14, "MNM3"],
          [15, "J"],
          [16, "KJ"],
          [17, "MJ"],
          [18, "cal"],
          [19, "KCAL"],
          [20, "G"],
          [21, "KG"],
          [21, "T"],
        ],
      }],
    }),
    text("kta", "wirehex", { key: "02FF922B" }),
    text("ktv", "wirehex", { key: "02FF9329" }),
    ...rows(`
      three_phase_total_active_power kw k=84B010FF842B none fs=0.001
      active_power_l1 kw k=848020FF842B none fs=0.001
      active_power_l2 kw k=849020FF842B none fs=0.001
      active_power_l3 kw k=84A020FF842B none fs=0.001
      three_phase_total_reactive_power kvar k=84B010FF852B none fs=0.001
      reactive_power_l1 kvar k=848020FF852B none fs=0.001
      reactive_power_l2 kvar k=849020FF852B none fs=0.001
      reactive_power_l3 kvar k=84A020FF852B none fs=0.001
      three_phase_total_apparent_power kva k=84B010FF862B none fs=0.001
      apparent_power_l1 kva k=848020FF862B none fs=0.001
      apparent_power_l2 kva k=849020FF862B none fs=0.001
      apparent_power_l3 kva k=84A020FF862B none fs=0.001
      voltage_1_n v k=848020FF8748 none fs=0.1
      voltage_2_n v k=849020FF8748 none fs=0.1
      voltage_3_n v k=84A020FF8748 none fs=0.1
      voltage_1_2 v k=848020FF8848 none fs=0.1
      voltage_2_3 v k=849020FF8848 none fs=0.1
      voltage_3_1 v k=84A020FF8848 none fs=0.1
      current_l1 a k=848020FF8959 none fs=0.001
      current_l2 a k=849020FF8959 none fs=0.001
      current_l3 a k=84A020FF8959 none fs=0.001
      frequency hz k=02FF8A48 none fs=0.1
      three_phase_power factor k=82B010FF8B28 none fs=0.001
    `),
    text("power_factor_sector", "lookup", { key: "82B010FF8C2B" }, {
      lookups: [{
        type: "index",
        name: "SECTOR_NR",
        mask: 0xffff,
        map: [[0, "RESISTIVE"], [1, "INDUCTIVE"], [2, "CAPACITIVE"]],
      }],
    }),
    ...rows(`
      total_active_power_requirement kw k=8410FF8D2B none fs=0.001 uns
      max_total_active_power_tariff1 kw k=8410FF8E2B none fs=0.001
      max_total_active_power_tariff2 kw k=8420FF8E2B none fs=0.001
      run_meter_total h k=84B010FF8F21 none fs=1/60
      run_meter_tariff1 h k=8410FF8F21 none fs=1/60
      run_meter_tariff2 h k=8420FF8F21 none fs=1/60
    `),
  ],
};

/** abbb23 (ElectricityMeter). */
export const ABBB23: DriverDef = {
  name: "abbb23",
  detect: [["ABB", 0x20, 0x02]],
  fields: [
    status({}),
    ...rows(`
      total_energy_consumption kwh I:AnyEnergyVIF c=00
      total_energy_consumption_tariff_{tariff} kwh I:AnyEnergyVIF t=1-4 c=00
      total_energy_production kwh I:AnyEnergyVIF u=1 c=00
      total_energy_production_tariff_{tariff} kwh I:AnyEnergyVIF t=1-4 u=1 c=00
      active_tariff nr k=01FF9300 none
      ct_numerator factor k=04FFA015 none
      vt_numerator factor k=04FFA115 none
      ct_denominator factor k=04FFA215 none
      vt_denominator factor k=04FFA315 none
    `),
    ...secAbbFlags(true),
    text("firmware_version", "hex", {
      mt: I,
      vif: "FirmwareVersion",
      combinables: ["00"],
    }),
    text("product_no", "wireascii", { key: "0DFFAA00" }),
    ...rows(`
      active_consumption kw I:AnyPowerVIF c=00
      reactive_consumption kw I:AnyPowerVIF u=2 c=00
      apparent_consumption kw I:AnyPowerVIF u=4 c=00
      frequency hz k=0AFFD900 none fs=0.01
      power factor k=02FFE000 none fs=0.001
      total_reactive_energy_consumption kvarh I:AnyEnergyVIF u=2
      total_reactive_energy_production kvarh I:AnyEnergyVIF u=3
    `),
    text("digital_output_{subunit}", "lookup", {
      mt: I,
      vif: "DigitalOutput",
      subunit: [1, 2],
    }, { lookups: [{ type: "bits", name: "OUTPUT", mask: 0xff, map: [] }] }),
    text("digital_input_{subunit-2}", "lookup", {
      mt: I,
      vif: "DigitalInput",
      subunit: [3, 4],
    }, { lookups: [{ type: "bits", name: "INPUT", mask: 0xff, map: [] }] }),
    text("digital_historic_input_{subunit-2}", "lookup", {
      mt: I,
      vif: "DigitalInput",
      storage: 1,
      subunit: [3, 4],
    }, { lookups: [{ type: "bits", name: "INPUT", mask: 0xff, map: [] }] }),
    ...rows(`
      digital_input_{subunit-2} counter I:CumulationCounter u=3-4
      total_reactive_energy_consumption_l1 kwh I:AnyEnergyVIF u=2 c=7F01
      total_reactive_energy_consumption_l2 kwh I:AnyEnergyVIF u=2 c=7F02
      total_reactive_energy_consumption_l3 kwh I:AnyEnergyVIF u=2 c=7F03
      total_apparent_energy_consumption_l1 kwh I:AnyEnergyVIF u=4 c=7F01
      total_apparent_energy_consumption_l2 kwh I:AnyEnergyVIF u=4 c=7F02
      total_apparent_energy_consumption_l3 kwh I:AnyEnergyVIF u=4 c=7F03
      total_reactive_energy_production_l1 kwh I:AnyEnergyVIF u=3 c=7F01
      total_reactive_energy_production_l2 kwh I:AnyEnergyVIF u=3 c=7F02
      total_reactive_energy_production_l3 kwh I:AnyEnergyVIF u=3 c=7F03
      total_apparent_energy_production_l1 kwh I:AnyEnergyVIF u=5 c=7F01
      total_apparent_energy_production_l2 kwh I:AnyEnergyVIF u=5 c=7F02
      total_apparent_energy_production_l3 kwh I:AnyEnergyVIF u=5 c=7F03
    `),
    ...SEC_ABB_ROWS,
  ],
};

/** The drivers of this file. */
export const ELECTRICITY_REF_DRIVERS: readonly DriverDef[] = [IME, ABBB23];
