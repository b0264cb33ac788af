/**
 * `GET /metrics`: Prometheus text exposition format 0.0.4. Bus counters per instance
 * (requests, answers, timeouts, collisions, retries, bus busy time, …), the instance state,
 * and the API's own request counters.
 *
 * @module
 */
import type { ApiBackend, ApiHistoryStats } from "./backend.ts";
import type { MonitorStats } from "./wire_monitor.ts";

/** Content type of the Prometheus text format. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** How a gateway counter is exposed: name, type, help and a unit conversion. */
interface MetricRow {
  readonly field: string;
  readonly name: string;
  readonly type: "counter" | "gauge";
  readonly help: string;
  readonly factor: number;
}

/** Known gateway counters; other numeric fields are exposed as `mbusgw_<snake_case>` gauges. */
const GATEWAY_METRICS: readonly MetricRow[] = [
  [
    "requests",
    "mbusgw_bus_requests_total",
    "counter",
    "Requests sent on the bus",
    1,
  ],
  ["answers", "mbusgw_bus_answers_total", "counter", "Answers received", 1],
  [
    "timeouts",
    "mbusgw_bus_timeouts_total",
    "counter",
    "Requests without an answer",
    1,
  ],
  [
    "collisions",
    "mbusgw_bus_collisions_total",
    "counter",
    "Collisions seen",
    1,
  ],
  ["retries", "mbusgw_bus_retries_total", "counter", "Repeated requests", 1],
  [
    "busBusyMs",
    "mbusgw_bus_busy_seconds_total",
    "counter",
    "Time the bus was busy",
    0.001,
  ],
  ["cycles", "mbusgw_poll_cycles_total", "counter", "Polling cycles run", 1],
  [
    "missedTicks",
    "mbusgw_poll_missed_ticks_total",
    "counter",
    "Polling ticks coalesced",
    1,
  ],
  [
    "skippedPolls",
    "mbusgw_poll_skipped_total",
    "counter",
    "Meter polls skipped by skipLoops",
    1,
  ],
  [
    "failedCycles",
    "mbusgw_poll_failed_cycles_total",
    "counter",
    "Polling cycles that failed unexpectedly",
    1,
  ],
  ["reads", "mbusgw_reads_total", "counter", "Meter reads that succeeded", 1],
  [
    "yieldedReads",
    "mbusgw_poll_yielded_total",
    "counter",
    "Multi-telegram polls stopped between telegrams for a bridge client",
    1,
  ],
  [
    "readFailures",
    "mbusgw_read_failures_total",
    "counter",
    "Meter reads that failed",
    1,
  ],
  ["emitted", "mbusgw_values_emitted_total", "counter", "Value events", 1],
  [
    "historyRows",
    "mbusgw_history_rows_total",
    "counter",
    "History rows handed to the store",
    1,
  ],
  ["scans", "mbusgw_scans_total", "counter", "Scans started", 1],
  [
    "linkConnects",
    "mbusgw_link_connects_total",
    "counter",
    "Connections to the bus made (converter, port, dongle)",
    1,
  ],
  [
    "linkDisconnects",
    "mbusgw_link_disconnects_total",
    "counter",
    "Connections to the bus lost",
    1,
  ],
  [
    "linkAttempts",
    "mbusgw_link_attempts_total",
    "counter",
    "Attempts to connect to the bus, the first one included",
    1,
  ],
  [
    "linkOfflineMs",
    "mbusgw_link_offline_seconds_total",
    "counter",
    "Time the bus was not reachable",
    0.001,
  ],
  ["linkUp", "mbusgw_link_up", "gauge", "1 while the bus is reachable", 1],
  [
    "bridgeSessions",
    "mbusgw_bridge_sessions_total",
    "counter",
    "TCP bridge sessions served",
    1,
  ],
  [
    "bridgeRefused",
    "mbusgw_bridge_refused_total",
    "counter",
    "TCP bridge connections refused (another client had the bus)",
    1,
  ],
  [
    "bridgeBytesToBus",
    "mbusgw_bridge_bytes_to_bus_total",
    "counter",
    "Bytes the TCP bridge carried from clients to the bus",
    1,
  ],
  [
    "bridgeBytesToClient",
    "mbusgw_bridge_bytes_to_client_total",
    "counter",
    "Bytes the TCP bridge carried from the bus to clients",
    1,
  ],
].map(([field, name, type, help, factor]) => ({
  field: field as string,
  name: name as string,
  type: type as "counter" | "gauge",
  help: help as string,
  factor: factor as number,
}));

const KNOWN_FIELDS: ReadonlyMap<string, MetricRow> = new Map(
  GATEWAY_METRICS.map((r) => [r.field, r]),
);

/** Counts the API's own requests. */
export class HttpMetrics {
  #requests = new Map<string, number>();
  #durations = new Map<string, { sum: number; count: number }>();

  /**
   * Records one finished request.
   *
   * @param method HTTP method.
   * @param route Route pattern (not the raw path, to bound the label set).
   * @param status Response status.
   * @param durationMs Time to the response head, in ms.
   */
  record(
    method: string,
    route: string,
    status: number,
    durationMs: number,
  ): void {
    const key = labels({ method, route, status: String(status) });
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    const dKey = labels({ method, route });
    const d = this.#durations.get(dKey) ?? { sum: 0, count: 0 };
    d.sum += Math.max(0, durationMs) / 1000;
    d.count++;
    this.#durations.set(dKey, d);
  }

