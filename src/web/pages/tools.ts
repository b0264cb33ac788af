/// <reference lib="dom" />
/**
 * Tools: the telegram analyzer (paste hex, see each part explained) through
 * `POST /api/analyze`, when the gateway has it.
 *
 * @module
 */
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { ErrorNote } from "../components/common.ts";
import { html } from "../html.ts";

interface Part {
  offset?: number;
  length?: number;
  bytes?: string;
  hex?: string;
  field?: string;
  name?: string;
  meaning?: string;
  text?: string;
  value?: unknown;
}

function partsOf(result: unknown): Part[] | null {
  if (!result || typeof result !== "object") return null;
  const r = result as Record<string, unknown>;
  for (const k of ["bytes", "parts", "fields", "explained", "spans"]) {
    if (Array.isArray(r[k])) return r[k] as Part[];
  }
  return null;
}

/**
 * The page.
 *
 * @returns The element.
 */
export function ToolsPage(): preact.JSX.Element {
  const [hex, setHex] = useState("");
  const [result, setResult] = useState<unknown>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  async function analyze(e: Event) {
    e.preventDefault();
    try {
      setResult(await api("POST", "/api/analyze", { hex }));
      setError(undefined);
    } catch (err) {
      setResult(null);
      setError(err instanceof Error ? err.message : String(err));
    }
  }
  const parts = partsOf(result);
  return html`<section aria-labelledby="h-tools">
    <h1 id="h-tools">Telegram analyzer</h1>
    <form onSubmit=${analyze} aria-label="Telegram analyzer">
      <label for="an-hex">Telegram (hex, wired or wireless)</label>
      <textarea id="an-hex" class="mono" rows="4" value=${hex}
        onInput=${(e: Event) =>
    setHex((e.currentTarget as HTMLTextAreaElement).value)}></textarea>
      <button type="submit">Analyze</button>
    </form>
    <${ErrorNote} message=${error} />
    ${
    parts
      ? html`
        <div class="table-wrap">
          <table class="analysis">
            <thead>
              <tr>
                <th scope="col">Offset</th>
                <th scope="col">Bytes</th>
                <th scope="col">Field</th>
                <th scope="col">Meaning</th>
              </tr>
            </thead>
            <tbody>${parts.map((p) =>
              html`
                <tr>
                  <td class="num">${p.offset ?? ""}</td>
                  <td class="mono">${p.hex ?? p.bytes ?? ""}</td>
                  <td>${p.field ?? p.name ?? ""}</td>
                  <td>${p.meaning ?? p.text ??
                    (p.value === undefined ? "" : JSON.stringify(p.value))}</td>
                </tr>
              `
            )}</tbody>
          </table>
        </div>
      `
      : result
      ? html`<pre class="mono">${JSON.stringify(result, null, 2)}</pre>`
      : null
  }
  </section>`;
}
