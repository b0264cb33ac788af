/**
 * Deltamess/Lorenz waterstarm water meters, with monthly history.
 *
 * @module
 */

import { bits, I, num, status, text } from "./_build.ts";
import type { DriverDef, HookContext } from "./_spec.ts";

const V = "Volume";

const WATERSTARM_FLAGS = bits("ERROR_FLAGS", 0xffff, [
  [0x01, "SW_ERROR"],
  [0x02, "CRC_ERROR"],
  [0x04, "SENSOR_ERROR"],
  [0x08, "MEASUREMENT_ERROR"],
  [0x10, "BATTERY_VOLTAGE_ERROR"],
  [0x20, "MANIPULATION"],
  [0x40, "LEAKAGE_OR_NO_USAGE"],
  [0x80, "REVERSE_FLOW"],
  [0x100, "OVERLOAD"],
]);

/** The same day `back` months before `date` (YYYY-MM-DD…), normalised like mktime. */
function monthsBefore(date: string, back: number): string {
  const [y, m, d] = date.slice(0, 10).split("-").map(Number);
  return new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1 - back, d ?? 1))
    .toISOString().slice(0, 10);
}

/** Deltamess/Lorenz waterstarm. */
export const WATERSTARM: DriverDef = {
  name: "waterstarm",
  detect: [["DWZ", 0x00, 0x06], ["DWZ", 0x02, 0x06], ["DWZ", 0x02, 0x07], [
    "EFE",
    0x03,
    0x07,
  ], ["DWZ", 0x00, 0x07]],
  fields: [
    status({
      match: { vif: "ErrorFlags", combinables: "*" },
      lookups: [WATERSTARM_FLAGS],
    }),
    text("meter_datetime", "datetime", { mt: I, vif: "DateTime" }),
    num("total", "m3", { mt: I, vif: V }),
    num("total_backwards", "m3", { mt: I, vif: V, combinables: ["3C"] }),
    text("meter_version", "hex", { mt: I, vif: "ModelVersion" }),
    text("parameter_set", "hex", { mt: I, vif: "ParameterSet" }),
    num("battery", "v", { mt: I, vif: "Voltage" }),
    text("set_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("consumption_at_set_date", "m3", { mt: I, vif: V, storage: 1 }),
    num("consumption_at_history_{storage-1}", "m3", {
      mt: I,
      vif: V,
      storage: [2, 16],
    }),
  ],
  after(ctx: HookContext) {
    ctx.fields.current_status = ctx.fields.status;
    const now = ctx.fields.meter_datetime;
    if (typeof now !== "string") return;
    for (const e of ctx.entries) {
      if (
        e.mt === I && e.vif >= 0x10 && e.vif <= 0x17 && e.storage >= 2 &&
        e.storage <= 16
      ) {
        ctx.fields[`history_${e.storage - 1}_date`] = monthsBefore(
          now,
          e.storage - 1,
        );
      }
    }
  },
};

/** The Deltamess drivers. */
export const DELTAMESS_DRIVERS: readonly DriverDef[] = [WATERSTARM];