  /** @returns The metric lines. */
  lines(): string[] {
    const out = [
      "# HELP mbusgw_http_requests_total HTTP requests answered by the API",
      "# TYPE mbusgw_http_requests_total counter",
    ];
    for (const [k, v] of this.#requests) {
      out.push(`mbusgw_http_requests_total${k} ${v}`);
    }
    out.push(
      "# HELP mbusgw_http_request_duration_seconds Time to the response head",
      "# TYPE mbusgw_http_request_duration_seconds summary",
    );
    for (const [k, d] of this.#durations) {
      out.push(`mbusgw_http_request_duration_seconds_sum${k} ${fmt(d.sum)}`);
      out.push(`mbusgw_http_request_duration_seconds_count${k} ${d.count}`);
    }
    return out;
  }
}

function escapeLabel(v: string): string {
  return v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll(
    "\n",
    "\\n",
  );
}

function labels(l: Record<string, string>): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

function fmt(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  return String(n);
}

function snake(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(
    /[^a-zA-Z0-9_]/g,
    "_",
  )
    .toLowerCase();
}

/** Numeric fields of a metrics object, nested objects flattened with `_`. */
function numericFields(
  obj: unknown,
  prefix = "",
  depth = 0,
): [string, number][] {
  if (obj === null || typeof obj !== "object" || depth > 3) return [];
  const out: [string, number][] = [];
  for (const [k, v] of Object.entries(obj)) {
    const name = prefix ? `${prefix}_${k}` : k;
    if (typeof v === "number") out.push([name, v]);
    else if (typeof v === "bigint") out.push([name, Number(v)]);
    else if (typeof v === "object") {
      out.push(...numericFields(v, name, depth + 1));
    }
  }
  return out;
}

/** The history writer's counters as metric rows: name, type, help and value. */
function historyMetrics(
  s: ApiHistoryStats,
): [string, string, string, number][] {
  return [
    [
      "mbusgw_history_written_rows_total",
      "counter",
      "History rows committed to the database",
      s.writtenRows,
    ],
    [
      "mbusgw_history_queued_rows",
      "gauge",
      "History rows waiting for their commit (grows while the disk is slow or failing)",
      s.queuedRows,
    ],
    [
      "mbusgw_history_dropped_rows_total",
      "counter",
      "History rows dropped because the database could not be written and the queue was full",
      s.droppedRows,
    ],
    [
      "mbusgw_history_failed_commits_total",
      "counter",
      "History commits that failed (their rows stayed queued)",
      s.failedFlushes,
    ],
    [
      "mbusgw_history_last_commit_seconds",
      "gauge",
      "Duration of the last history commit",
      s.lastFlushMs / 1000,
    ],
  ];
}

/**
 * Renders every metric of the backend and the API.
 *
 * @param backend The gateway host.
 * @param http The API's request counters.
 * @param extra Further gauges, e.g. `{ mbusgw_sse_clients: 2 }`.
 * @param monitor The bus monitor's counters, if the app has one.
 * @returns The exposition text, ending in a newline.
 */
export function renderMetrics(
  backend: ApiBackend,
  http: HttpMetrics,
  extra: Record<string, number> = {},
  monitor: MonitorStats | undefined = undefined,
): string {
  const families = new Map<
    string,
    { type: string; help: string; samples: string[] }
  >();
  const add = (name: string, type: string, help: string, sample: string) => {
    const f = families.get(name) ?? { type, help, samples: [] };
    f.samples.push(sample);
    families.set(name, f);
  };
  for (const gw of backend.instances) {
    const l = labels({ instance: gw.name });
    add(
      "mbusgw_instance_state",
      "gauge",
      "Current state of the instance (1 = in this state)",
      `mbusgw_instance_state${
        labels({ instance: gw.name, state: gw.state })
      } 1`,
    );
    for (const [field, value] of numericFields(gw.metrics())) {
      const row = KNOWN_FIELDS.get(field);
      const name = row?.name ?? `mbusgw_${snake(field)}`;
      add(
        name,
        row?.type ?? "gauge",
        row?.help ?? `Gateway counter ${field}`,
        `${name}${l} ${fmt(value * (row?.factor ?? 1))}`,
      );
    }
  }
  const history = backend.history?.stats;
  if (history) {
    for (const [name, type, help, value] of historyMetrics(history)) {
      add(name, type, help, `${name} ${fmt(value)}`);
    }
  }
  if (monitor) {
    const clients = "mbusgw_monitor_clients";
    const dropped = "mbusgw_monitor_dropped_frames_total";
    add(
      clients,
      "gauge",
      "Bus monitor streams open",
      `${clients} ${monitor.clients}`,
    );
    add(
      dropped,
      "counter",
      "Frames the bus monitor dropped for clients that read too slowly",
      `${dropped} ${monitor.dropped}`,
    );
  }
  for (const [name, value] of Object.entries(extra)) {
    const type = name.endsWith("_total") ? "counter" : "gauge";
    add(name, type, name.replaceAll("_", " "), `${name} ${fmt(value)}`);
  }
  const out: string[] = [];
  for (const [name, f] of families) {
    out.push(
      `# HELP ${name} ${f.help}`,
      `# TYPE ${name} ${f.type}`,
      ...f.samples,
    );
  }
  out.push(...http.lines());
  return out.join("\n") + "\n";
}
