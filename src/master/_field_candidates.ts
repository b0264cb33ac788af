/**
 * Values to try for manufacturer, version and medium when meters share one ID: the
 * common ones first (EN 13757-3 medium table, frequent wired manufacturers), then the
 * rest of the byte range. Private to src/master.
 *
 * @module
 */
import { manufacturerCode } from "./address.ts";

/** A secondary address field after the ID. */
export type Field = "medium" | "version" | "manufacturer";

/** Wildcard byte. */
const ANY_BYTE = 0xff;
/** Wildcard manufacturer. */
const ANY_MANUFACTURER = 0xffff;
/** Medium codes most meters use (EN 13757-3 table), tried before the rest. */
const COMMON_MEDIA = [0x07, 0x04, 0x06, 0x02, 0x03, 0x16, 0x08, 0x0c, 0x0d];
/** Common wired manufacturers, tried after those seen on the bus. */
const COMMON_MANUFACTURERS = [
  "ABB",
  "ACW",
  "AMT",
  "APA",
  "BMT",
  "DME",
  "DWZ",
  "EFE",
  "ELS",
  "EMH",
  "EMU",
  "ESY",
  "GAV",
  "GMC",
  "GWF",
  "HYD",
  "ITW",
  "KAM",
  "LSE",
  "LUG",
  "NZR",
  "QDS",
  "REL",
  "RKE",
  "SBC",
  "SEN",
  "SLB",
  "SON",
  "SPX",
  "TCH",
  "WZG",
  "ZRI",
  "ZRM",
];

/**
 * The wildcard value of a field.
 *
 * @param field The field.
 * @returns `0xffff` for the manufacturer, `0xff` otherwise.
 */
export function wildcard(field: Field): number {
  return field === "manufacturer" ? ANY_MANUFACTURER : ANY_BYTE;
}

/**
 * Values to try for a field: `common` ones always, `tail` until the collision is explained.
 *
 * @param field The field.
 * @returns The candidate values.
 */
export function candidates(field: Field): { common: number[]; tail: number[] } {
  if (field === "manufacturer") {
    const common = COMMON_MANUFACTURERS.map((m) => manufacturerCode(m));
    return { common, tail: [] };
  }
  const all = Array.from({ length: 255 }, (_, i) => i);
  return field === "medium"
    ? { common: COMMON_MEDIA, tail: all }
    : { common: all.slice(0, 16), tail: all };
}
