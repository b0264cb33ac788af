/**
 * Tools: the telegram analyzer (paste hex, see each byte's layer, field and meaning, and what
 * was not understood) through `POST /api/analyze`, when the gateway has it.
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api.ts";
import { ErrorNote } from "../components/common.ts";
import { html } from "../html.ts";

/** One explained field, as the analyzer returns it. */
interface Span {
  offset: number;
  hex: string;
  layer?: string;
  field: string;
  meaning: string;
  understood?: boolean;
}

/** The analyzer's answer. */
interface Analysis {
  kind?: string;
  length?: number;
  spans?: Span[];
  notes?: string[];
  notUnderstood?: number;
}

/**
 * The page.
 *
 * @param props `hex`: a frame to analyze at once (the monitor links here with it).
 * @returns The element.
 */
export function ToolsPage(
  props: { hex?: string | undefined } = {},
): preact.JSX.Element {
  const [hex, setHex] = useState(props.hex ?? "");
  const [key, setKey] = useState("");
  const [result, setResult] = useState<Analysis | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  async function analyze(e?: Event) {
    e?.preventDefault();
    try {
      setResult(
        await api<Analysis>("POST", "/api/analyze", {
          hex,
          ...(key.trim() ? { key: key.trim() } : {}),
        }),
      );
      setError(undefined);
    } catch (err) {
      setResult(null);
      setError(err instanceof Error ? err.message : String(err));
    }
  }
  useEffect(() => {
    if (props.hex) void analyze();
  }, []);
  const spans = result?.spans ?? [];
  return html`
    <section aria-labelledby="h-tools">
      <h1 id="h-tools">Telegram analyzer</h1>
      <form onSubmit=${analyze} aria-label="Telegram analyzer">
        <label for="an-hex">Telegram (hex, wired frame or wireless telegram)</label>
        <textarea id="an-hex" class="mono" rows="4" value=${hex}
          onInput=${(e: Event) =>
            setHex((e.currentTarget as HTMLTextAreaElement).value)}></textarea>
        <label for="an-key">AES key (optional, 32 hex digits)</label>
        <input id="an-key" class="mono" type="password" autocomplete="off"
          value=${key} onInput=${(e: Event) =>
            setKey((e.currentTarget as HTMLInputElement).value)} />
        <div class="actions"><button type="submit">Analyze</button></div>
      </form>
      <${ErrorNote} message=${error} />
      ${result
        ? html`
          <p role="status">
            ${result.kind ?? "?"} · ${result.length ?? 0} bytes${result
                .notUnderstood
              ? ` · ${result.notUnderstood} bytes not understood`
              : " · every byte explained"}
          </p>
          ${(result.notes ?? []).length
            ? html`
              <ul>${(result.notes ?? []).map((n) => html`<li>${n}</li>`)}</ul>
            `
            : null}
          <div class="table-wrap">
            <table class="analysis">
              <caption>Each field of the input, in order</caption>
              <thead>
                <tr>
                  <th scope="col" class="num">Offset</th>
                  <th scope="col">Bytes</th>
                  <th scope="col">Layer</th>
                  <th scope="col">Field</th>
                  <th scope="col">Meaning</th>
                </tr>
              </thead>
              <tbody>${spans.map((s) =>
                html`
                  <tr class=${s.understood === false ? "bad" : ""}>
                    <td class="num">${s.offset}</td>
                    <td class="mono">${s.hex}</td>
                    <td>${s.layer ?? ""}</td>
                    <td>${s.field}</td>
                    <td>${s.meaning}${s.understood === false
                      ? " (not understood)"
                      : ""}</td>
                  </tr>
                `
              )}</tbody>
            </table>
          </div>
        `
        : null}
    </section>
  `;
}
