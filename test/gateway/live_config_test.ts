import assert from "node:assert/strict";
import {
  ConfigStore,
  GatewayHost,
  History,
  type RawConfig,
} from "../../src/gateway/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import { FakeSource } from "./_fake_source.ts";
import { valueAt } from "./_helpers.ts";

const KEY = "000102030405060708090a0b0c0d0e0f";

interface LiveHost {
  host: GatewayHost;
  clock: VirtualClock;
  source: FakeSource;
  history: History;
  /** Times (ms since start) at which `meter` was read. */
  readsOf(meter: string): number[];
  [Symbol.asyncDispose](): Promise<void>;
}

/** A file-backed host of one instance "heat" over a FakeSource on a virtual clock. */
async function liveHost(
  instance: Record<string, unknown>,
  values: Record<string, (number | string | null)[]>,
  readMs = 100,
): Promise<LiveHost> {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-live-" });
  const path = `${dir}/mbusgw.json`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      gateways: [{
        name: "heat",
        host: "127.0.0.1",
        idleTimeout: 0,
        ...instance,
      }],
    }),
  );
  const clock = new VirtualClock();
  const history = new History();
  const store = await ConfigStore.open(path);
  const sources: FakeSource[] = [];
  const host = await GatewayHost.create(store.current, {
    store,
    clock,
    history,
    tz: "UTC",
    openSource: (g, c) => {
      const s = new FakeSource(c, {
        readMs,
        kind: g.type === "wireless" ? "wireless" : "wired",
      });
      for (const [k, v] of Object.entries(values)) s.values.set(k, v);
      sources.push(s);
      return s;
    },
  });
  const source = sources[0];
  assert.ok(source);
  const start = clock.now();
  return {
    host,
    clock,
    source,
    history,
    readsOf: (meter) =>
      source.log.filter((l) => l.meter === meter).map((l) => l.at - start),
    async [Symbol.asyncDispose]() {
      await host.stop();
      history.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The address list of the first instance of a raw config. */
function addressList(raw: RawConfig): Record<string, unknown>[] {
  const g = (raw.gateways as Record<string, unknown>[])[0];
  assert.ok(g);
  return g.addresses as Record<string, unknown>[];
}

function entry(raw: RawConfig, name: string): Record<string, unknown> {
  const e = addressList(raw).find((a) => a.name === name);
  assert.ok(e, `meter ${name} in the file`);
  return e;
}

Deno.test("GatewayHost.updateConfig() puts an added meter into the tree and polls it in the next cycle", async () => {
  await using t = await liveHost(
    { polling: 1000, addresses: [{ name: "1" }] },
    {
      "1": [10],
      "2": [20, 21],
    },
  );
  t.host.start();
  await t.clock.advance(1_150); // between cycles
  assert.deepEqual(t.readsOf("2"), []);
  await t.host.updateConfig((raw) => {
    addressList(raw).push({ name: "2", scale: 10, description: "new" });
  });
  assert.deepEqual(t.host.restartRequired, []);
  const node = t.host.lookup("%mbus:2");
  assert.ok(node && "description" in node, "the node appears at once");
  assert.equal(node.description, "new");
  assert.equal(node.records.length, 0, "records appear when it answers");
  await t.clock.advance(1_100);
  assert.deepEqual(t.readsOf("2"), [2_100]);
  assert.deepEqual(t.readsOf("1"), [0, 1_000, 2_000]);
  assert.equal(valueAt(t.host, "%mbus:2/0/value"), 200);
  assert.equal(valueAt(t.host, "%mbus:2/1/value"), 210);
});

Deno.test("GatewayHost.updateConfig() takes a removed meter out of polling and the tree; its history stays", async () => {
  await using t = await liveHost({
    polling: 1000,
    addresses: [{ name: "1" }, { name: "2", log: "always" }],
  }, { "1": [1], "2": [2] });
  t.host.start();
  await t.clock.advance(1_250);
  const rows = t.history.query({ address: "%mbus:2" }).length;
  assert.ok(rows > 0);
  await t.host.updateConfig((raw) => {
    const list = addressList(raw);
    list.splice(list.findIndex((a) => a.name === "2"), 1);
  });
  assert.deepEqual(t.host.restartRequired, []);
  assert.equal(t.host.lookup("%mbus:2"), undefined);
  assert.equal(t.host.lookup("%mbus:2/0/value"), undefined);
  assert.equal(t.host.get("heat")?.values({ meter: "2" }).length, 0);
  await t.clock.advance(2_900);
  assert.deepEqual(t.readsOf("2"), [100, 1_100]);
  assert.deepEqual(t.readsOf("1"), [0, 1_000, 2_000, 3_000, 4_000]);
  assert.equal(t.host.lookup("%mbus:2"), undefined);
  assert.equal(
    t.history.query({ address: "%mbus:2" }).length,
    rows,
    "history rows stay",
  );
});

Deno.test("GatewayHost.updateConfig() applies a changed scale and offset to the next value", async () => {
  await using t = await liveHost({
    polling: 1000,
    addresses: [{ name: "1", scale: 2 }],
  }, { "1": [10] });
  t.host.start();
  await t.clock.advance(250);
  assert.equal(valueAt(t.host, "%mbus:1/0/value"), 20);
  await t.host.updateConfig((raw) => {
    Object.assign(entry(raw, "1"), { scale: 3, offset: 1, description: "x" });
  });
  assert.equal(valueAt(t.host, "%mbus:1/0/value"), 20, "until the next read");
  const node = t.host.lookup("%mbus:1");
  assert.ok(node && "description" in node);
  assert.equal(node.description, "x");
  await t.clock.advance(1_000);
  assert.equal(valueAt(t.host, "%mbus:1/0/value"), 31);
});

Deno.test("GatewayHost.updateConfig() honours per-address polling and skipLoops set live", async () => {
  await using t = await liveHost({
    polling: 1000,
    addresses: [{ name: "1" }, { name: "2" }],
  }, { "1": [1], "2": [2], "3": [3] });
  t.host.start();
  await t.clock.advance(1_250); // between cycles
  await t.host.updateConfig((raw) => {
    entry(raw, "2").polling = 3000;
    entry(raw, "1").skipLoops = 1;
    addressList(raw).push({ name: "3", polling: "*/5 * * * * *" });
  });
  assert.deepEqual(t.host.restartRequired, []);
  await t.clock.advance(8_700);
  // 1: every other tick of its 1000 ms group from 2000 on.
  assert.deepEqual(t.readsOf("1"), [0, 1_000, 2_000, 4_000, 6_000, 8_000]);
  // 2: a new 3000 ms group, due at once, then on ticks anchored at the start (after 1 at 6000).
  assert.deepEqual(t.readsOf("2"), [100, 1_100, 1_250, 3_000, 6_100, 9_000]);
  // 3: a cron group, at its next ticks.
  assert.deepEqual(t.readsOf("3"), [5_000]);
  assert.equal(t.host.get("heat")?.metrics().skippedPolls, 4);
});

Deno.test("GatewayHost.updateConfig() lets a running cycle finish with the meters and settings it started with", async () => {
  await using t = await liveHost(
    {
      polling: 1000,
      addresses: [{ name: "1" }, { name: "2" }, { name: "3", scale: 2 }],
    },
    { "1": [1], "2": [2], "3": [3], "4": [4] },
    300,
  );
  t.host.start();
  await t.clock.advance(100); // in the middle of reading meter 1
  await t.host.updateConfig((raw) => {
    const list = addressList(raw);
    list.splice(list.findIndex((a) => a.name === "2"), 1);
    entry(raw, "3").scale = 5;
    list.push({ name: "4" });
  });
  assert.ok(t.host.lookup("%mbus:2"), "still there during the cycle");
  await t.clock.advance(850);
  assert.deepEqual(t.readsOf("2"), [300]);
  assert.equal(t.source.maxActive, 1, "no overlapping reads");
  assert.equal(valueAt(t.host, "%mbus:3/0/value"), 6, "old scale");
  assert.equal(t.host.lookup("%mbus:2"), undefined, "gone after the cycle");
  assert.deepEqual(t.readsOf("4"), []);
  await t.clock.advance(1_000);
  assert.deepEqual(t.readsOf("1"), [0, 1_000]);
  assert.deepEqual(t.readsOf("3"), [600, 1_300]);
  assert.deepEqual(t.readsOf("4"), [1_600]);
  assert.equal(valueAt(t.host, "%mbus:3/0/value"), 15);
});

Deno.test("GatewayHost.updateConfig() reports instance-level changes as restart-required and leaves the instance as it runs", async () => {
  await using t = await liveHost({
    polling: 1000,
    addresses: [{ name: "1" }],
  }, { "1": [1], "2": [2] });
  t.host.start();
  await t.clock.advance(50);
  const next = await t.host.updateConfig((raw) => {
    const g = (raw.gateways as Record<string, unknown>[])[0];
    assert.ok(g);
    g.polling = 5000;
    addressList(raw).push({ name: "2" });
  });
  assert.equal(next.gateways[0]?.polling, 5000, "the file has it");
  assert.deepEqual(t.host.restartRequired, ["heat"]);
  assert.equal(t.host.get("heat")?.config.polling, 1000);
  await t.clock.advance(2_000);
  assert.deepEqual(t.readsOf("1"), [0, 1_000, 2_000]);
  assert.deepEqual(t.readsOf("2"), []);
  assert.equal(t.host.lookup("%mbus:2"), undefined);

  await t.host.updateConfig((raw) => {
    (raw.gateways as Record<string, unknown>[]).push({
      name: "cold",
      cluster: 1,
      host: "127.0.0.1",
      addresses: [{ name: "9" }],
    });
  });
  assert.deepEqual(t.host.restartRequired, ["cold", "heat"]);
  assert.equal(t.host.get("cold"), undefined);
  await t.host.updateConfig((raw) => {
    const gws = raw.gateways as Record<string, unknown>[];
    const g = gws[0];
    assert.ok(g);
    g.polling = 1000;
    gws.pop();
  });
  assert.deepEqual(t.host.restartRequired, [], "the file matches again");
  await t.clock.advance(1_100);
  assert.deepEqual(t.readsOf("2"), [3_100], "and the meter joined");
});

Deno.test("GatewayHost.updateConfig() hands a wireless meter's new key and driver to the receiver live, without a restart", async () => {
  await using t = await liveHost({
    type: "wireless",
    serialPort: "/dev/null",
    polling: 1000,
    addresses: [{ name: "12345678" }],
  }, {});
  await t.host.updateConfig((raw) => {
    entry(raw, "12345678").description = "flat 3";
  });
  assert.deepEqual(t.host.restartRequired, []);
  await t.host.updateConfig((raw) => {
    entry(raw, "12345678").key = KEY;
    entry(raw, "12345678").driver = "multical21";
  });
  assert.deepEqual(t.host.restartRequired, []);
  const given = t.source.addresses?.find((a) => a.name === "12345678");
  assert.equal(String(given?.key).toLowerCase(), KEY);
  assert.equal(given?.driver, "multical21");
});

Deno.test("GatewayHost.updateConfig(): a removed meter's values are no longer re-emitted periodically", async () => {
  await using t = await liveHost({
    polling: 1000,
    emitOnlyChanges: 300,
    addresses: [{ name: "1" }, { name: "2" }],
  }, { "1": [1], "2": [2] });
  const events: { path: string; at: number }[] = [];
  t.host.events.subscribe((e) => {
    if (e.type === "valueChanged") {
      events.push({ path: e.path, at: t.clock.now() });
    }
  });
  const t0 = t.clock.now();
  t.host.start();
  await t.clock.advance(1_250);
  const before = events.filter((e) => e.path === "%mbus:2/0").length;
  assert.ok(before >= 2, "re-emitted while configured");
  await t.host.updateConfig((raw) => {
    const list = addressList(raw);
    list.splice(list.findIndex((a) => a.name === "2"), 1);
  });
  await t.clock.advance(3_000);
  assert.equal(events.filter((e) => e.path === "%mbus:2/0").length, before);
  assert.ok(
    events.some((e) => e.path === "%mbus:1/0" && e.at >= t0 + 4_000),
    "the others go on",
  );
});

Deno.test("GatewayHost.updateConfig(): removing every meter idles polling, adding one wakes it, stop still ends", async () => {
  await using t = await liveHost({
    polling: 1000,
    addresses: [{ name: "1" }],
  }, { "1": [1], "2": [2] });
  t.host.start();
  await t.clock.advance(250);
  await t.host.updateConfig((raw) => {
    addressList(raw).splice(0, 1);
  });
  await t.clock.advance(5_000);
  assert.deepEqual(t.readsOf("1"), [0]);
  assert.equal(t.host.lookup("%mbus:1"), undefined);
  await t.host.updateConfig((raw) => {
    addressList(raw).push({ name: "2", polling: 2000 });
  });
  await t.clock.advance(4_100);
  assert.deepEqual(t.readsOf("2"), [5_250, 6_000, 8_000]);
  assert.equal(t.source.maxActive, 1);
});

Deno.test("GatewayHost.updateConfig(): a meter's history `log` mode set live applies from its next read", async () => {
  await using t = await liveHost({
    polling: 1000,
    addresses: [{ name: "1" }],
  }, { "1": [5, 6] });
  t.host.start();
  await t.clock.advance(1_250);
  assert.equal(t.history.query({ address: "%mbus:1" }).length, 0);
  await t.host.updateConfig((raw) => {
    entry(raw, "1").log = "always";
  });
  await t.clock.advance(2_000);
  t.history.flush();
  assert.equal(t.history.query({ address: "%mbus:1" }).length, 4);
});
