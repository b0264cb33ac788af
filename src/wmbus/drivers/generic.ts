/**
 * The `generic` fallback: prints every record, named after its VIF range, measurement
 * type, storage, tariff and subunit, in the canonical unit of its quantity.
 *
 * @module
 */

import type { DvEntry } from "./_records.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { dateText, hexReversed, rawNumber, round6 } from "./_records.ts";
import { type Quantity, vifFactor, vifRow } from "./_vif_ref.ts";

const UNIT_OF: Partial<Record<Quantity, string>> = {
  energy: "kwh",
  volume: "m3",
  mass: "kg",
  power: "kw",
  flow: "m3h",
  temperature: "c",
  time: "h",
  pressure: "bar",
  hca: "hca",
  voltage: "v",
  amperage: "a",
  humidity: "rh",
  dimensionless: "counter",
};

function snake(s: string): string {
  return s.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

/**
 * The generic name of a record (without unit).
 *
 * @param e Record.
 * @returns Name such as `max_volume_flow_storage_1`.
 */
export function genericName(e: DvEntry, range: string): string {
  let n = snake(range);
  if (e.mt !== "instantaneous") {
    n = `${
      e.mt === "maximum" ? "max" : e.mt === "minimum" ? "min" : "at_error"
    }_${n}`;
  }
  if (e.combinables.length > 0) {
    n += `_vife_${e.combinables.join("_").toLowerCase()}`;
  }
  if (e.storage !== 0) n += `_storage_${e.storage}`;
  if (e.tariff !== 0) n += `_tariff_${e.tariff}`;
  if (e.subunit !== 0) n += `_subunit_${e.subunit}`;
  return n;
}

function printEntry(ctx: HookContext, e: DvEntry): void {
  const row = vifRow(e.vif);
  if (row === undefined) {
    ctx.fields[`record_${e.key.toLowerCase()}`] = hexReversed(e.data);
    return;
  }
  const name = genericName(e, row.range);
  if (row.quantity === "date" || row.quantity === "datetime") {
    ctx.fields[name] = dateText(e) ?? hexReversed(e.data);
    return;
  }
  const unit = UNIT_OF[row.quantity];
  const raw = rawNumber(e);
  if (unit === undefined || raw === undefined) {
    ctx.fields[name] = hexReversed(e.data);
    return;
  }
  ctx.fields[`${name}_${unit}`] = round6(raw * vifFactor(e.vif));
}

/** The generic driver. */
export const GENERIC: DriverDef = {
  name: "generic",
  detect: [],
  fields: [{ kind: "status", name: "status" }],
  after(ctx) {
    for (const e of ctx.entries) {
      if (
        ctx.fields[genericName(e, vifRow(e.vif)?.range ?? "")] === undefined
      ) printEntry(ctx, e);
    }
  },
};
