/**
 * The driver engine: runs a declarative driver over a telegram.
 *
 * @module
 */

import type { DvEntry } from "./_records.ts";
import { splitRecordsReusing } from "./_layout.ts";
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
import { noteDriver, remember } from "./_engine_out.ts";
import { jsonKey } from "./_units.ts";
import {
  lookupValue,
  mediaText,
  numberValue,
  textValue,
} from "./_engine_values.ts";

export { mediaText };
export { driverFields } from "./_engine_out.ts";

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
  noStatusRecord = false;
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
        if (e === undefined) noStatusRecord = true;
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
 * Set by the last {@link applyFields} when its status field found no record: a status
 * without the TPL status byte (`tpl: false`) is then not printed, as the reference leaves
 * out such a lookup field. runDriver reads it right after applyFields.
 */
let noStatusRecord = false;

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
  const split = splitRecordsReusing(r.data);
  const entries = split.entries;
  const manufacturerData = split.manufacturerData;
  const status: string[] = [];
  const ctx: HookContext = key === undefined
    ? { telegram, state, entries, manufacturerData, fields: json, status }
    : { telegram, state, key, entries, manufacturerData, fields: json, status };
  const statusSpec = applyFields(def.fields, ctx);
  const noRecord = noStatusRecord;
  // The status is ready before the hook (hooks may copy it) and redone if the hook adds words.
  if (statusSpec !== undefined) putStatus(statusSpec, ctx, noRecord);
  const wordsBefore = ctx.status.length;
  let error: { code: string; message: string } | undefined;
  if (def.after !== undefined) {
    const hookError = def.after(ctx);
    if (hookError !== undefined) error = hookError;
  }
  if (statusSpec !== undefined && ctx.status.length !== wordsBefore) {
    putStatus(statusSpec, ctx, noRecord);
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
  noteDriver(result, def);
  return result;
}

/** Writes the merged status field (table words, hook words, TPL status byte). */
function putStatus(
  statusSpec: FieldSpec,
  ctx: HookContext,
  noRecord: boolean,
): void {
  if (statusSpec.kind !== "status") return;
  const json = ctx.fields;
  if (
    statusSpec.tpl === false && statusSpec.match !== undefined &&
    ctx.status.length === 0 && noRecord
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
