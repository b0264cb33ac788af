/**
 * The meters of one instance with their identity (ID, manufacturer, medium, version, primary
 * and secondary address, last read, errors); for a wireless instance also the driver, RSSI,
 * last heard, and the meters heard on air that are not configured (with "Add to config").
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { api, instanceUrl, subscribe } from "../api.ts";
import { ErrorNote, useData, useNow } from "../components/common.ts";
import { formatAge, groupSecondary, mediumName, rssiText } from "../format.ts";
import { html } from "../html.ts";
import { href } from "../router.ts";

/** A meter as `GET /api/instances/:name/meters` answers. */
export interface MeterRow {
  name: string;
  configured: boolean;
  description?: string;
  primary: number | null;
  secondary: string | null;
  id: string | null;
  manufacturer: string | null;
  version: number | null;
  medium: number | null;
  mediumName?: string | null;
  readAt: string | null;
  records: number;
  error: { code: string; message: string; at?: string } | null;
  driver?: string | null;
  rssi?: number | null;
  lastHeardAt?: string | null;
  mode?: string | null;
  telegrams?: number;
  encrypted?: boolean;
}

/** The answer of the meters route. */
export interface MetersAnswer {
  instance: string;
  type: string;
  meters: MeterRow[];
}

/**
 * Loads an instance's meters.
 *
 * @param name Instance name.
 * @returns The answer.
 */
export function loadMeters(name: string): Promise<MetersAnswer> {
  return api<MetersAnswer>("GET", instanceUrl(name, "/meters"));
}

function medium(m: MeterRow): string {
  return m.mediumName ?? mediumName(m.medium);
}

function Row(
  props: { instance: string; m: MeterRow; wireless: boolean; now: number },
): preact.JSX.Element {
  const { m, now } = props;
  const link = href("i", props.instance, "m", m.name);
  return html`<tr data-meter=${m.name}>
    <th scope="row"><a href=${link}>${m.name}</a>${
    m.description ? html`<div class="muted">${m.description}</div>` : null
  }</th>
    <td class="mono" data-label="ID">${m.id ?? "–"}</td>
    <td data-label="Manufacturer">${m.manufacturer ?? "–"}</td>
    <td data-label="Medium">${medium(m)}</td>
    <td class="num" data-label="Version">${m.version ?? "–"}</td>
    ${
    props.wireless
      ? html`
        <td data-label="Driver">${m.driver ?? "–"}</td>
        <td class="num" data-label="RSSI">${rssiText(m.rssi)}</td>
        <td data-label="Last heard">${formatAge(m.lastHeardAt, now)}</td>
      `
      : html`
        <td class="num" data-label="Primary">${m.primary ?? "–"}</td>
        <td class="mono" data-label="Secondary">${groupSecondary(
          m.secondary,
        )}</td>
        <td data-label="Last read">${formatAge(m.readAt, now)}</td>
      `
  }
    <td data-label="Errors" class=${m.error ? "bad" : ""}>${
    m.error ? `${m.error.code}: ${m.error.message}` : "none"
  }</td>
  </tr>`;
}

function Heard(
  props: { instance: string; rows: MeterRow[]; onAdded: () => void },
): preact.JSX.Element {
  const [error, setError] = useState<string | undefined>(undefined);
  async function add(id: string) {
    try {
      await api("POST", instanceUrl(props.instance, "/addresses"), {
        name: id,
      });
      setError(undefined);
      props.onAdded();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }
  return html`<section aria-labelledby="h-heard">
    <h2 id="h-heard">Heard, not configured</h2>
    <${ErrorNote} message=${error} />
    ${
    props.rows.length === 0
      ? html`<p class="muted">Every meter heard is configured.</p>`
      : html`<ul class="found">${
        props.rows.map((m) =>
          html`<li><span class="mono">${m.id}</span> ${m.manufacturer ?? ""} ${
            medium(m)
          } · ${m.driver ?? "no driver"} · RSSI ${rssiText(m.rssi)}${
            m.encrypted ? " · encrypted" : ""
          }
          <button type="button" onClick=${() =>
            add(m.id ?? m.name)}>Add ${m.id} to config</button></li>`
        )
      }</ul>`
  }
  </section>`;
}

/**
 * The meters tab of an instance.
 *
 * @param props Instance name.
 * @returns The element.
 */
export function MetersTab(props: { name: string }): preact.JSX.Element {
  const { data, error, reload } = useData(
    () => loadMeters(props.name),
    props.name,
  );
  const now = useNow(5000);
  useEffect(() =>
    subscribe((e) => {
      if (
        e.instance === props.name &&
        (e.type === "readFailed" || e.type === "busState")
      ) reload();
    }), [props.name]);
  const wireless = data?.type === "wireless";
  const configured = (data?.meters ?? []).filter((m) => m.configured);
  return html`<div>
    <${ErrorNote} message=${error} />
    <div class="table-wrap">
    <table class="meters">
      <caption>Configured meters of ${props.name}</caption>
      <thead><tr>
        <th scope="col">Meter</th><th scope="col">ID</th><th scope="col">Manufacturer</th>
        <th scope="col">Medium</th><th scope="col">Version</th>
        ${
    wireless
      ? html`
        <th scope="col">Driver</th>
        <th scope="col">RSSI</th>
        <th scope="col">Last heard</th>
      `
      : html`
        <th scope="col">Primary</th>
        <th scope="col">Secondary</th>
        <th scope="col">Last read</th>
      `
  }
        <th scope="col">Errors</th>
      </tr></thead>
      <tbody>${
    configured.map((m) =>
      html`
        <${Row} instance=${props.name} m=${m} wireless=${wireless}
          now=${now} />
      `
    )
  }</tbody>
    </table>
    </div>
    ${
    wireless
      ? html`
        <${Heard} instance=${props.name}
          rows=${(data?.meters ?? []).filter((m) =>
            !m.configured
          )} onAdded=${reload} />
      `
      : null
  }
  </div>`;
}
