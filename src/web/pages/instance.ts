/**
 * One instance: tabs for its meters, commissioning and settings.
 *
 * @module
 */
import { api, instanceUrl } from "../api.ts";
import { ErrorNote, NotFound, useData } from "../components/common.ts";
import { restartText } from "../components/meter_actions.ts";
import { SettingsForm } from "../components/settings_form.ts";
import { html } from "../html.ts";
import { href } from "../router.ts";
import { configSchema, instanceFields } from "../schema.ts";
import { CommissionTab } from "./commission.ts";
import { MetersTab } from "./meters.ts";
import { PortChoice, type PortRow } from "./ports.ts";

const TABS: readonly [string, string][] = [
  ["meters", "Meters"],
  ["commission", "Commission"],
  ["settings", "Settings"],
];

function SettingsTab(props: { name: string }): preact.JSX.Element {
  const { data, error } = useData(async () => {
    const [inst, schema, ports] = await Promise.all([
      api<{ config: Record<string, unknown> }>("GET", instanceUrl(props.name)),
      configSchema(),
      api<{ ports: PortRow[] }>("GET", "/api/serial-ports").catch(() => ({
        ports: [] as PortRow[],
      })),
    ]);
    // The serial port field offers the machine's ports by their stable names.
    const fields = instanceFields(schema).map((f) =>
      f.key === "serialPort"
        ? {
          ...f,
          suggest: ports.ports.flatMap((p) =>
            p.recommended === p.device ? [p.device] : [p.recommended, p.device]
          ),
        }
        : f
    );
    return { config: inst.config, fields };
  }, props.name);
  async function save(changes: Record<string, unknown>) {
    const r = await api<{ restartRequired?: unknown }>(
      "POST",
      instanceUrl(props.name, "/settings"),
      changes,
    );
    return restartText(r.restartRequired);
  }
  if (error) return html`<${ErrorNote} message=${error} />`;
  if (!data) return html`<p class="muted">Loading…</p>`;
  if (data.fields.length === 0) {
    return html`<p class="muted">This gateway serves no config schema.</p>`;
  }
  return html`<div>
    ${
    data.config.type === "serial" || data.config.type === "wireless"
      ? html`<${PortChoice} current=${String(data.config.serialPort ?? "")} />`
      : null
  }
    <${SettingsForm} key=${props.name} label=${`Settings of ${props.name}`}
      fields=${data.fields} values=${data.config} onSave=${save} />
  </div>`;
}

/**
 * The page.
 *
 * @param props Instance name and tab.
 * @returns The element.
 */
export function InstancePage(
  props: { name: string; tab: string },
): preact.JSX.Element {
  const tab = TABS.some(([t]) => t === props.tab) ? props.tab : "meters";
  // The tabs wait for the instance: an unknown one shows only the not-found page.
  const known = useData(
    () => api("GET", instanceUrl(props.name)).then(() => true),
    props.name,
  );
  if (known.missing) {
    return html`<${NotFound} message=${`No instance named "${props.name}"`} />`;
  }
  if (!known.data) {
    return html`<section aria-labelledby="h-inst">
      <p class="crumbs"><a href="#/">Instances</a> ›</p>
      <h1 id="h-inst">${props.name}</h1>
      ${
      known.error
        ? html`<${ErrorNote} message=${known.error} />`
        : html`<p class="muted">Loading…</p>`
    }
    </section>`;
  }
  return html`<section aria-labelledby="h-inst">
    <p class="crumbs"><a href="#/">Instances</a> ›</p>
    <h1 id="h-inst">${props.name}</h1>
    <nav class="tabs" aria-label="Instance sections">${
    TABS.map(([t, label]) =>
      html`
        <a href=${href("i", props.name, t)}
          aria-current=${t === tab ? "page" : undefined}>${label}</a>
      `
    )
  }</nav>
    ${
    tab === "commission"
      ? html`<${CommissionTab} name=${props.name} />`
      : tab === "settings"
      ? html`<${SettingsTab} name=${props.name} />`
      : html`<${MetersTab} name=${props.name} />`
  }
  </section>`;
}
