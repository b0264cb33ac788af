/**
 * More electricity meters: nemo (IME Nemo D4e, wired M-Bus, three telegrams that together
 * give the full picture) and nzr (NZR/EMH wired meters with per-phase values).
 *
 * @module
 */

import { bits, I, num, status } from "./_build.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { round6 } from "./_records.ts";

const E = "AnyEnergyVIF";
const P = "AnyPowerVIF";

/** Phases 1..3 are storage numbers 2, 4 and 6. */
const PHASES = [[1, 2], [2, 4], [3, 6]] as const;

/**
 * NZR (and EMH) wired electricity meters. The reference prints no status field for
 * these meters, so neither does this driver.
 */
export const NZR: DriverDef = {
  name: "nzr",
  detect: [["NZR", 0x00, 0x02], ["EMH", 0x00, 0x02]],
  fields: [
    num("on_time", "h", { mt: I, vif: "OnTime" }),
    num("total_energy_consumption", "kwh", { mt: I, vif: E, tariff: 1 }),
    num("current_power_consumption", "kw", { mt: I, vif: P }),
    ...PHASES.map(([n, s]) =>
      num(`current_power_consumption_${n}`, "kw", {
        mt: I,
        vif: P,
        storage: s,
      })
    ),
    ...PHASES.map(([n, s]) =>
      num(`voltage_at_phase_${n}`, "v", { mt: I, vif: "Voltage", storage: s })
    ),
    ...PHASES.map(([n, s]) =>
      num(`current_at_phase_${n}`, "a", { mt: I, vif: "Amperage", storage: s })
    ),
  ],
};

/** IME Nemo electricity meters. */
export const NEMO: DriverDef = {
  name: "nemo",
  detect: [["IME", 0x1d, 0x02]],
  fields: [
    num("total_active_positive_3phase", "kwh", {
      mt: I,
      vif: E,
      tariff: 1,
      subunit: 1,
    }),
    num("active_positive_3phase", "kw", {
      mt: I,
      vif: P,
      tariff: 1,
      subunit: 1,
    }),
    num("total_reactive_positive_3phase", "kwh", {
      mt: I,
      vif: E,
      tariff: 1,
      subunit: 2,
    }),
    num("reactive_positive_3phase", "kw", {
      mt: I,
      vif: P,
      tariff: 1,
      subunit: 2,
    }),
    num("total_active_partial_3phase", "kwh", {
      mt: I,
      vif: E,
      tariff: 2,
      subunit: 1,
    }),
    num("active_negative_3phase", "kw", {
      mt: I,
      vif: P,
      tariff: 2,
      subunit: 1,
    }),
    num("total_reactive_partial_3phase", "kwh", {
      mt: I,
      vif: E,
      tariff: 2,
      subunit: 2,
    }),
    num("reactive_negative_3phase", "kw", {
      mt: I,
      vif: P,
      tariff: 2,
      subunit: 2,
    }),
    // The reference prints these factors negated.
    num("power", "factor", { mt: I, vif: "Dimensionless" }, { scale: -1 }),
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xff, [])],
    }),
    num("current_at_phase_1", "a", {
      mt: I,
      vif: "Amperage",
      combinables: ["7F01"],
    }),
    num("voltage_at_phase_1", "v", {
      mt: I,
      vif: "Voltage",
      combinables: ["7F01"],
    }),
    num("active_power_at_phase_1", "kw", {
      mt: I,
      vif: P,
      subunit: 1,
      combinables: ["7F01"],
    }),
    num("reactive_power_at_phase_1", "kw", {
      mt: I,
      vif: P,
      subunit: 2,
      combinables: ["7F01"],
    }),
    num("at_phase_1_power", "factor", {
      mt: I,
      vif: "Dimensionless",
      combinables: ["7F01"],
    }, { scale: -1 }),
    num("current_at_phase_2", "a", {
      mt: I,
      vif: "Amperage",
      combinables: ["7F02"],
    }),
    num("voltage_at_phase_2", "v", {
      mt: I,
      vif: "Voltage",
      combinables: ["7F02"],
    }),
    num("active_power_at_phase_2", "kw", {
      mt: I,
      vif: P,
      subunit: 1,
      combinables: ["7F02"],
    }),
    num("reactive_power_at_phase_2", "kw", {
      mt: I,
      vif: P,
      subunit: 2,
      combinables: ["7F02"],
    }),
    num("at_phase_2_power", "factor", {
      mt: I,
      vif: "Dimensionless",
      combinables: ["7F02"],
    }, { scale: -1 }),
    num("current_at_phase_3", "a", {
      mt: I,
      vif: "Amperage",
      combinables: ["7F03"],
    }),
    num("voltage_at_phase_3", "v", {
      mt: I,
      vif: "Voltage",
      combinables: ["7F03"],
    }),
    num("active_power_at_phase_3", "kw", {
      mt: I,
      vif: P,
      subunit: 1,
      combinables: ["7F03"],
    }),
    num("reactive_power_at_phase_3", "kw", {
      mt: I,
      vif: P,
      subunit: 2,
      combinables: ["7F03"],
    }),
    num("at_phase_3_power", "factor", {
      mt: I,
      vif: "Dimensionless",
      combinables: ["7F03"],
    }, { scale: -1 }),
    num("voltage_l1_l2", "v", { mt: I, vif: "Voltage", combinables: ["7F04"] }),
    num("voltage_l2_l3", "v", { mt: I, vif: "Voltage", combinables: ["7F05"] }),
    num("voltage_l3_l1", "v", { mt: I, vif: "Voltage", combinables: ["7F06"] }),
    num("current_in_neutral", "a", {
      mt: I,
      vif: "Amperage",
      combinables: ["7F04"],
    }),
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
