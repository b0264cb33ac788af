// deno-lint-ignore-file no-console
/**
 * Gateway benchmark: (1) one polling cycle over 250 simulated meters at idleTimeout 0,
 * against the wire-time lower bound (bytes × 11 / baud) — target ≤ 1.10×; (2) resident
 * memory of the gateway with 250 meters and a day of history at one-minute polling —
 * target < 120 MB; (3) the cycle again with a SND_NKE before every readout (the CLI's
 * policy) for comparison. Virtual clock, in-process simulated bus.
 *
 * The cycle's floor: besides wire time, each meter costs its answer delay (the simulator's
 * 5–45 ms, physics) and the 33-bit line-idle gap before the next request (14 ms at 2400 Bd).
 *
 * @module
 */
import {
  type Gateway,
  GatewayHost,
  History,
  parseConfig,
  WiredSource,
} from "../src/gateway/mod.ts";
import type { LinkResetPolicy } from "../src/master/mod.ts";
import { VirtualClock } from "../src/util/mod.ts";
import { createSimulation, type VirtualBus } from "../sim/mod.ts";

const METERS = 250;
const BAUD = 2400;

async function buildHost(
  bus: VirtualBus,
  clock: VirtualClock,
  history: History,
  linkReset: LinkResetPolicy = "whenNeeded",
): Promise<GatewayHost> {
  const config = parseConfig({
    gateways: [{
      name: "bench",
      host: "127.0.0.1",
      serialBaudRate: BAUD,
      polling: 60_000,
      idleTimeout: 0,
      requestTimeout: 500,
      addresses: Array.from(
        { length: METERS },
        (_, i) => ({ name: String(i + 1), log: "always" }),
      ),
    }],
  });
  return await GatewayHost.create(config, {
    clock,
    history,
    tz: "UTC",
    openSource: (g, c) =>
      new WiredSource({
        transport: bus.connect({ clock: c }),
        clock: c,
        requestTimeoutMs: g.requestTimeout,
        idleTimeoutMs: g.idleTimeout,
        retry: g.retry,
        linkReset,
      }),
  });
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** Runs the gateway benchmark and prints its figures. */
export async function benchGateway(): Promise<void> {
  const clock = new VirtualClock();
  const bus = createSimulation(
    { name: "bench", meters: [], generate: { meters: METERS, seed: 7 } },
    { baudRate: BAUD },
  );
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-bench-" });
  const history = new History({ path: `${dir}/history.db`, retentionDays: 2 });
  const host = await buildHost(bus, clock, history);
  try {
    const g = host.instances[0];
    if (!g) throw new RangeError("Cannot run the benchmark: no instance");
    await benchCycle(g, bus, clock);
    await benchMemory(g, history, clock, `${dir}/history.db`);
    // After the memory figures, so that its heap does not count there.
    await benchCycleAlwaysReset(dir);
  } finally {
    await host.stop();
    history.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function benchCycle(
  g: Gateway,
  bus: VirtualBus,
  clock: VirtualClock,
): Promise<void> {
  // warm-up cycle (FCB state, JIT), then one measured cycle
  await clock.drive(g.pollOnce());
  bus.resetStats();
  const t0 = clock.now();
  const cpu0 = performance.now();
  await clock.drive(g.pollOnce());
  const cycleMs = clock.now() - t0;
  const cpuMs = performance.now() - cpu0;
  const s = bus.stats();
  const bytes = s.bytesToSlaves + s.bytesFromSlaves;
  const lowerMs = bytes * 11 * 1000 / BAUD;
  const gapsMs = cycleMs - s.busTimeMs - s.turnaroundMs;
  console.log(
    `gateway cycle: ${METERS} meters at ${BAUD} Bd, idleTimeout 0, linkReset "whenNeeded"`,
  );
  console.log(
    `  bytes on the wire: ${bytes} (${s.requestsByType.sndNke} SND_NKE + ${s.requestsByType.reqUd2} REQ_UD2, ${s.answers} answers, ${s.silentProbes} silent)`,
  );
  console.log(`  wire-time lower bound: ${sec(lowerMs)} s`);
  console.log(
    `  cycle time (virtual): ${sec(cycleMs)} s = ${
      (cycleMs / lowerMs).toFixed(3)
    }x the lower bound (target <= 1.10x)`,
  );
  console.log(
    `  beyond wire time: slave answer delays ${
      sec(s.answerWaitMs)
    } s, master waits after answers ${
      sec(s.turnaroundMs)
    } s, inter-frame gaps ${sec(gapsMs)} s`,
  );
  console.log(
    `  without the master's waits after answers: ${
      ((cycleMs - s.turnaroundMs) / lowerMs).toFixed(3)
    }x; CPU for the cycle: ${
      cpuMs.toFixed(0)
    } ms; reads ${g.metrics().reads}, failures ${g.metrics().readFailures}`,
  );
}

/** The same cycle with a SND_NKE before every readout (the CLI's policy), for comparison. */
async function benchCycleAlwaysReset(dir: string): Promise<void> {
  const clock = new VirtualClock();
  const bus = createSimulation(
    { name: "bench", meters: [], generate: { meters: METERS, seed: 7 } },
    { baudRate: BAUD },
  );
  const history = new History({ path: `${dir}/always.db`, retentionDays: 2 });
  const host = await buildHost(bus, clock, history, "always");
  try {
    const g = host.instances[0];
    if (!g) throw new RangeError("Cannot run the benchmark: no instance");
    await clock.drive(g.pollOnce());
    bus.resetStats();
    const t0 = clock.now();
    await clock.drive(g.pollOnce());
    const cycleMs = clock.now() - t0;
    const s = bus.stats();
    const lowerMs = (s.bytesToSlaves + s.bytesFromSlaves) * 11 * 1000 / BAUD;
    console.log(
      `gateway cycle with SND_NKE before every readout (linkReset "always", as the CLI reads): ${
        sec(cycleMs)
      } s = ${(cycleMs / lowerMs).toFixed(3)}x its own lower bound (${
        sec(lowerMs)
      } s: ${s.requestsByType.sndNke} SND_NKE more on the wire)`,
    );
  } finally {
    await host.stop();
    history.close();
  }
}

async function benchMemory(
  g: Gateway,
  history: History,
  clock: VirtualClock,
  dbPath: string,
): Promise<void> {
  // A day of history at one-minute polling: 1440 cycles of the rows a live cycle logs
  // (every record of every meter, log "always"), appended and flushed per cycle as the
  // gateway does, then a few more live cycles.
  // The harness reuses its row objects (History copies them into SQLite at each flush), so
  // that its own garbage does not inflate the figure.
  const base = g.values().map((e) => e.value);
  const rows = g.values().map((e) => ({
    instance: e.instance,
    path: e.path,
    t: 0,
    value: e.value,
  }));
  (globalThis as { gc?: () => void }).gc?.();
  const before = Deno.memoryUsage();
  console.log(
    `gateway memory before history: ${mb(before.rss)} MB resident, V8 heap ${
      mb(before.heapUsed)
    } of ${mb(before.heapTotal)} MB`,
  );
  const start = clock.now();
  for (let cycle = 0; cycle < 1440; cycle++) {
    const t = start + cycle * 60_000;
    for (const [i, r] of rows.entries()) {
      const v = base[i];
      r.t = t;
      r.value = typeof v === "number" ? v + cycle : v ?? null;
    }
    history.append(rows);
    history.flush();
  }
  for (let i = 0; i < 3; i++) await clock.drive(g.pollOnce());
  (globalThis as { gc?: () => void }).gc?.();
  const mem = Deno.memoryUsage();
  const status = await Deno.readTextFile("/proc/self/status").catch(() => "");
  const parts = status.split("\n").filter((l) => /^Rss(Anon|File)/.test(l)).map(
    (l) => l.replace(/\s+/g, " "),
  );
  const rowCount = history.count();
  const dbBytes = (await Deno.stat(dbPath)).size;
  const q0 = performance.now();
  const oneMeterDay = history.query({
    address: "%mbus:1",
    from: start,
    to: start + 86_400_000,
    limit: 1_000_000,
  }).length;
  const queryMs = performance.now() - q0;
  console.log(
    `gateway memory: ${METERS} meters, ${rowCount} history rows (a day at 1-min polling), db ${
      mb(dbBytes)
    } MB`,
  );
  console.log(
    `  resident memory: ${mb(mem.rss)} MB (target < 120 MB) [${
      parts.join(", ")
    }]; V8 heap ${mb(mem.heapUsed)} of ${mb(mem.heapTotal)} MB`,
  );
  console.log(
    `  history query, one meter over a day: ${oneMeterDay} rows in ${
      queryMs.toFixed(1)
    } ms`,
  );
}

function sec(ms: number): string {
  return (ms / 1000).toFixed(2);
}

if (import.meta.main) {
  await benchGateway();
}
