/**
 * The instances overview: each instance's type, connection state, bus statistics and its
 * TCP bridge (listening address and the client using it), refreshed on bus and bridge events.
 *
 * @module
 */
import { useEffect } from "preact/hooks";
import { api, instanceUrl, subscribe } from "../api.ts";
import { ErrorNote, useData } from "../components/common.ts";
import { html } from "../html.ts";
import { href } from "../router.ts";

/** An instance as `GET /api/instances/:name` answers. */
export interface InstanceDetail {
  name: string;
  cluster?: number;
  state: string;
  config: Record<string, unknown>;
  metrics: Record<string, number>;
  /** The connection to the converter, port or dongle (absent on older gateways). */
  link?: {
    state: string;
    reason: string | null;
    connects?: number;
    disconnects?: number;
  } | null;
  bridge: {
    listening?: string;
    session?: { client?: string; since?: string } | null;
    sessions?: number;
    refused?: number;
  } | null;
}

const STATS: readonly [string, string][] = [
  ["requests", "Requests"],
  ["answers", "Answers"],
  ["timeouts", "Timeouts"],
  ["collisions", "Collisions"],
  ["retries", "Retries"],
  ["cycles", "Polling cycles"],
  ["readFailures", "Failed reads"],
];

/**
 * Loads every instance's details.
 *
 * @returns The details, in the host's order.
 */
export async function loadInstances(): Promise<InstanceDetail[]> {
  const list = await api<{ instances: { name: string }[] }>(
    "GET",
    "/api/instances",
  );
  return await Promise.all(
    list.instances.map((i) => api<InstanceDetail>("GET", instanceUrl(i.name))),
  );
}

function connection(i: InstanceDetail): string {
  const c = i.config;
  if (c.type === "serial") {
    return `serial ${c.serialPort} @ ${c.serialBaudRate}`;
  }
  if (c.type === "wireless") return `wireless ${c.serialPort}`;
  return `tcp ${c.host}:${c.port}`;
}

function Card(props: { i: InstanceDetail }): preact.JSX.Element {
  const { i } = props;
  const session = i.bridge?.session;
  return html`
    <article class="card" aria-labelledby=${`inst-${i.name}`}>
      <header class="card-head">
        <h2 id=${`inst-${i.name}`}><a href=${href("i", i.name)}>${i
          .name}</a></h2>
        <span class=${`state state-${i.state}`} data-testid="state">${i
          .state}</span>
      </header>
      <p class="muted">${String(i.config.description ?? "")}</p>
      <dl class="facts">
          <dt>Type</dt><dd>${String(i.config.type)}</dd>
          <dt>Connection</dt><dd class="mono">${connection(i)}</dd>
          ${i.link
            ? html`
              <dt>Link</dt>
              <dd data-testid="link">
                <span class=${`state link-${i.link.state}`}>${i.link
                  .state}</span>
                ${i.link.reason ? ` ${i.link.reason}` : ""}${i.link.disconnects
                  ? ` · ${i.link.disconnects} disconnects`
                  : ""}
              </dd>
            `
            : null}
          <dt>Meters</dt><dd>${Array.isArray(i.config.addresses)
            ? i.config.addresses.length
            : 0}</dd>
          ${STATS.filter(([k]) => typeof i.metrics[k] === "number").map((
            [k, label],
          ) =>
            html`
              <dt>${label}</dt>
              <dd class="num">${i.metrics[k]}</dd>
            `
          )}
          <dt>Bridge</dt><dd>${i.bridge
            ? html`<span class="mono">${i.bridge.listening ?? "–"}</span>${
              session
                ? html`
                  · client <span class="mono">${session.client ??
                    "connected"}</span>
                `
                : " · no client"
            }`
            : "off"}</dd>
        </dl>
      <p class="links">
        <a href=${href("i", i.name)}>Meters</a>
        <a href=${href("i", i.name, "commission")}>Commission</a>
        <a href=${href("i", i.name, "settings")}>Settings</a>
      </p>
    </article>
  `;
}

/**
 * The page.
 *
 * @returns The element.
 */
export function InstancesPage(): preact.JSX.Element {
  const { data, error, reload } = useData(loadInstances, "all");
  useEffect(() =>
    subscribe((e) => {
      if (e.type === "busState" || e.type === "bridgeState") reload();
    }), []);
  // Counters and the link change without events: refresh every few seconds.
  useEffect(() => {
    const t = setInterval(reload, 5000);
    return () => clearInterval(t);
  }, []);
  return html`
    <section aria-labelledby="h-instances">
      <h1 id="h-instances">Instances</h1>
      <${ErrorNote} message=${error} />
      <div class="cards">${(data ?? []).map((i) =>
        html`<${Card} i=${i} />`
      )}</div>
    </section>
  `;
}
