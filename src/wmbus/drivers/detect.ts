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

/**
 * Where several drivers list the same triple, the reference's `auto` picks these (checked
 * against the reference by test/wmbus/drivers/reference_detect_test.ts).
 */
export const PREFERRED_DRIVERS: readonly string[] = [
  "izarv2",
  "qheatv2",
  "qwaterv2",
  "hydroclimav2",
  "ultrimisv2",
];

/**
 * Drivers the reference does not have: `auto` picks them only for triples no reference
 * driver lists.
 */
export const LOCAL_DRIVERS: ReadonlySet<string> = new Set([
  "metronahca",
  "ebeco500",
  "landisgyrgas",
  "flonidangas",
  "elstergas",
  "dmehca",
  "brunatawm",
  "joyh100",
  "axis",
  "mbusgw_hydrus_r4",
  "mbusgw_engelmann_faw_ri",
  "generic",
]);

function rank(name: string): number {
  const p = PREFERRED_DRIVERS.indexOf(name);
  if (p >= 0) return p;
  return LOCAL_DRIVERS.has(name)
    ? PREFERRED_DRIVERS.length + 1
    : PREFERRED_DRIVERS.length;
}

/** Detection rows by manufacturer and device type: preferred, reference, then local drivers. */
const ROWS_BY_MFCT_TYPE: ReadonlyMap<string, readonly DetectRow[]> = (() => {
  const m = new Map<string, DetectRow[]>();
  const ordered = DRIVERS.map((d, i) => ({ d, i })).sort((a, b) =>
    rank(a.d.name) - rank(b.d.name) || a.i - b.i
  ).map(({ d }) => d);
  for (const d of ordered) {
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
