/**
 * What the engine keeps beside its output: each result's driver (for the typed fields made
 * on request) and the values a meter printed before.
 *
 * @module
 */

import type { DriverDef } from "./_spec.ts";
import type { DriverResult, Fields, MeterState } from "./_types.ts";
import { type DriverField, fieldOfKey, jsonKey, UNITS } from "./_units.ts";

/** The driver of each successful result whose driver is not the first of its name. */
const DEF_OF = new WeakMap<DriverResult, DriverDef>();

/** The first driver of each name that produced a result (the driver table has one a name). */
const DEF_BY_NAME = new Map<string, DriverDef>();

/**
 * Notes the driver of a successful result for {@link driverFields}: by its name, so that a
 * result costs no WeakMap entry unless another driver of the same name ran first.
 *
 * @param result The result.
 * @param def Its driver.
 */
export function noteDriver(result: DriverResult, def: DriverDef): void {
  const named = DEF_BY_NAME.get(def.name);
  if (named === undefined) DEF_BY_NAME.set(def.name, def);
  else if (named !== def) DEF_OF.set(result, def);
}

/** JSON key → [name, unit] of a driver's plain-named table fields, made once per driver. */
const NAMES_OF = new WeakMap<
  DriverDef,
  ReadonlyMap<string, readonly [string, string]>
>();

function namesOf(
  def: DriverDef,
): ReadonlyMap<string, readonly [string, string]> {
  let names = NAMES_OF.get(def);
  if (names === undefined) {
    const m = new Map<string, readonly [string, string]>();
    for (const f of def.fields) {
      if (f.kind === "status") m.set(f.name, [f.name, ""]);
      else if (!f.name.includes("{")) {
        const unit = f.kind === "num" ? f.unit : "";
        m.set(jsonKey(f.name, unit), [f.name, unit]);
      }
    }
    names = m;
    NAMES_OF.set(def, names);
  }
  return names;
}

/**
 * The fields of a driver's output, typed (name, quantity, unit, value), in JSON order
 * without the identity keys: the table's own fields as the table names them, the fields
 * hooks wrote (and remembered ones) by their JSON key through the unit table. Made on
 * request (the CLI prints `json` and never asks).
 *
 * @param result A driver result.
 * @returns The typed fields (empty for a failed result).
 */
export function driverFields(result: DriverResult): DriverField[] {
  if (!result.ok) return [];
  const def = DEF_OF.get(result) ?? DEF_BY_NAME.get(result.driver);
  return typedFields(result.json, def === undefined ? new Map() : namesOf(def));
}

/**
 * The fields of the output, typed: the table's own fields as the table names them, the
 * fields hooks and name templates wrote (and remembered ones) by their JSON key through
 * the unit table.
 */
function typedFields(
  json: Fields,
  typed: ReadonlyMap<string, readonly [string, string]>,
): DriverField[] {
  const out: DriverField[] = [];
  for (const key in json) {
    if (HEADER_KEYS.has(key)) continue;
    const t = typed.get(key);
    const value = json[key];
    if (t === undefined) {
      out.push({ ...fieldOfKey(key), value });
      continue;
    }
    const unit = t[1] === "" ? undefined : UNITS[t[1]];
    out.push({
      key,
      name: t[0],
      quantity: unit?.quantity ?? "text",
      unit: t[1],
      unitText: unit?.text ?? "",
      value,
    });
  }
  return out;
}

const HEADER_KEYS: ReadonlySet<string> = new Set([
  "_",
  "media",
  "meter",
  "name",
  "id",
]);

/**
 * Like the reference, a meter keeps the values it has seen: fields of earlier telegrams
 * that this one does not carry are printed again, and this telegram's fields are stored.
 *
 * @param json The fields of this telegram (completed in place).
 * @param state The meter state.
 */
export function remember(json: Fields, state: MeterState): void {
  const previous = state.previous;
  // The keys of this telegram; remembered ones added below hold the values already kept.
  const keys = Object.keys(json);
  if (previous.size !== 0) {
    for (const [k, v] of previous) if (!(k in json)) json[k] = v;
  }
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (!HEADER_KEYS.has(k)) previous.set(k, json[k]);
  }
}
