import assert from "node:assert/strict";
import { VirtualClock } from "../../src/util/mod.ts";
import {
  type GatewayConfig,
  GatewayHost,
  History,
  parseConfig,
  WiredSource,
} from "../../src/gateway/mod.ts";
import { createSimulation } from "../../sim/mod.ts";

async function simHost(gateway: Record<string, unknown>) {
  const clock = new VirtualClock();
  const bus = createSimulation("demo");
  const history = new History();
  const config = parseConfig({
    gateways: [{ name: "demo", host: "127.0.0.1", ...gateway }],
  });
  const host = await GatewayHost.create(config, {
    clock,
    history,
    tz: "UTC",
    openSource: (g: GatewayConfig, c) =>
      new WiredSource({
        transport: bus.connect({ clock: c }),
        clock: c,
        requestTimeoutMs: g.requestTimeout,
        idleTimeoutMs: g.idleTimeout,
        retry: g.retry,
        applyUnitFactor: g.applyUnitFactor,
        legacy: g.legacyDriver,
      }),
  });
  return {
    host,
    clock,
    bus,
    history,
    async [Symbol.asyncDispose]() {
      await host.stop();
      history.close();
    },
  };
}

Deno.test("Gateway polls the simulated demo bus through the master", async () => {
  await using t = await simHost({
    polling: 60_000,
    idleTimeout: 0,
    requestTimeout: 500,
    onlyValues: false,
    addresses: [{ name: "1", log: "always" }, { name: "2", scale: 1000 }, {
      name: "10",
    }, { name: "77" }],
  });
  t.host.start();
  await t.clock.advance(30_000);
  const g = t.host.get("demo");
  assert.ok(g);
  const heat = t.host.lookup("%mbus:1");
  assert.ok(heat && "records" in heat);
  assert.ok(heat.records.length > 3, `records: ${heat.records.length}`);
  assert.equal(heat.header?.manufacturer, "KAM");
  const water = t.host.lookup("%mbus:2");
  assert.ok(water && "records" in water && water.records.length > 0);
  const rawVolume = water.records.find((r) => r.unit === "m^3");
  assert.ok(rawVolume && typeof rawVolume.raw === "number");
  // multi-frame controller merged into one tree
  const rvd = t.host.lookup("%mbus:10");
  assert.ok(rvd && "records" in rvd);
  assert.ok(rvd.frames >= 5, `frames ${rvd.frames}`);
  assert.ok(rvd.records.length > 150, `records ${rvd.records.length}`);
  assert.equal(
    new Set(rvd.records.map((r) => r.record)).size,
    rvd.records.length,
  );
  // absent meter
  const absent = t.host.lookup("%mbus:77");
  assert.ok(absent && "records" in absent);
  assert.equal(absent.error?.code, "NO_RESPONSE");
  const m = g.metrics();
  assert.ok(m.requests >= 4 && m.answers >= 3 && m.timeouts >= 1);
  assert.equal(
    t.history.query({ address: "%mbus:1" }).length,
    heat.records.length,
  );
});

Deno.test("Gateway scans the simulated bus while polling pauses", async () => {
  await using t = await simHost({
    polling: 5_000,
    idleTimeout: 0,
    requestTimeout: 300,
    addresses: [{ name: "1" }],
  });
  const g = t.host.get("demo");
  assert.ok(g);
  t.host.start();
  await t.clock.advance(1_000);
  const job = g.startScan({ kind: "primary", from: 0, to: 12 });
  const progress: number[] = [];
  g.events.subscribe((e) => {
    if (e.type === "scanProgress") progress.push(e.progress.done);
  });
  await t.clock.drive(job.finished);
  assert.equal(job.status, "done");
  assert.deepEqual(job.result?.map((m) => m.primary), [1, 2, 3, 4, 5, 6, 10]);
  assert.ok(progress.length >= 13);
  const cancelled = g.startScan({ kind: "secondary" });
  await t.clock.advance(2_000);
  cancelled.cancel();
  await t.clock.drive(cancelled.finished);
  assert.equal(cancelled.status, "cancelled");
  const reads = g.metrics().reads;
  await t.clock.advance(10_000);
  assert.ok(g.metrics().reads > reads, "polling resumed");
});

Deno.test("legacyDriver publishes libmbus naming", async () => {
  await using t = await simHost({
    polling: 60_000,
    legacyDriver: true,
    addresses: [{ name: "1" }],
  });
  t.host.start();
  await t.clock.advance(20_000);
  const node = t.host.lookup("%mbus:1");
  assert.ok(node && "records" in node);
  assert.equal(node.legacy?.SlaveInformation.Manufacturer, "KAM");
  assert.equal(node.legacy?.DataRecord.length, node.records.length);
  assert.equal(node.legacy?.DataRecord[0]?.Function, "Instantaneous value");
  const first = node.records[0]?.legacy;
  assert.ok(first);
  assert.equal(first.id, 0);
  assert.equal(first.Function, "Instantaneous value");
  assert.equal(typeof first.StorageNumber, "number");
  assert.equal(typeof first.Timestamp, "string");
});

Deno.test("Gateway.read() on the simulated bus during a polling cycle gets its turn between meters", async () => {
  await using t = await simHost({
    polling: 60_000,
    idleTimeout: 0,
    requestTimeout: 300,
    addresses: [{ name: "1" }, { name: "2" }, { name: "3" }, { name: "4" }],
  });
  const g = t.host.get("demo");
  assert.ok(g);
  const order: string[] = [];
  g.events.subscribe((e) => {
    if (e.type === "valueChanged" && e.path.endsWith("/0")) order.push(e.path);
  });
  t.host.start();
  await t.clock.advance(10); // the cycle is reading meter 1
  const node = await t.clock.drive(g.read("6"));
  assert.equal(node.path, "%mbus:6");
  assert.ok(node.records.length > 0);
  await t.clock.advance(20_000);
  assert.deepEqual(order, [
    "%mbus:1/0",
    "%mbus:6/0",
    "%mbus:2/0",
    "%mbus:3/0",
    "%mbus:4/0",
  ]);
});

Deno.test("legacyDriver sends a SND_NKE before each readout, as libmbus does", async () => {
  await using plain = await simHost({
    polling: 60_000,
    idleTimeout: 0,
    addresses: [{ name: "1" }],
  });
  await plain.clock.drive(
    plain.host.get("demo")?.pollOnce() ?? Promise.resolve(),
  );
  await using legacy = await simHost({
    polling: 60_000,
    legacyDriver: true,
    addresses: [{ name: "1" }],
  });
  await legacy.clock.drive(
    legacy.host.get("demo")?.pollOnce() ?? Promise.resolve(),
  );
  const p = plain.bus.stats().requestsByType;
  const l = legacy.bus.stats().requestsByType;
  assert.equal(l.reqUd2, p.reqUd2);
  assert.equal(l.sndNke, p.sndNke + 1);
});
