/**
 * From a wireless telegram and its driver's JSON to the gateway's reading shape.
 *
 * Choice (documented for the address tree): the records of a wireless meter are the
 * driver's fields, not the raw DIF/VIF records. Each field of the wmbusmeters-shaped JSON
 * (`total_m3`, `target_date`, `status`, …; the identity keys `_`, `media`, `meter`, `name`,
 * `id` and `timestamp` left out) becomes one record: `quantity` is the field name without
 * its unit suffix (`total`), `unit` the suffix as the wired tree writes units (`m^3`), and
 * `value` = `raw` = the driver's value (already scaled: `applyUnitFactor` does not apply).
 * Indices are stable per meter: a field keeps the index it got when first seen, so
 * `%mbus:<id>/<n>/value` names the same field in every telegram, even when telegrams
 * of one meter carry different fields.
 *
 * @module
 */
import { mediumName } from "../../app/mod.ts";
import type { WmbusTelegram } from "../../wmbus/mod.ts";
import type { SourceHeader, SourceRecord, SourceValue } from "../source/mod.ts";

/** Driver unit suffixes (wmbusmeters' names) → units as the wired records write them. */
export const WIRELESS_UNITS: Readonly<Record<string, string>> = {
  kwh: "kWh",
  mj: "MJ",
  gj: "GJ",
  m3: "m^3",
  l: "l",
  kw: "kW",
  w: "W",
  m3h: "m^3/h",
  lh: "l/h",
  c: "°C",
  h: "h",
  s: "s",
  min: "min",
  d: "d",
  y: "years",
  bar: "bar",
  hca: "HCA",
  v: "V",
  a: "A",
  rh: "%RH",
  pct: "%",
  hz: "Hz",
  kvarh: "kvarh",
  kvah: "kVAh",
  m3c: "m^3 °C",
  counter: "counter",
  nr: "nr",
  factor: "factor",
  kg: "kg",
  ppm: "ppm",
};

/** JSON keys that identify the telegram rather than carry a value. */
const IDENTITY_KEYS: ReadonlySet<string> = new Set([
  "_",
  "media",
  "meter",
  "name",
  "id",
  "timestamp",
]);

/**
 * Splits a driver field name into quantity and unit (`total_m3` → `total`, `m^3`).
 *
 * @param field The JSON key.
 * @returns Quantity and unit (`""` when the name has no known unit suffix).
 */
export function splitFieldName(
  field: string,
): { quantity: string; unit: string } {
  const at = field.lastIndexOf("_");
  if (at > 0) {
    const unit = WIRELESS_UNITS[field.slice(at + 1)];
    if (unit !== undefined) return { quantity: field.slice(0, at), unit };
  }
  return { quantity: field, unit: "" };
}

function toSourceValue(v: unknown): SourceValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string") return v;
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  return JSON.stringify(v);
}

/**
 * Turns a driver's JSON into records, numbering fields through `indexOf`.
 *
 * @param json The driver's JSON object.
 * @param indexOf Stable index of a field name (assigns the next one to a new name).
 * @returns Records in index order.
 */
export function driverRecords(
  json: Readonly<Record<string, unknown>>,
  indexOf: (field: string) => number,
): SourceRecord[] {
  const out: SourceRecord[] = [];
  for (const [field, v] of Object.entries(json)) {
    if (IDENTITY_KEYS.has(field)) continue;
    const value = toSourceValue(v);
    out.push({
      index: indexOf(field),
      function: "instantaneous",
      storage: 0,
      tariff: 0,
      subunit: 0,
      ...splitFieldName(field),
      value,
      raw: value,
    });
  }
  return out.sort((a, b) => a.index - b.index);
}

/**
 * The reading header of a telegram: identity from the long TPL header or the DLL,
 * access number and status from the TPL (ELL access number when there is no TPL).
 *
 * @param t The parsed telegram.
 * @returns The header; `id` upper case, as the gateway names wireless meters.
 */
export function telegramHeader(t: WmbusTelegram): SourceHeader {
  return {
    id: t.id.toUpperCase(),
    manufacturer: t.manufacturer,
    version: t.version,
    medium: { code: t.deviceType, name: mediumName(t.deviceType) },
    accessNumber: t.tpl?.accessNumber ?? t.ell?.acc ?? 0,
    status: t.tpl?.status ?? 0,
    signature: t.tpl?.config ?? 0,
  };
}
