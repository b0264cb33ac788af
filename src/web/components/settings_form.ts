/// <reference lib="dom" />
/**
 * A settings form built from the config's JSON Schema (`GET /api/config/schema`): one input
 * per key with its description, limits checked as the user types (the schema's minimum,
 * maximum, pattern and enum), and the gateway's own validation message shown at the key it
 * names when saving is refused. Keys marked write-only (`key`) are never filled in.
 *
 * @module
 */
import { useState } from "preact/hooks";
import { ApiFailure } from "../api.ts";
import { html } from "../html.ts";
import { ErrorNote } from "./common.ts";

/** A JSON Schema node, the parts the form reads. */
export interface SchemaNode {
  type?: string | string[];
  description?: string;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  enum?: unknown[];
  default?: unknown;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
  definitions?: Record<string, SchemaNode>;
}

/** One field of the form. */
export interface Field {
  /** Config key. */
  key: string;
  /** Schema of the key (may be empty when the server has no schema). */
  schema: SchemaNode;
  /** Never shown, only written (a meter's AES key). */
  writeOnly?: boolean;
}

function variants(s: SchemaNode): SchemaNode[] {
  return s.anyOf ?? s.oneOf ?? [s];
}

function types(s: SchemaNode): string[] {
  return variants(s).flatMap((v) =>
    Array.isArray(v.type) ? v.type : v.type ? [v.type] : []
  );
}

/**
 * Checks one input against its schema as the user types.
 *
 * @param text The input's text ("" means unset).
 * @param s The key's schema.
 * @returns The message, or undefined when it is valid.
 */
export function checkField(text: string, s: SchemaNode): string | undefined {
  if (text === "") return undefined;
  const vs = variants(s);
  const problems: string[] = [];
  for (const v of vs) {
    const t = Array.isArray(v.type) ? v.type : [v.type ?? "string"];
    if (v.enum) {
      if (v.enum.map(String).includes(text)) return undefined;
      problems.push(`one of ${v.enum.join(", ")}`);
      continue;
    }
    if (t.includes("number") || t.includes("integer")) {
      const n = Number(text);
      if (!/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(text.trim())) {
        problems.push("a number");
        continue;
      }
      if (t.includes("integer") && !Number.isInteger(n)) {
        problems.push("a whole number");
        continue;
      }
      if (v.minimum !== undefined && n < v.minimum) {
        problems.push(`at least ${v.minimum}`);
        continue;
      }
      if (v.maximum !== undefined && n > v.maximum) {
        problems.push(`at most ${v.maximum}`);
        continue;
      }
      return undefined;
    }
    if (t.includes("boolean")) {
      if (text === "true" || text === "false") return undefined;
      problems.push("true or false");
      continue;
    }
    if (v.pattern && !new RegExp(v.pattern).test(text)) {
      problems.push(`text matching ${v.pattern}`);
      continue;
    }
    return undefined;
  }
  return problems.length ? `Expected ${problems.join(" or ")}` : undefined;
}

/**
 * The fixed choices of a key (an enum, or true/false), when it has only those.
 *
 * @param s The key's schema.
 * @returns The choices as text, or undefined for free input.
 */
export function choices(s: SchemaNode): string[] | undefined {
  const vs = variants(s);
  if (vs.every((v) => v.enum)) {
    return vs.flatMap((v) => (v.enum ?? []).map(String));
  }
  if (vs.length === 1 && types(s).join() === "boolean") {
    return ["true", "false"];
  }
  return undefined;
}

/**
 * The value a field's text stands for: a number when the schema allows one and the text is
 * numeric, a boolean for true/false, else the text.
 *
 * @param text Input text.
 * @param s Schema.
 * @returns The JSON value (undefined for "").
 */
export function fieldValue(text: string, s: SchemaNode): unknown {
  if (text === "") return undefined;
  const t = types(s);
  if (
    (t.includes("number") || t.includes("integer")) &&
    /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(text.trim())
  ) return Number(text);
  if (t.includes("boolean") && (text === "true" || text === "false")) {
    return text === "true";
  }
  return text;
}

