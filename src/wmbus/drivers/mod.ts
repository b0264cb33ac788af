/**
 * Wireless M-Bus meter drivers with wmbusmeters-compatible JSON output. Drivers are
 * tables (field name, matching record, unit) with small code hooks for manufacturer
 * payloads; the registry is static.
 *
 * @example
 * ```ts
 * import { createMeterState, decodeWithDriver } from "./mod.ts";
 * import { parseTelegram } from "../mod.ts";
 * import { fromHex } from "../../util/mod.ts";
 * const t = parseTelegram(fromHex("2E44333003020100071B7A634820252F2F0265D2000242657E000165B5"));
 * if (t.ok) decodeWithDriver(t.value, { state: createMeterState() });
 * ```
 * @module
 */

import { runDriver } from "./_engine.ts";
export { driverFields } from "./_engine.ts";
import type { DriverResult, DriverTelegram, MeterState } from "./_types.ts";
import type { DriverKey } from "./_spec.ts";
import { DRIVER_BY_NAME, DRIVERS } from "./registry.ts";
import { detectDriver } from "./detect.ts";

export type { DriverResult, DriverTelegram, MeterState } from "./_types.ts";
export { detectDriver, LOCAL_DRIVERS } from "./detect.ts";
export { DRIVER_BY_NAME } from "./registry.ts";
export {
  type DriverField,
  fieldOfKey,
  jsonKey,
  type OutputUnit,
  UNITS,
} from "./_units.ts";

/** Every name that selects a driver: canonical names, aliases, `auto` and `generic`. */
export const DRIVER_NAMES: readonly string[] = [
  "auto",
  ...DRIVERS.flatMap((d) => [d.name, ...(d.aliases ?? [])]),
].filter((n, i, all) => all.indexOf(n) === i).sort();

/**
 * A fresh per-meter state (keep one per meter and pass it to every decode).
 *
 * @returns The state.
 */
export function createMeterState(): MeterState {
  return { formats: new Map(), previous: new Map() };
}

/** Options of {@link decodeWithDriver}. */
export interface DecodeWithDriverOptions {
  /** Driver name or alias; `auto` detects by manufacturer, version and type. @default "auto" */
  driver?: string;
  /** The meter name printed as `name`. @default "" */
  name?: string;
  /** State kept between telegrams of this meter. @default a fresh state */
  state?: MeterState;
  /** The meter's key, for drivers that decrypt a payload layout themselves. @default none */
  key?: DriverKey;
}

/**
 * Decodes a parsed telegram with a driver into wmbusmeters-shaped JSON. Never throws:
 * unknown drivers and undecodable payloads come back as `ok: false` with an error code.
 *
 * @param telegram The parsed telegram (from `parseTelegram`).
 * @param options Driver, name and state.
 * @returns The result.
 */
export function decodeWithDriver(
  telegram: DriverTelegram,
  options: DecodeWithDriverOptions = {},
): DriverResult {
  const requested = (options.driver ?? "auto").toLowerCase();
  const name = requested === "auto" ? detectDriver(telegram) : requested;
  const def = DRIVER_BY_NAME.get(name);
  if (def === undefined) {
    return {
      ok: false,
      json: {},
      driver: name,
      error: {
        code: "UNKNOWN_DRIVER",
        message: `Cannot decode with driver "${name}": no such driver`,
      },
    };
  }
  try {
    return runDriver(def, telegram, {
      name: options.name ?? "",
      state: options.state ?? createMeterState(),
      ...(options.key === undefined ? {} : { key: options.key }),
    });
  } catch (e: unknown) {
    // Drivers are written not to throw; this is the last line of defence.
    return {
      ok: false,
      json: {},
      driver: def.name,
      error: {
        code: "DRIVER_FAILED",
        message: `Cannot decode with driver "${def.name}": ${String(e)}`,
      },
    };
  }
}
