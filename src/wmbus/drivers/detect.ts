/**
 * Auto-detection: manufacturer, version and device type → driver name.
 *
 * @module
 */

import type { DriverTelegram } from "./_types.ts";
import { DRIVERS } from "./registry.ts";

/**
 * Picks the driver for a telegram by its manufacturer, version and device type;
 * `generic` when no driver claims it.
 *
 * @param telegram The telegram.
 * @returns The canonical driver name.
 */
export function detectDriver(telegram: DriverTelegram): string {
  const m = telegram.manufacturer.toUpperCase();
  for (const d of DRIVERS) {
    for (const [mfct, version, type] of d.detect) {
      if (
        mfct === m && (version === -1 || version === telegram.version) &&
        type === telegram.deviceType
      ) return d.name;
    }
  }
  return "generic";
}
