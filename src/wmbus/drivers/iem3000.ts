/**
 * Schneider iEM3000 electricity meters.
 * Fields, units and detection triples follow the reference's driver definitions.
 *
 * @module
 */

import { bits, I, status, text } from "./_build.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { rows } from "./rows.ts";
import { SEC_ABB_ROWS, secAbbFlags } from "./electricity_sec_abb.ts";

/**
 * The error, warning and alarm flags are printed and also go into `status`, by field
 * name once all records are read: a later `error_flags` record (07FFA600) replaces the
 * standard error-flags record's text in both places, as in the reference.
 *
 * @param ctx Hook context.
 */
function injectFlags(ctx: HookContext): void {
  for (const name of ["error_flags", "warning_flags", "alarm_flags"]) {
    const v = ctx.fields[name];
    if (typeof v === "string") ctx.status.push(v);
  }
}

/** iem3000 (ElectricityMeter). */
export const IEM3000: DriverDef = {
  name: "iem3000",
  detect: [["SEC", 0x13, 0x02], ["SEC", 0x15, 0x02], ["SEC", 0x18, 0x02]],
  fields: [
    text("firmware_version", "bcd", { mt: I, vif: "FirmwareVersion" }),
    text("manufacturer", "bcd", { mt: I, vif: "Manufacturer" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    text("model_version", "bcd", { mt: I, vif: "ModelVersion" }),
    status({}),
    text("error_flags", "lookup", { mt: I, vif: "ErrorFlags" }, {
      lookups: [{
        type: "index",
        name: "ERROR_FLAGS",
        mask: 0xffffff,
        map: [
          [0x000000, "CODE_101_EEPROM_ERROR"],
          [0x000010, "CODE_102_NO_CALIBRATION_TABLE"],
          [
            0x000020,
            "CODE_201_MISMATCH_BETWEEN_FREQUENCY_SETTINGS_AND_FREQUENCY_MEASUREMENTS",
          ],
          [0x000030, "CODE_202_PHASE_SEQUENCE_REVERSED"],
          [0x000040, "CODE_203_PHASE_SEQUENCE_REVERSED"],
          [
            0x000050,
            "CODE_204_TOTAL_ACTIVE_ENERGY_NEGATIVE_DUE_TO_INCORRECT_V_OR_A_CONNECTIONS",
          ],
          [0x000060, "CODE_205_DATE_TIME_RESET_DUE_TO_POWER_FAILUER"],
          [
            0x000070,
            "CODE_206_PULSE_MISSING_DUE_TO_OVERSPEED_OF_ENERGY_PULSE_OUTPUT",
          ],
          [0x000080, "CODE_207_ABNORMAL_INTERNAL_CLOCK_FUNCTION"],
          [0x000090, "INTERNAL_DATA_BUS_COMUNICATION_ERROR"],
        ],
        default: "",
      }],
    }),
    ...rows(`
      total_energy_consumption kwh I:AnyEnergyVIF
      partial_energy_consumption kwh I:AnyEnergyVIF c=7F0D
      partial_reactive_energy_consumption kvarh I:AnyEnergyVIF u=1 c=7F0D
      total_energy_consumption_tariff_{tariff} kwh I:AnyEnergyVIF t=1-4
      total_energy_production kwh I:AnyEnergyVIF c=7F09
      total_energy_production_tariff_{tariff} kwh I:AnyEnergyVIF t=1-4 u=1
      active_tariff nr k=03FF10 none
    `),
    ...secAbbFlags(false),
    text("product_no", "wirehex", { key: "0DFFAA00" }),
    ...rows(`
      active_consumption kw I:AnyPowerVIF
      reactive_consumption kw I:AnyPowerVIF u=1
      apparent_consumption kw I:AnyPowerVIF u=2
      voltage_average_ln v I:Voltage c=7F04
      voltage_average_ll v I:Voltage c=7F08
      current_average a I:Amperage c=7F00
      frequency hz k=05FF0B none
      power factor k=05FF0A none
      total_reactive_energy_consumption kvarh I:AnyEnergyVIF u=1
      total_reactive_energy_production kvarh I:AnyEnergyVIF u=1 c=7F09
      input_metering_cumulation counter I:CumulationCounter none
      pulse_duration counter k=03FF2C none
      pulse_weight counter k=05FF2E none
      pulse_constant counter k=05FF2F none
      total_reactive_energy_consumption_l1 kvarh I:AnyEnergyVIF u=2 c=7F01
      total_reactive_energy_consumption_l2 kvarh I:AnyEnergyVIF u=2 c=7F02
      total_reactive_energy_consumption_l3 kvarh I:AnyEnergyVIF u=2 c=7F03
      total_apparent_energy_consumption_l1 kvah I:AnyEnergyVIF u=4 c=7F01
      total_apparent_energy_consumption_l2 kvah I:AnyEnergyVIF u=4 c=7F02
      total_apparent_energy_consumption_l3 kvah I:AnyEnergyVIF u=4 c=7F03
      total_reactive_energy_production_l1 kvarh I:AnyEnergyVIF u=3 c=7F01
      total_reactive_energy_production_l2 kvarh I:AnyEnergyVIF u=3 c=7F02
      total_reactive_energy_production_l3 kvarh I:AnyEnergyVIF u=3 c=7F03
      total_apparent_energy_production_l1 kvah I:AnyEnergyVIF u=5 c=7F01
      total_apparent_energy_production_l2 kvah I:AnyEnergyVIF u=5 c=7F02
      total_apparent_energy_production_l3 kvah I:AnyEnergyVIF u=5 c=7F03
      last_partial_energy_reset_datetime datetime I:DateTime c=7F0C
      last_input_metering_reset_datetime datetime I:DateTime c=7F0E
    `),
    text("digital_input", "lookup", { mt: I, vif: "DigitalInput" }, {
      lookups: [bits("INPUT", 0xffffff, [], "")],
    }),
    text("digital_input_status", "lookup", { key: "02FF32" }, {
      lookups: [bits("INPUT_STATUS", 0xff, [], "")],
    }),
    text("digital_output", "lookup", { mt: I, vif: "DigitalOutput" }, {
      lookups: [bits("OUTPUT", 0xffffff, [], "")],
    }),
    text("digital_output_association", "lookup", { key: "03FF2D" }, {
      lookups: [bits("OUTPUT_ASSOCIATION", 0xffffff, [], "")],
    }),
    text("digital_input_association", "lookup", { key: "03FF30" }, {
      lookups: [bits("INPUT_ASSOCIATION", 0xffffff, [], "")],
    }),
    text("digital_output_association_2", "lookup", { key: "02FF36" }, {
      lookups: [bits("OUTPUT_ASSOCIATION_2", 0xffff, [], "")],
    }),
    text("overload_alarm_setup", "lookup", { key: "02FF34" }, {
      lookups: [bits("OVERLOAD_ALARM", 0xff, [], "")],
    }),
    ...rows(`
      pickup_setpoint counter k=05FF35 none
    `),
    text("activated_status", "lookup", { key: "02FF37" }, {
      lookups: [bits("ACTIVATED_STATUS", 0xff, [], "")],
    }),
    text("unack_status", "lookup", { key: "02FF38" }, {
      lookups: [bits("UNACK_STATUS", 0xff, [], "")],
    }),
    ...rows(`
      last_alarm_datetime datetime I:DateTime c=7F39
      last_alarm nr k=05FF3A none
      operating_time y k=06FF20 none fs=1
      phases counter k=03FF21 none
      wires nr k=03FF22 none
      vts counter k=03FF25 none
      vt_primary nr k=05FF26 none
      vt_secondary nr k=03FF27 none
      cts counter k=03FF28 none
      ct_primary nr k=03FF29 none
      ct_secondary nr k=03FF2A none
      vt_connection_type nr k=03FF2B none
    `),
    text("power_system_configuration", "lookup", { key: "03FF23" }, {
      lookups: [bits("POWER_SYS_CONFIG", 0xffffff, [], "")],
    }),
    ...rows(`
      nominal_frequency hz k=03FF24 none
    `),
    ...SEC_ABB_ROWS,
  ],
  after: injectFlags,
};

/** The drivers of this file. */
export const IEM3000_DRIVERS: readonly DriverDef[] = [IEM3000];
