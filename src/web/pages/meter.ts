/**
 * One meter: its identity, every record named by its quantity with the value in its unit,
 * updated live from the event stream, a history chart of the chosen record, commands (read
 * now, set primary, set baud rate, remove) and its settings form.
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { api, instanceUrl, subscribe } from "../api.ts";
import { HistoryChart } from "../components/chart.ts";
import { ErrorNote, NotFound, useData, useNow } from "../components/common.ts";
import { MeterActions, restartText } from "../components/meter_actions.ts";
import { SettingsForm } from "../components/settings_form.ts";
import {
  type Entry,
  formatAge,
  formatValue,
  groupSecondary,
  recordLabel,
  rssiText,
} from "../format.ts";
import { html } from "../html.ts";
import { href } from "../router.ts";
import { configSchema, meterFields } from "../schema.ts";
import { loadMeters, type MeterRow } from "./meters.ts";

/** A note handed to the next meter page (after a rename moves to the new address). */
let carried: string | undefined;

interface Loaded {
  row: MeterRow | undefined;
  type: string;
  records: Entry[];
  config: Record<string, unknown>;
  fields: Awaited<ReturnType<typeof meterFields>>;
}

/**
 * Loads the page's data; null when the instance has no such meter (neither configured
 * nor seen). An unknown instance fails with its 404.
 */
async function load(
  instance: string,
  meter: string,
): Promise<Loaded | null> {
  const inst = await api<{ config: { addresses?: Record<string, unknown>[] } }>(
    "GET",
    instanceUrl(instance),
  );
  const [meters, schema] = await Promise.all([
    loadMeters(instance),
    configSchema(),
  ]);
  const row = meters.meters.find((m) => m.name === meter);
  const configured = (inst.config.addresses ?? []).find((a) =>
    String(a.name).toUpperCase() === meter.toUpperCase()
  );
  if (!row && !configured) return null;
  const config = configured ?? {};
  const values = await api<{ values: Entry[] }>(
    "GET",
    instanceUrl(instance, `/values?address=${encodeURIComponent(meter)}`),
  );
  return {
    row,
    type: meters.type,
    records: values.values,
    config,
    fields: meterFields(schema, meters.type === "wireless"),
  };
}

function Records(
  props: {
    records: Entry[];
    flash: Set<string>;
    chosen: string | undefined;
    onChoose: (path: string) => void;
  },
): preact.JSX.Element {
  return html`
    <div class="table-wrap">
      <table class="records">
        <caption>Records</caption>
        <thead>
          <tr>
            <th scope="col">Quantity</th>
            <th scope="col" class="num">Value</th>
            <th scope="col"><span class="sr-only">Chart</span></th>
          </tr>
        </thead>
        <tbody>${props.records.map((r) => {
          const v = formatValue(r.value, r.unit);
          const numeric = typeof r.value === "number";
          return html`
            <tr data-path=${r.path} class=${props.flash.has(r.path)
              ? "flash"
              : ""}>
              <th scope="row">${recordLabel(r)}</th>
              <td class=${numeric ? "num value nowrap" : "num value"}
                aria-live="polite">${v.text}${v.unit
                  ? html`<span class="unit">${v.unit}</span>`
                  : null}</td>
              <td>${numeric
                ? html`
                  <button type="button" aria-pressed=${props.chosen === r.path}
                    aria-label=${`Chart of ${recordLabel(r)}`}
                    onClick=${() => props.onChoose(r.path)}>Chart</button>
                `
                : null}</td>
            </tr>
          `;
        })}</tbody>
      </table>
    </div>
  `;
}

/**
 * The page.
 *
 * @param props Instance and meter name.
 * @returns The element.
 */
