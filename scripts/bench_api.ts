// deno-lint-ignore-file no-console
/**
 * API latency under load: GET p50/p99 with 200 concurrent local connections against a real
 * `Deno.serve` on 127.0.0.1, while the gateway polls a simulated bus of 250 meters.
 *
 * The clients run in a worker (this same file, started as a worker), so their work does
 * not share the server's event loop. The bus is the `large_250` scenario on an in-process
 * endpoint in fast mode (answers at once, statistics in wire time) on the real clock, so
 * the gateway polls as fast as it can: the worst case for the API's event loop.
 *
 * Run alone: `deno run -A scripts/bench_api.ts [--connections 200] [--seconds 5]`.
 *
 * @module
 */
import { Hono } from "hono";
import { serveApi } from "../src/api/mod.ts";
import {
  GatewayHost,
  History,
  parseConfig,
  WiredSource,
} from "../src/gateway/mod.ts";
import { RealClock } from "../src/util/mod.ts";
import { createSimulation } from "../sim/mod.ts";

/** What the main thread asks the client worker to do. */
interface LoadRequest {
  url: string;
  paths: string[];
  connections: number;
  durationMs: number;
}

/** What the worker answers. */
interface LoadResult {
  latenciesMs: number[];
  errors: number;
  statuses: Record<string, number>;
}

const WORKER_NAME = "mbusgw-bench-api-clients";

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil(p * sorted.length) - 1),
  );
  return sorted[i] ?? Number.NaN;
}

/** The client side: `connections` loops of GET requests, each waiting for its answer. */
async function runLoad(req: LoadRequest): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const end = performance.now() + req.durationMs;
  async function loop(n: number): Promise<void> {
    let i = n;
    while (performance.now() < end) {
      const path = req.paths[i++ % req.paths.length] ?? "/healthz";
      const t0 = performance.now();
      try {
        const res = await fetch(req.url + path);
        await res.arrayBuffer();
        latenciesMs.push(performance.now() - t0);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      } catch {
        errors++;
      }
    }
  }
  await Promise.all(Array.from({ length: req.connections }, (_, n) => loop(n)));
  return { latenciesMs, errors, statuses };
}

/** Options of {@link benchApi}. */
export interface BenchApiOptions {
  /** Concurrent client connections. @default 200 */
  connections?: number;
  /** Measuring time per run. @default 5000 */
  durationMs?: number;
  /** Warm-up before measuring (the first cycle fills the tree). @default 1000 */
  warmupMs?: number;
  /** Also measure a bare Hono app on Deno.serve as the machine's yardstick. @default true */
  reference?: boolean;
}

function loadInWorker(req: LoadRequest): Promise<LoadResult> {
  const worker = new Worker(import.meta.url, {
    type: "module",
    name: WORKER_NAME,
  });
  return new Promise<LoadResult>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<LoadResult>) => resolve(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      reject(new Error(`Bench client worker failed: ${e.message}`));
    };
    worker.postMessage(req);
  }).finally(() => worker.terminate());
}

function report(label: string, req: LoadRequest, result: LoadResult): void {
  const sorted = result.latenciesMs.sort((a, b) => a - b);
  const ms = (v: number) => v.toFixed(2);
  console.log(
    `api ${label}: ${req.connections} connections, ${sorted.length} GETs in ${req.durationMs} ms ` +
      `(${
        (sorted.length / req.durationMs * 1000).toFixed(0)
      } req/s), ${result.errors} errors, ` +
      `statuses ${JSON.stringify(result.statuses)}`,
  );
  console.log(
    `api ${label}: GET latency p50 ${ms(percentile(sorted, 0.5))} ms, ` +
      `p99 ${ms(percentile(sorted, 0.99))} ms, max ${
        ms(sorted.at(-1) ?? Number.NaN)
      } ms`,
  );
}

/** A bare Hono app on Deno.serve under the same load: what the machine gives at best. */
async function measureReference(
  connections: number,
  durationMs: number,
): Promise<void> {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
  }, app.fetch);
  try {
    const req = {
      url: `http://127.0.0.1:${server.addr.port}`,
      paths: ["/healthz"],
      connections,
      durationMs,
    };
    report(
      "reference (bare Hono hello, no gateway)",
      req,
      await loadInWorker(req),
    );
  } finally {
    await server.shutdown();
  }
}

/** The gateway on the `large_250` scenario, polling from a fast in-process endpoint. */
async function openGateway(clock: RealClock) {
  const bus = createSimulation("large_250");
  const addresses = bus.slaves.map((s) => ({ name: String(s.primaryAddress) }));
  const config = parseConfig({
    gateways: [{
      name: "bench",
      type: "tcp",
      host: "127.0.0.1",
      polling: 1000,
      idleTimeout: 0,
      addresses,
    }],
  });
  const history = new History();
  const host = await GatewayHost.create(config, {
    clock,
    history,
    openSource: (g, c) =>
      new WiredSource({
        transport: bus.connect({ clock: c, paced: false }),
        clock: c,
        requestTimeoutMs: g.requestTimeout,
        idleTimeoutMs: g.idleTimeout,
      }),
  });
  return { host, history, meters: addresses.length };
}

/**
 * Measures API GET latency (p50/p99) under 200 concurrent connections while the gateway
 * polls 250 simulated meters, and prints one line per figure.
 *
 * @param options Connections and durations.
 */
export async function benchApi(options: BenchApiOptions = {}): Promise<void> {
  const connections = options.connections ?? 200;
  const durationMs = options.durationMs ?? 5000;
  if (options.reference ?? true) {
    await measureReference(connections, durationMs);
  }
  const clock = new RealClock();
  const { host, history, meters } = await openGateway(clock);
  host.start();
  const server = serveApi(host, { hostname: "127.0.0.1", port: 0 });
  try {
    await clock.sleep(options.warmupMs ?? 1000);
    const req = {
      url: server.url,
      paths: [
        "/healthz",
        "/api/instances",
        "/api/instances/bench/values?address=1",
        `/api/values/${encodeURIComponent("%mbus:1/0/value")}`,
        "/metrics",
      ],
      connections,
      durationMs,
    };
    const before = host.get("bench")?.metrics().reads ?? 0;
    const result = await loadInWorker(req);
    const polled = (host.get("bench")?.metrics().reads ?? 0) - before;
    report(`while polling ${meters} meters`, req, result);
    console.log(
      `api while polling ${meters} meters: the gateway read ${polled} meters meanwhile ` +
        `(${(polled / durationMs * 1000).toFixed(1)}/s, fast in-process bus)`,
    );
  } finally {
    await server.shutdown();
    await host.stop();
    history.close();
  }
}

/** True when this module runs as the client worker. */
function isClientWorker(): boolean {
  return typeof self !== "undefined" &&
    (self as { name?: string }).name === WORKER_NAME;
}

/** The worker's side of the message channel. */
interface WorkerScope {
  onmessage: ((e: MessageEvent<LoadRequest>) => void) | null;
  postMessage(message: LoadResult): void;
}

if (isClientWorker()) {
  const scope = self as unknown as WorkerScope;
  scope.onmessage = async (e) => {
    scope.postMessage(await runLoad(e.data));
  };
} else if (import.meta.main) {
  const args = Deno.args;
  const get = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const seconds = get("--seconds");
  await benchApi({
    ...(get("--connections")
      ? { connections: get("--connections") as number }
      : {}),
    ...(seconds ? { durationMs: seconds * 1000 } : {}),
  });
}
