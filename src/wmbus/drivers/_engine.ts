/**
 * The driver engine: runs a declarative driver over a telegram.
 *
 * @module
 */

import { type DvEntry, splitRecords } from "./_records.ts";
import { defaultCompactRecords } from "./_compact.ts";
import type {
  DriverDef,
  DriverKey,
  FieldSpec,
  HookContext,
  Matcher,
} from "./_spec.ts";
import {
  joinStatus,
  lookupText,
  NO_LOOKUPS,
  tplStatusWords,
} from "./_status.ts";
import type {
  DriverResult,
  DriverTelegram,
  Fields,
  MeterState,
} from "./_types.ts";
import {
  type CompiledMatcher,
  compileMatcher,
  matchesCompiled,
  pickCompiled,
} from "./_matcher.ts";
import { renderName } from "./_name_template.ts";
import { type DriverField, fieldOfKey, jsonKey, UNITS } from "./_units.ts";
import {
  lookupValue,
  mediaText,
  numberValue,
  textValue,
} from "./_engine_values.ts";

export { mediaText };

/** Techem's own device types and their media texts. */
/**
 * Applies the table fields of a driver to the records.
 *
 * @param fields Field specs.
 * @param ctx Hook context (fields and status are filled in).
 * @returns The status field spec, if the driver has one.
 */
function applyFields(
  fields: readonly FieldSpec[],
  ctx: HookContext,
): FieldSpec | undefined {
  let statusSpec: FieldSpec | undefined;
  for (const { f, c } of compiledFields(fields)) {
    if (f.kind === "status") {
      statusSpec = f;
      if (c !== null) {
        const e = pickCompiled(c.matcher, ctx.entries) ??
          (c.loose === undefined
            ? undefined
            : pickCompiled(c.loose, ctx.entries));
        const n = e === undefined ? undefined : lookupValue(e);
        if (n !== undefined) {
          ctx.status.push(lookupText(f.lookups ?? NO_LOOKUPS, n));
        }
        if (e === undefined) NO_STATUS_RECORD.add(ctx);
      }
      continue;
    }
    if (c === null) continue;
    let printed = false;
    if (c.multi) {
      for (const e of ctx.entries) {
        if (!matchesCompiled(c.matcher, e)) continue;
        const name = renderName(f.name, e);
        const key = f.kind === "num" ? jsonKey(name, f.unit) : name;
        if (applyOne(f, e, key, ctx)) printed = true;
      }
      continue;
    }
    const e = pickCompiled(c.matcher, ctx.entries);
    if (e !== undefined) printed = applyOne(f, e, c.key, ctx);
    if (!printed) {
      if (f.kind === "num" && f.always === true) ctx.fields[c.key] = null;
      if (f.kind === "text" && f.absent !== undefined && f.inject !== true) {
        ctx.fields[c.key] = f.absent;
      }
    }
  }
  return statusSpec;
}

/**
 * Telegrams whose status field found no record: a status without the TPL status byte
 * (`tpl: false`) is then not printed, as the reference leaves out such a lookup field.
 */
const NO_STATUS_RECORD = new WeakSet<HookContext>();

/** What a field spec needs on every telegram, worked out once. */
interface CompiledField {
  /** The name is a template (`{storage}` …): one output per matching record. */
  readonly multi: boolean;
  /** The output key of a plain name (`name_unit` for numbers). */
  readonly key: string;
  /** The record matcher. */
  readonly matcher: CompiledMatcher;
  /** A status field's loose matcher (see {@link looseStatusMatcher}). */
  readonly loose?: CompiledMatcher;
}

/**
 * The reference's status field over error flags takes, when no record matches exactly, the
 * LAST error-flags record in telegram order of any function field, subunit and combinable
 * VIFE (measured: a maximum record after a subunit 1 one prints, and the other way round;
 * lansensm, whose exact matcher wants combinable 1D, prints the last FD 97 FF 1C record).
 * An exact record wins over them, the first one when there are several.
 *
 * @param m The status field's matcher.
 * @returns The second-choice matcher, or undefined.
 */
function looseStatusMatcher(m: Matcher): CompiledMatcher | undefined {
  if (m.key !== undefined || m.vif !== "ErrorFlags") return undefined;
  const { mt: _mt, index: _index, combinables: _c, ...rest } = m;
  // A subunit range without an index makes the matcher take the last match.
  return compileMatcher({
    ...rest,
    subunit: [0, 0x7fffffff],
    combinables: "*",
  });
}

/** A field spec and its compiled form (null for a status field without a matcher). */
interface FieldPlan {
  readonly f: FieldSpec;
  readonly c: CompiledField | null;
}

/** Each driver's field list, compiled on first use (one lookup per telegram). */
const PLANS = new WeakMap<readonly FieldSpec[], readonly FieldPlan[]>();

