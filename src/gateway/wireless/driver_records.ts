/**
 * From a wireless telegram and its driver's typed fields to the gateway's reading shape.
 *
 * Choice (documented for the address tree): the records of a wireless meter are the
 * driver's fields, not the raw DIF/VIF records. Each typed field of the driver's output
 * (`total` in m³, `target_date`, `status`, …; the identity keys `_`, `media`, `meter`,
 * `name`, `id` are not fields) becomes one record: `quantity` is the field name (`total`),
 * `unit` the unit as the wired tree writes units (`m^3`), and `value` = `raw` = the
 * driver's value (already scaled: `applyUnitFactor` does not apply). Names are not split
 * here: the driver says which part is name and which unit. Indices are stable per meter:
 * a field keeps the index it got when first seen, so `%mbus:<id>/<n>/value` names the
 * same field in every telegram, even when telegrams of one meter carry different fields.
 *
 * @module
 */
import { mediumName } from "../../app/mod.ts";
import type { WmbusTelegram } from "../../wmbus/mod.ts";
import { type DriverField, UNITS } from "../../wmbus/drivers/mod.ts";
import type { SourceHeader, SourceRecord, SourceValue } from "../source/mod.ts";

/**
 * Driver unit suffixes (the reference's names) → units as the wired records write them,
 * read from the drivers' one unit table.
 */
export const WIRELESS_UNITS: Readonly<Record<string, string>> = Object
  .fromEntries(Object.entries(UNITS).map(([suffix, u]) => [suffix, u.text]));

function toSourceValue(v: unknown): SourceValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string") return v;
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  return JSON.stringify(v);
}

/**
 * Turns a driver's typed fields into records, numbering fields through `indexOf`.
 *
 * @param fields The driver's typed fields (`DriverResult.fields`).
 * @param indexOf Stable index of a field's JSON key (assigns the next one to a new key).
 * @returns Records in index order.
 */
export function driverRecords(
  fields: readonly DriverField[],
  indexOf: (field: string) => number,
): SourceRecord[] {
  const out: SourceRecord[] = [];
  for (const f of fields) {
    if (f.key === "timestamp") continue;
    const value = toSourceValue(f.value);
    out.push({
      index: indexOf(f.key),
      function: "instantaneous",
      storage: 0,
      tariff: 0,
      subunit: 0,
      quantity: f.name,
      unit: f.unitText,
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
