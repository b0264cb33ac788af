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
import { checkField, choices, type Field, fieldValue } from "../fields.ts";

export type { Field, SchemaNode } from "../fields.ts";

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
                list=${f.suggest?.length ? `${id}-list` : undefined}
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
          ${f.suggest?.length
            ? html`
              <datalist id=${`${id}-list`}>${f.suggest.map((v) =>
                html`<option value=${v}></option>`
              )}</datalist>
            `
            : null}
        </div>
      `;
    })
  }
    <${ErrorNote} message=${error} />
    ${saved ? html`<p class="ok" role="status">${saved}</p>` : null}
    <button type="submit" disabled=${invalid || busy}>Save</button>
  </form>`;
}