function compiledFields(fields: readonly FieldSpec[]): readonly FieldPlan[] {
  let plan = PLANS.get(fields);
  if (plan === undefined) {
    plan = fields.map((f): FieldPlan => {
      if (f.kind === "status") {
        return {
          f,
          c: f.match === undefined ? null : {
            multi: false,
            key: f.name,
            matcher: compileMatcher(f.match),
            ...optional(looseStatusMatcher(f.match)),
          },
        };
      }
      return {
        f,
        c: {
          multi: f.name.includes("{"),
          key: f.kind === "num" ? jsonKey(f.name, f.unit) : f.name,
          matcher: compileMatcher(f.match),
        },
      };
    });
    PLANS.set(fields, plan);
  }
  return plan;
}

/** Writes one field from one record; true when something was printed. */
function applyOne(
  f: FieldSpec & { kind: "num" | "text" },
  e: DvEntry,
  key: string,
  ctx: HookContext,
): boolean {
  if (f.kind === "num") {
    const v = numberValue(f, e);
    if (v === undefined) return false;
    ctx.fields[key] = v;
    return true;
  }
  const v = textValue(f, e);
  if (v === undefined) return false;
  if (f.inject === true || f.alsoStatus === true) ctx.status.push(String(v));
  if (f.inject !== true) ctx.fields[key] = v;
  return true;
}

/**
 * Runs a driver over a telegram.
 *
 * @param def The driver.
 * @param telegram The telegram.
 * @param options Meter name and state.
 * @returns The result.
 */
export function runDriver(
  def: DriverDef,
  telegram: DriverTelegram,
  options: { name: string; state: MeterState; key?: DriverKey },
): DriverResult {
  const json: Fields = {
    _: "telegram",
    media: def.media ?? mediaText(telegram),
    meter: def.name,
    name: options.name,
    id: telegram.id,
  };
  // Compact frames (CI 79/7B/73) expand for every driver (learned or declared formats).
  const records = def.records ?? defaultCompactRecords;
  const key = options.key;
  const state = options.state;
  const r = records(
    key === undefined ? { telegram, state } : { telegram, state, key },
  );
  if (!r.ok) {
    return {
      ok: false,
      json,
      driver: def.name,
      error: { code: r.code, message: r.message },
    };
  }
  const split = splitRecords(r.data);
  const entries = split.entries;
  const manufacturerData = split.manufacturerData;
  const status: string[] = [];
  const ctx: HookContext = key === undefined
    ? { telegram, state, entries, manufacturerData, fields: json, status }
    : { telegram, state, key, entries, manufacturerData, fields: json, status };
  const statusSpec = applyFields(def.fields, ctx);
  // The status is ready before the hook (hooks may copy it) and redone if the hook adds words.
  if (statusSpec !== undefined) putStatus(statusSpec, ctx);
  const wordsBefore = ctx.status.length;
  let error: { code: string; message: string } | undefined;
  if (def.after !== undefined) {
    const hookError = def.after(ctx);
    if (hookError !== undefined) error = hookError;
  }
  if (statusSpec !== undefined && ctx.status.length !== wordsBefore) {
    putStatus(statusSpec, ctx);
  }
  if (error !== undefined) return { ok: false, json, driver: def.name, error };
  if (
    split.error !== null && split.entries.length === 0 &&
    def.after === undefined
  ) {
    return {
      ok: false,
      json,
      driver: def.name,
      error: {
        code: split.error.code,
        message:
          `Cannot decode records: ${split.error.code} at offset ${split.error.offset}`,
      },
    };
  }
  remember(json, options.state);
  const result: DriverResult = { ok: true, json, driver: def.name };
  DEF_OF.set(result, def);
  return result;
}

/** Writes the merged status field (table words, hook words, TPL status byte). */
function putStatus(statusSpec: FieldSpec, ctx: HookContext): void {
  if (statusSpec.kind !== "status") return;
  const json = ctx.fields;
  if (
    statusSpec.tpl === false && statusSpec.match !== undefined &&
    ctx.status.length === 0 && NO_STATUS_RECORD.has(ctx)
  ) {
    delete json[statusSpec.name];
    return;
  }
  const sts = ctx.telegram.tpl?.status;
  if (statusSpec.tpl !== false && sts !== undefined && sts !== 0) {
    json[statusSpec.name] = joinStatus([
      ...ctx.status,
      ...tplStatusWords(sts, statusSpec.tplLookup),
    ]);
  } else json[statusSpec.name] = joinStatus(ctx.status);
}

/** `{ loose }` when a second-choice matcher exists, else nothing. */
function optional(
  loose: CompiledMatcher | undefined,
): { loose?: CompiledMatcher } {
  return loose === undefined ? {} : { loose };
}

/** The driver of each successful result (see {@link driverFields}). */
const DEF_OF = new WeakMap<DriverResult, DriverDef>();

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
  const def = DEF_OF.get(result);
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
function remember(json: Fields, state: MeterState): void {
  const previous = state.previous;
  if (previous.size !== 0) {
    for (const [k, v] of previous) if (!(k in json)) json[k] = v;
  }
  const keys = Object.keys(json);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (!HEADER_KEYS.has(k)) previous.set(k, json[k]);
  }
}
