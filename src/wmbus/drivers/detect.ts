/**
 * Auto-detection: manufacturer, version and device type → driver name.
 *
 * @module
 */

import type { DriverTelegram } from "./_types.ts";
import { DRIVERS } from "./registry.ts";

/**
 * Picks the driver for a telegram by its manufacturer, version and device type (those of
 * the long TPL header first, then those of the link layer); `generic` when no driver
 * claims it.
 *
 * @param telegram The telegram.
 * @returns The canonical driver name.
 */
export function detectDriver(telegram: DriverTelegram): string {
  const identities = [
    telegram,
    ...(telegram.dll === undefined ? [] : [telegram.dll]),
  ];
  for (const who of identities) {
    const m = who.manufacturer.toUpperCase();
    for (const d of DRIVERS) {
      for (const [mfct, version, type] of d.detect) {
        if (
          mfct === m && (version === -1 || version === who.version) &&
          type === who.deviceType
        ) return d.name;
      }
    }
  }
  return "generic";
}
