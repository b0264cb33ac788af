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
  const hit = detectIn(telegram);
  if (hit !== undefined) return hit;
  const dll = telegram.dll;
  return (dll === undefined ? undefined : detectIn(dll)) ?? "generic";
}

/** One detection row: version (`-1` for any) and the driver it selects. */
type DetectRow = readonly [version: number, driver: string];

/** Detection rows by manufacturer and device type, in registry order. */
const ROWS_BY_MFCT_TYPE: ReadonlyMap<string, readonly DetectRow[]> = (() => {
  const m = new Map<string, DetectRow[]>();
  for (const d of DRIVERS) {
    for (const [mfct, version, type] of d.detect) {
      const key = `${mfct}/${type}`;
      let rows = m.get(key);
      if (rows === undefined) m.set(key, rows = []);
      rows.push([version, d.name]);
    }
  }
  return m;
})();

function detectIn(
  who: { manufacturer: string; version: number; deviceType: number },
): string | undefined {
  const rows = ROWS_BY_MFCT_TYPE.get(
    `${who.manufacturer.toUpperCase()}/${who.deviceType}`,
  );
  if (rows === undefined) return undefined;
  for (const [version, driver] of rows) {
    if (version === -1 || version === who.version) return driver;
  }
  return undefined;
}
