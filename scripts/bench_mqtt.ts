// deno-lint-ignore-file no-console
/**
 * MQTT throughput and delay against a real mosquitto on a free loopback port:
 * - messages per second published at QoS 0 and at QoS 1: readings of a 10-record meter
 *   (one state JSON + 10 plain values each) pushed through the bridge (tap → outbox on
 *   disk → forwarder → broker) as fast as it takes them, timed until the outbox is empty;
 * - the delay from read to broker: readings one at a time, from the moment the read
 *   returns to the moment a subscriber on the same broker receives the state (p50, p95, max).
 *
 * Skips with a printed reason when mosquitto is absent.
 * Run alone: `deno run -A scripts/bench_mqtt.ts [--readings 3000]`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import mqtt from "mqtt";
import {
  GatewayHost,
  History,
  type MeterSource,
  mqttSchema,
  parseConfig,
  type SourceReading,
} from "../src/gateway/mod.ts";
import { MqttBridge, ReadingTap } from "../src/mqtt/mod.ts";
import { RealClock } from "../src/util/mod.ts";
import { skipReason, startBroker } from "../test/mqtt/_broker.ts";

const RECORDS = 10;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil(p * sorted.length) - 1),
  );
  return sorted[i] ?? Number.NaN;
}

/** A source whose reads answer at once with a fresh 10-record reading. */
function instantSource(clock: RealClock): MeterSource {
  let n = 0;
  const read = (): Promise<SourceReading> => {
    n++;
    return Promise.resolve({
      header: {
        id: "12345678",
        manufacturer: "KAM",
        version: 1,
        medium: { code: 4, name: "Heat" },
        accessNumber: n & 0xff,
        status: 0,
        signature: 0,
      },
      records: Array.from({ length: RECORDS }, (_, index) => ({
        index,
        function: "instantaneous",
        storage: 0,
        tariff: 0,
        subunit: 0,
        quantity: index === 0 ? "Energy" : "Volume",
        unit: index === 0 ? "Wh" : "m^3",
        value: n * 10 + index,
        raw: n * 10 + index,
      })),
      frames: 1,
      partial: false,
      // Distinct times, so every read is a new reading.
      readAt: clock.now() * 1000 + n,
    });
  };
  return {
    kind: "wired",
    read,
    scan: () => Promise.resolve([]),
    setPrimaryAddress: () => Promise.resolve(),
    setBaudRate: () => Promise.resolve(),
    stats: () => ({
      requests: n,
      answers: n,
      timeouts: 0,
      collisions: 0,
      retries: 0,
      busyMs: 0,
    }),
    close: () => Promise.resolve(),
  } as unknown as MeterSource;
}

interface Rig {
  bridge: MqttBridge;
  read: () => Promise<SourceReading>;
  close(): Promise<void>;
}

async function rig(
  url: string,
  qos: 0 | 1,
  dir: string,
  tag: string,
): Promise<Rig> {
  const clock = new RealClock();
  const config = parseConfig({
    gateways: [{
      name: "bench",
      host: "127.0.0.1",
      addresses: [{ name: "1" }],
    }],
  });
  const tap = new ReadingTap();
  const host = await GatewayHost.create(config, {
    clock,
    history: new History(),
    openSource: () => instantSource(clock),
  });
  const tapped = await tap.wrap(() => instantSource(clock))(
    config.gateways[0] as (typeof config.gateways)[number],
    clock,
  );
  const bridge = await MqttBridge.start(
    mqttSchema.parse({
      url,
      qos,
      clientId: `bench-${tag}`,
      topicPrefix: `bench-${tag}`,
      discovery: { enabled: false },
      storeAndForward: { path: `${dir}/outbox-${tag}.db` },
    }),
    { host, tap, clock },
  );
  for (let i = 0; i < 500 && bridge.stats.state !== "online"; i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    bridge,
    read: () => tapped.read("1"),
    async close() {
      await bridge.stop();
      await host.stop();
    },
  };
}

async function throughput(
  url: string,
  qos: 0 | 1,
  readings: number,
  dir: string,
) {
  const r = await rig(url, qos, dir, `q${qos}`);
  try {
    const t0 = performance.now();
    for (let i = 0; i < readings; i++) {
      await r.read();
      // Let the forwarder run between bursts, as polling would.
      if (i % 50 === 49) await new Promise((res) => setTimeout(res, 0));
    }
    await r.bridge.flush(120_000);
    const s = (performance.now() - t0) / 1000;
    const messages = r.bridge.stats.delivered;
    console.log(
      `QoS ${qos}: ${readings} readings, ${messages} messages in ${
        s.toFixed(2)
      } s: ` +
        `${Math.round(messages / s)} messages/s (${
          Math.round(readings / s)
        } readings/s), outbox on disk`,
    );
  } finally {
    await r.close();
  }
}

async function delay(url: string, samples: number, dir: string) {
  const r = await rig(url, 1, dir, "delay");
  const sub = await mqtt.connectAsync(url);
  const arrived = new Map<number, number>();
  sub.on("message", (_t, payload) => {
    const j = JSON.parse(payload.toString());
    arrived.set(j.accessNumber, performance.now());
  });
  await sub.subscribeAsync("bench-delay/0/bench/1/state", { qos: 1 });
  try {
    const delays: number[] = [];
    for (let i = 0; i < samples; i++) {
      const reading = await r.read();
      const t0 = performance.now();
      const key = reading.header?.accessNumber ?? -1;
      for (let w = 0; w < 500 && !arrived.has(key); w++) {
        await new Promise((res) => setTimeout(res, 1));
      }
      const t1 = arrived.get(key);
      if (t1 !== undefined) delays.push(t1 - t0);
      arrived.clear();
    }
    delays.sort((a, b) => a - b);
    console.log(
      `read -> broker -> subscriber, QoS 1, ${delays.length} readings one at a time: ` +
        `p50 ${percentile(delays, 0.5).toFixed(2)} ms, p95 ${
          percentile(delays, 0.95).toFixed(2)
        } ms, ` +
        `max ${(delays.at(-1) ?? Number.NaN).toFixed(2)} ms`,
    );
  } finally {
    await sub.endAsync(true);
    await r.close();
  }
}

/** The `mqtt` section of `deno task bench`. */
export async function benchMqtt(args: string[] = []): Promise<void> {
  const skip = skipReason();
  if (skip) {
    console.log(`skipped: ${skip}`);
    return;
  }
  const { values } = parseArgs({
    args,
    options: { readings: { type: "string" } },
  });
  const readings = Number(values.readings ?? 3000);
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-bench-mqtt-" });
  try {
    await using broker = await startBroker();
    console.log(
      `mosquitto on ${broker.url}; ${RECORDS} records per reading (1 state + ${RECORDS} values)`,
    );
    await throughput(broker.url, 0, readings, dir);
    await throughput(broker.url, 1, readings, dir);
    await delay(broker.url, 200, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await benchMqtt(Deno.args);