/**
 * The form.
 *
 * @param props Fields, current values, what saving does, and a form label.
 * @returns The element.
 */
export function SettingsForm(
  props: {
    label: string;
    fields: Field[];
    values: Record<string, unknown>;
    onSave: (changes: Record<string, unknown>) => Promise<string | undefined>;
  },
): preact.JSX.Element {
  const [initial, setInitial] = useState<Record<string, string>>(() => {
    const o: Record<string, string> = {};
    for (const f of props.fields) {
      const v = props.values[f.key];
      o[f.key] = f.writeOnly || v === undefined || v === null ? "" : String(v);
    }
    return o;
  });
  const [texts, setTexts] = useState<Record<string, string>>(initial);
  const [serverErr, setServerErr] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>(undefined);
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const local: Record<string, string | undefined> = {};
  for (const f of props.fields) {
    local[f.key] = checkField(texts[f.key] ?? "", f.schema);
  }
  const invalid = Object.values(local).some(Boolean);
  async function submit(ev: Event) {
    ev.preventDefault();
    if (invalid) return;
    // Only what the user changed: untouched keys stay as they are in the file.
    const changes: Record<string, unknown> = {};
    for (const f of props.fields) {
      const text = texts[f.key] ?? "";
      if (text === (initial[f.key] ?? "")) continue;
      const v = fieldValue(text, f.schema);
      if (f.writeOnly && v === undefined) continue;
      changes[f.key] = v === undefined ? null : v;
    }
    if (Object.keys(changes).length === 0) {
      setSaved("Nothing changed.");
      return;
    }
    setBusy(true);
    try {
      setSaved(await props.onSave(changes));
      setInitial({ ...texts });
      setServerErr({});
      setError(undefined);
    } catch (e) {
      setSaved(undefined);
      const msg = e instanceof Error ? e.message : String(e);
      const at = props.fields.find((f) =>
        e instanceof ApiFailure &&
        new RegExp(`\\.${f.key}\\b|"${f.key}"`).test(msg)
      );
      if (at) setServerErr({ [at.key]: msg });
      else setError(msg);
    } finally {
      setBusy(false);
    }
  }
  return html`<form class="settings" aria-label=${props.label} onSubmit=${submit} novalidate>
    ${
    props.fields.map((f) => {
      const id = `f-${f.key}`;
      const msg = local[f.key] ?? serverErr[f.key];
      const def = f.schema.default;
      return html`
        <div class="field">
          <label for=${id}>${f.key}</label>
          ${choices(f.schema)
            ? html`
              <select id=${id} name=${f.key} value=${texts[f.key]}
                aria-describedby=${`${id}-help ${id}-err`}
                onChange=${(e: Event) =>
                  setTexts({
                    ...texts,
                    [f.key]: (e.currentTarget as HTMLSelectElement).value,
                  })}>
                <option value="">${def === undefined
                  ? "(not set)"
                  : `default (${String(def)})`}</option>
                ${(choices(f.schema) ?? []).map((c) =>
                  html`<option value=${c}>${c}</option>`
                )}
              </select>
            `
            : html`
              <input id=${id} name=${f.key} type=${f.writeOnly
                ? "password"
                : "text"}
                autocomplete="off" value=${texts[f.key]}
                placeholder=${f.writeOnly
                  ? "unchanged (write-only)"
                  : def === undefined
                  ? ""
                  : `default ${String(def)}`}
                aria-invalid=${msg ? "true" : "false"}
                aria-describedby=${`${id}-help ${id}-err`}
                onInput=${(e: Event) =>
                  setTexts({
                    ...texts,
                    [f.key]: (e.currentTarget as HTMLInputElement).value,
                  })} />
            `}
          <small id=${`${id}-help`} class="muted">${f.schema.description ??
            ""}</small>
          <small id=${`${id}-err`} class="error" role=${msg
            ? "alert"
            : undefined}>${msg ?? ""}</small>
        </div>
      `;
    })
  }
    <${ErrorNote} message=${error} />
    ${saved ? html`<p class="ok" role="status">${saved}</p>` : null}
    <button type="submit" disabled=${invalid || busy}>Save</button>
  </form>`;
}
