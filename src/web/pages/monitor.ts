/**
 * The live bus monitor: the frames on the wire of every instance as they happen (newest
 * first), from `GET /api/monitor/recent` and then `GET /api/monitor` (server-sent events):
 * time to the millisecond, instance, direction, the hex and one line of decoding. Pause
 * (the list stops; a count shows what arrived meanwhile), resume, clear, filter by instance
 * and by primary address or meter ID; a frame's hex opens it in the analyzer.
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api.ts";
import { ErrorNote } from "../components/common.ts";
import { html } from "../html.ts";
import { href } from "../router.ts";

/** One frame as the monitor answers it. */
export interface MonitorFrame {
  seq: number;
  at: number;
  instance: string;
  direction: string;
  origin: string;
  kind: string;
  hex: string;
  length: number;
  summary: string;
  address?: number;
  id?: string;
  rssi?: number;
  error?: string;
}

/** Frames kept on the page. */
const MAX_ROWS = 1000;

/**
 * Whether a frame passes the page's filters.
 *
 * @param f The frame.
 * @param instance Instance name, or "" for all.
 * @param address Primary address or meter ID as typed, or "" for all.
 * @returns True when shown.
 */
export function passes(
  f: MonitorFrame,
  instance: string,
  address: string,
): boolean {
  if (instance && f.instance !== instance) return false;
  const a = address.trim();
  if (!a) return true;
  if (/^\d{1,3}$/.test(a)) return f.address === Number(a);
  return (f.id ?? "").toUpperCase() === a.toUpperCase();
}

/**
 * Wall-clock time of a frame with milliseconds (local time).
 *
 * @param at ms since the epoch.
 * @returns `HH:MM:SS.mmm`.
 */
export function clockTime(at: number): string {
  const d = new Date(at);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${
    p(d.getMilliseconds(), 3)
  }`;
}

/** Newest first, at most {@link MAX_ROWS}, without repeats. */
function merge(rows: MonitorFrame[], fresh: MonitorFrame[]): MonitorFrame[] {
  const newest = rows[0]?.seq ?? 0;
  const add = fresh.filter((f) => f.seq > newest).reverse();
  return add.length === 0 ? rows : [...add, ...rows].slice(0, MAX_ROWS);
}

function Row(props: { f: MonitorFrame }): preact.JSX.Element {
  const f = props.f;
  const dir = f.direction === "tx" ? "tx →" : "rx ←";
  const bad = f.kind === "garbage" || /^garbled/.test(f.summary);
  return html`
    <li class=${`frame ${f.direction}${bad ? " bad" : ""}`}
      data-seq=${f.seq} data-instance=${f.instance}
      data-address=${f.address ?? ""}>
      <div class="frame-head">
          <time datetime=${new Date(f.at).toISOString()}>${clockTime(
            f.at,
          )}</time>
          <span class="inst">${f.instance}</span>
          <span class="dir" title=${f.direction === "tx"
            ? "master → meter"
            : "meter → master"}>${dir}</span>
          ${f.origin === "bridge"
            ? html`<span class="origin">bridge client</span>`
            : null}
          ${f.rssi === undefined ? null : html`<span>RSSI ${f.rssi}</span>`}
          <span class="summary">${f.summary}</span>
        </div>
      <a class="hex mono" href=${href("tools", f.hex.replaceAll(" ", ""))}
        title="Open in the analyzer">${f.hex}</a>
    </li>
  `;
}

/**
 * The page.
 *
 * @returns The element.
 */
export function MonitorPage(): preact.JSX.Element {
  const [rows, setRows] = useState<MonitorFrame[]>([]);
  const [paused, setPaused] = useState(false);
  const [held, setHeld] = useState<MonitorFrame[]>([]);
  const [instance, setInstance] = useState("");
  const [address, setAddress] = useState("");
  const [names, setNames] = useState<string[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);
  const [live, setLive] = useState(false);
  const pausedRef = useRef(false);
  pausedRef.current = paused;

  useEffect(() => {
    let source: EventSource | null = null;
    let closed = false;
    const take = (fresh: MonitorFrame[]) => {
      if (pausedRef.current) setHeld((h) => [...h, ...fresh].slice(-MAX_ROWS));
      else setRows((r) => merge(r, fresh));
    };
    (async () => {
      try {
        const list = await api<{ instances: { name: string }[] }>(
          "GET",
          "/api/instances",
        );
        if (!closed) setNames(list.instances.map((i) => i.name));
        const recent = await api<{ frames: MonitorFrame[] }>(
          "GET",
          "/api/monitor/recent",
        );
        if (closed) return;
        take(recent.frames);
        const since = recent.frames.at(-1)?.seq ?? 0;
        source = new EventSource(`/api/monitor?since=${since}`);
        source.addEventListener("open", () => setLive(true));
        source.addEventListener("error", () => setLive(false));
        source.addEventListener("frame", (m) => {
          try {
            take([JSON.parse((m as MessageEvent<string>).data)]);
          } catch {
            // A malformed event is skipped.
          }
        });
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      closed = true;
      source?.close();
    };
  }, []);

  const heldShown = held.filter((f) => passes(f, instance, address)).length;
  const shown = rows.filter((f) => passes(f, instance, address));
  function togglePause() {
    if (paused) {
      setRows((r) => merge(r, held));
      setHeld([]);
    }
    setPaused(!paused);
  }
  return html`
    <section aria-labelledby="h-monitor" class="monitor-page">
      <h1 id="h-monitor">Bus monitor</h1>
      <p class="muted">
        Frames on the wire as they happen, newest first: tx (master → meter) and
        rx (meter → master, telegrams heard on air). Select a frame's bytes to
        open them in the analyzer.
      </p>
      <form class="monitor-filters" onSubmit=${(e: Event) =>
        e.preventDefault()}>
        <div class="field">
          <label for="mon-instance">Instance</label>
          <select id="mon-instance" value=${instance} onChange=${(e: Event) =>
            setInstance((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">All instances</option>
            ${names.map((n) => html`<option value=${n}>${n}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="mon-address">Address or meter ID</label>
          <input id="mon-address" class="mono" inputmode="text" size="10"
            placeholder="e.g. 5" value=${address} onInput=${(e: Event) =>
              setAddress((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <div class="actions">
          <button type="button" aria-pressed=${paused ? "true" : "false"}
            onClick=${togglePause}>${paused ? "Resume" : "Pause"}</button>
          <button type="button" onClick=${() => {
            setRows([]);
            setHeld([]);
          }}>Clear</button>
        </div>
      </form>
      <${ErrorNote} message=${error} />
      <p role="status" aria-live="polite" class="monitor-count">
        <span class="shown">${shown.length} frames shown</span>${paused
          ? html`
            · <span class="paused-count">${heldShown} arrived while paused</span>
          `
          : null}${live ? null : html`
          · <span class="muted">connecting…</span>
        `}
      </p>
      <ol class="frames" aria-label="Frames, newest first">
        ${shown.map((f) => html`<${Row} key=${f.seq} f=${f} />`)}
      </ol>
    </section>
  `;
}
