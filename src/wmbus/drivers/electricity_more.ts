/**
 * More electricity meters: nemo (IME Nemo D4e, wired M-Bus, three telegrams that together
 * give the full picture) and nzr (NZR/EMH wired meters with per-phase values).
 *
 * @module
 */

import { I, status } from "./_build.ts";
import { rows } from "./rows.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { round6 } from "./_records.ts";

/**
 * NZR (and EMH) electricity meters: energy per tariff, power per phase (storage numbers
 * 2/4/6), and a status from the error flags and the TPL status.
 */
export const NZR: DriverDef = {
  name: "nzr",
  detect: [["NZR", 0x00, 0x02], ["EMH", 0x00, 0x02]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xff,
        map: [
          [0x01, "BUSY"],
          [0x02, "GENERIC_APP_ERROR"],
          [0x04, "CURRENT_LOW"],
          [0x08, "PERMANENT_ERROR"],
          [0x10, "TEMPORARY_ERROR"],
        ],
        default: "OK",
      }],
    }),
    ...rows(`
      total_energy_consumption kwh I:AnyEnergyVIF t=1
      current_power_consumption kw I:AnyPowerVIF
      current_power_consumption_1 kw I:AnyPowerVIF s=2
      voltage_at_phase_1 v I:Voltage s=2
      current_at_phase_1 a I:Amperage s=2
      current_power_consumption_2 kw I:AnyPowerVIF s=4
      voltage_at_phase_2 v I:Voltage s=4
      current_at_phase_2 a I:Amperage s=4
      current_power_consumption_3 kw I:AnyPowerVIF s=6
      voltage_at_phase_3 v I:Voltage s=6
      current_at_phase_3 a I:Amperage s=6
    `),
  ],
};

/** IME Nemo electricity meters. */
export const NEMO: DriverDef = {
  name: "nemo",
  detect: [["IME", 0x1d, 0x02]],
  fields: [
    ...rows(`
      total_active_positive_3phase kwh I:AnyEnergyVIF t=1 u=1
      active_positive_3phase kw I:AnyPowerVIF t=1 u=1
      total_reactive_positive_3phase kwh I:AnyEnergyVIF t=1 u=2
      reactive_positive_3phase kw I:AnyPowerVIF t=1 u=2
      total_active_partial_3phase kwh I:AnyEnergyVIF t=2 u=1
      active_negative_3phase kw I:AnyPowerVIF t=2 u=1
      total_reactive_partial_3phase kwh I:AnyEnergyVIF t=2 u=2
      reactive_negative_3phase kw I:AnyPowerVIF t=2 u=2
      power factor I:Dimensionless
    `),
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xff,
        map: [],
        default: "OK",
      }],
    }),
    ...rows(`
      current_at_phase_1 a I:Amperage c=7F01
      current_at_phase_2 a I:Amperage c=7F02
      current_at_phase_3 a I:Amperage c=7F03
      voltage_at_phase_1 v I:Voltage c=7F01
      voltage_at_phase_2 v I:Voltage c=7F02
      voltage_at_phase_3 v I:Voltage c=7F03
      active_power_at_phase_1 kw I:AnyPowerVIF u=1 c=7F01
      active_power_at_phase_2 kw I:AnyPowerVIF u=1 c=7F02
      active_power_at_phase_3 kw I:AnyPowerVIF u=1 c=7F03
      reactive_power_at_phase_1 kw I:AnyPowerVIF u=2 c=7F01
      reactive_power_at_phase_2 kw I:AnyPowerVIF u=2 c=7F02
      reactive_power_at_phase_3 kw I:AnyPowerVIF u=2 c=7F03
      at_phase_1_power factor I:Dimensionless c=7F01
      at_phase_2_power factor I:Dimensionless c=7F02
      at_phase_3_power factor I:Dimensionless c=7F03
      voltage_l1_l2 v I:Voltage c=7F04
      voltage_l2_l3 v I:Voltage c=7F05
      voltage_l3_l1 v I:Voltage c=7F06
      current_in_neutral a I:Amperage c=7F04
    `),
  ],
  after(ctx: HookContext) {
    const raw = ctx.entries.find((e) => e.key === "05FF5A");
    if (raw !== undefined && raw.data.length >= 4) {
      const v = new DataView(raw.data.buffer, raw.data.byteOffset, 4)
        .getFloat32(0, true);
      ctx.fields.frequency_hz = round6(v / 10);
    } else if (
      !("frequency_hz" in ctx.fields) && !ctx.state.previous.has("frequency_hz")
    ) {
      ctx.fields.frequency_hz = null;
    }
  },
};

/** More electricity drivers. */
export const ELECTRICITY_MORE_DRIVERS: readonly DriverDef[] = [NEMO, NZR];