export function MeterPage(
  props: { name: string; meter: string },
): preact.JSX.Element {
  const { data: loaded, error, missing, reload } = useData(
    () => load(props.name, props.meter),
    `${props.name}/${props.meter}`,
  );
  const data = loaded ?? undefined;
  const [records, setRecords] = useState<Entry[]>([]);
  const [flash, setFlash] = useState<Set<string>>(new Set());
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [live, setLive] = useState(0);
  const [note, setNote] = useState<string | undefined>(() => {
    const n = carried;
    carried = undefined;
    return n;
  });
  const [actionErr, setActionErr] = useState<string | undefined>(undefined);
  const now = useNow(5000);
  const chosenRef = useRef(chosen);
  const reloadSoon = useRef<ReturnType<typeof setTimeout> | undefined>(
    undefined,
  );
  chosenRef.current = chosen;
  useEffect(() => {
    if (data) {
      setRecords(data.records);
      setChosen((c) =>
        c ?? data.records.find((r) => typeof r.value === "number")?.path
      );
    }
  }, [data]);
  useEffect(() =>
    subscribe((e) => {
      if (e.instance !== props.name) return;
      if (e.type !== "valueChanged") return;
      const path = String(e.path);
      if (!path.toUpperCase().includes(`:${props.meter.toUpperCase()}/`)) {
        return;
      }
      setRecords((rs) => {
        const i = rs.findIndex((r) => r.path === path);
        if (i < 0) {
          // A record not shown yet (first read at this address): load the page again.
          if (!reloadSoon.current) {
            reloadSoon.current = setTimeout(() => {
              reloadSoon.current = undefined;
              reload();
            }, 300);
          }
          return rs;
        }
        const next = [...rs];
        next[i] = {
          ...rs[i],
          value: e.value as Entry["value"],
          timestamp: String(e.timestamp),
        } as Entry;
        return next;
      });
      setFlash((f) => new Set(f).add(path));
      setTimeout(() =>
        setFlash((f) => {
          const n = new Set(f);
          n.delete(path);
          return n;
        }), 800);
      if (path === chosenRef.current) setLive((n) => n + 1);
    }), [props.name]);
  const row = data?.row;
  const chosenEntry = records.find((r) => r.path === chosen);
  async function readNow() {
    try {
      setActionErr(undefined);
      await api("POST", instanceUrl(props.name, "/read"), {
        address: props.meter,
      });
      reload();
    } catch (e) {
      setActionErr(e instanceof Error ? e.message : String(e));
    }
  }
  async function save(changes: Record<string, unknown>) {
    const r = await api<{ restartRequired?: unknown }>(
      "POST",
      instanceUrl(
        props.name,
        `/addresses/${encodeURIComponent(props.meter)}`,
      ),
      changes,
    );
    return restartText(r.restartRequired);
  }
  if (missing) {
    return html`<${NotFound} message=${`No instance named "${props.name}"`} />`;
  }
  if (loaded === null) {
    return html`
      <${NotFound} message=${`No meter "${props.meter}" in ${props.name}`}
        back=${[[`Back to ${props.name}`, href("i", props.name)]]} />
    `;
  }
  const wired = data ? data.type !== "wireless" : false;
  return html`<section aria-labelledby="h-meter">
    <p class="crumbs"><a href=${href("i", props.name)}>${props.name}</a> ›</p>
    <h1 id="h-meter">Meter ${props.meter}</h1>
    <${ErrorNote} message=${error} />
    ${
    row
      ? html`<dl class="facts identity">
      <dt>ID</dt><dd class="mono">${row.id ?? "–"}</dd>
      <dt>Manufacturer</dt><dd>${row.manufacturer ?? "–"}</dd>
      <dt>Medium</dt><dd>${row.mediumName ?? "–"}</dd>
      <dt>Version</dt><dd>${row.version ?? "–"}</dd>
      ${
        wired
          ? html`
            <dt>Primary</dt>
            <dd>${row.primary ?? "–"}</dd>
            <dt>Secondary</dt>
            <dd class="mono">${groupSecondary(row.secondary)}</dd>
            <dt>Last read</dt>
            <dd>${formatAge(row.readAt, now)}</dd>
          `
          : html`
            <dt>Driver</dt>
            <dd>${row.driver ?? "–"}</dd>
            <dt>RSSI</dt>
            <dd>${rssiText(row.rssi)}</dd>
            <dt>Last heard</dt>
            <dd>${formatAge(row.lastHeardAt, now)}</dd>
          `
      }
      <dt>Errors</dt><dd class=${row.error ? "bad" : ""}>${
        row.error ? `${row.error.code}: ${row.error.message}` : "none"
      }</dd>
    </dl>`
      : null
  }
    <div class="actions">
      ${
    wired
      ? html`<button type="button" onClick=${readNow}>Read now</button>`
      : null
  }
      ${
    data
      ? html`
        <${MeterActions} instance=${props.name}
          meter=${{
            name: props.meter,
            id: row?.id ?? null,
            manufacturer: row?.manufacturer ?? null,
            medium: row?.mediumName ?? null,
          }}
          wired=${wired}
          onChanged=${(n: string, newName?: string) => {
            if (newName) {
              // The page of the new address shows the note.
              carried = n;
              location.hash = href("i", props.name, "m", newName);
            } else {
              setNote(n);
              reload();
            }
          }} />
      `
      : null
  }
    </div>
    ${note ? html`<p class="ok" role="status">${note}</p>` : null}
    ${
    data && records.length === 0
      ? html`
        <p
          class="muted">No records yet: the meter has not been read at this address.</p>
      `
      : null
  }
    <${ErrorNote} message=${actionErr} />
    <${Records} records=${records} flash=${flash} chosen=${chosen}
      onChoose=${setChosen} />
    ${
    chosenEntry
      ? html`
        <${HistoryChart} instance=${props.name} path=${chosenEntry.path}
          label=${recordLabel(chosenEntry)} unit=${chosenEntry
            .unit} live=${live} />
      `
      : null
  }
    ${
    data
      ? html`
        <details class="panel">
          <summary>Settings of meter ${props.meter}</summary>
          <${SettingsForm} key=${props
            .meter} label=${`Settings of meter ${props.meter}`}
            fields=${data.fields} values=${data.config} onSave=${save} />
        </details>
      `
      : null
  }
  </section>`;
}
