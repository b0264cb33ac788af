// deno-lint-ignore-file no-console
/**
 * A fleet run: N gateway processes (`mbusgw run`), each polling its own simulated bus of M
 * meters, all publishing into one mosquitto on a free loopback port with Home Assistant
 * discovery on. A subscriber on the broker counts what arrives and how long after the
 * read it arrives. Prints the figures quoted in docs/fleet.md and the README.
 *
 * The buses are the simulator's `large_250` kind (generated meters, seed per gateway) on
 * TCP endpoints in this process that answer at once (no baud-rate pacing), so each
 * gateway polls as fast as its process and the machine allow.
 *
 * Run: `deno run -A scripts/fleet.ts [--gateways 20] [--meters 250] [--seconds 60]
 *       [--polling 15000]`. Skips with a printed reason when mosquitto is absent.
 *
 * @module
 */
import { parseArgs } from "node:util";
import mqtt from "mqtt";
import {
  createSimulation,
  generateBus,
  startTcpEndpoint,
  type TcpEndpoint,
} from "../sim/mod.ts";
import { RealClock } from "../src/util/mod.ts";
import { skipReason, startBroker } from "../test/mqtt/_broker.ts";

const MAIN = new URL("../src/cli/main.ts", import.meta.url).pathname;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil(p * sorted.length) - 1),
  );
  return sorted[i] ?? Number.NaN;
}

async function rssMb(pid: number): Promise<number> {
  try {
    const text = await Deno.readTextFile(`/proc/${pid}/status`);
    const kb = Number(/VmRSS:\s+(\d+)/.exec(text)?.[1] ?? Number.NaN);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

const { values } = parseArgs({
  args: Deno.args,
  options: {
    gateways: { type: "string" },
    meters: { type: "string" },
    seconds: { type: "string" },
    polling: { type: "string" },
  },
});
const gateways = Number(values.gateways ?? 20);
const meters = Number(values.meters ?? 250);
const seconds = Number(values.seconds ?? 60);
const polling = Number(values.polling ?? 15_000);

const skip = skipReason();
if (skip) {
  console.log(`fleet: skipped: ${skip}`);
  Deno.exit(0);
}

const dir = await Deno.makeTempDir({ prefix: "mbusgw-fleet-" });
await using broker = await startBroker();
const clock = new RealClock();
const endpoints: TcpEndpoint[] = [];
const children: Deno.ChildProcess[] = [];
let states = 0;
let values_ = 0;
let configs = 0;
let other = 0;
const delays: number[] = [];
const online = new Set<string>();
const offline = new Set<string>();
const sub = await mqtt.connectAsync(broker.url, { clientId: "fleet-observer" });
sub.on("message", (topic, payload) => {
  const now = Date.now();
  if (topic.startsWith("homeassistant/")) {
    configs++;
  } else if (topic.endsWith("/state")) {
    states++;
    const t = Date.parse(JSON.parse(payload.toString()).timestamp);
    if (Number.isFinite(t)) delays.push(now - t);
  } else if (topic.endsWith("/value")) {
    values_++;
  } else if (/^fleet\/gateway\/[^/]+\/status$/.test(topic)) {
    (payload.toString() === "online" ? online : offline).add(topic);
  } else other++;
});
await sub.subscribeAsync(["fleet/#", "homeassistant/#"], { qos: 0 });

try {
  for (let i = 0; i < gateways; i++) {
    const bus = createSimulation(generateBus({ meters, seed: 1000 + i }));
    const tcp = startTcpEndpoint(bus, { port: 0, clock });
    endpoints.push(tcp);
    const primaries = [...new Set(bus.slaves.map((s) => s.primaryAddress))]
      .filter((a) => a > 0 && a <= 250).sort((a, b) => a - b);
    const config = `${dir}/gw${i}.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        gateways: [{
          name: `building${i}`,
          cluster: i,
          type: "tcp",
          host: tcp.host,
          port: tcp.port,
          polling,
          requestTimeout: 500,
          idleTimeout: 0,
          addresses: primaries.map((a) => ({ name: String(a) })),
        }],
        mqtt: {
          url: broker.url,
          clientId: `fleet-gw${i}`,
          topicPrefix: "fleet",
          storeAndForward: { path: `${dir}/outbox${i}.db` },
        },
      }),
    );
    children.push(
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--no-check",
          "--v8-flags=--max-semi-space-size=1",
          MAIN,
          "run",
          "--config",
          config,
          "--no-api",
        ],
        stdout: "null",
        stderr: "null",
      }).spawn(),
    );
  }
  const t0 = Date.now();
  console.log(
    `fleet: ${gateways} gateway processes x ${meters} simulated meters -> mosquitto ${broker.url}, ${seconds} s, polling every ${polling} ms`,
  );
  let lastStates = 0;
  for (let s = 10; s <= seconds; s += 10) {
    await new Promise((r) => setTimeout(r, 10_000));
    console.log(
      `  t=${s}s: ${online.size} gateways online, ${states} readings (+${
        states - lastStates
      }), ${values_} values, ${configs} discovery configs`,
    );
    lastStates = states;
  }
  const elapsed = (Date.now() - t0) / 1000;
  const rss = (await Promise.all(children.map((c) => rssMb(c.pid)))).sort((
    a,
    b,
  ) => a - b);
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(children.map((c) => c.status));
  await new Promise((r) => setTimeout(r, 500));
  delays.sort((a, b) => a - b);
  const messages = states + values_ + configs + other;
  console.log(`fleet: ${elapsed.toFixed(0)} s`);
  console.log(
    `  gateways online: ${online.size}/${gateways}; offline after SIGTERM: ${offline.size}/${gateways}`,
  );
  console.log(
    `  readings (state messages): ${states} = ${
      (states / elapsed).toFixed(0)
    }/s; all messages: ${messages} = ${(messages / elapsed).toFixed(0)}/s`,
  );
  console.log(`  discovery configs received: ${configs}`);
  console.log(
    `  read -> observer delay: p50 ${percentile(delays, 0.5)} ms, p95 ${
      percentile(delays, 0.95)
    } ms, max ${delays.at(-1)} ms`,
  );
  console.log(
    `  gateway RSS: min ${rss[0]?.toFixed(0)} MB, median ${
      percentile(rss, 0.5).toFixed(0)
    } MB, max ${rss.at(-1)?.toFixed(0)} MB`,
  );
} finally {
  for (const c of children) {
    try {
      c.kill("SIGKILL");
    } catch {
      // gone
    }
  }
  await sub.endAsync(true);
  await Promise.all(endpoints.map((e) => e.close().catch(() => {})));
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
