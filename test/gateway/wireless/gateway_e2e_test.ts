import assert from "node:assert/strict";
import { createApp } from "../../../src/api/mod.ts";
import { VirtualClock } from "../../../src/util/mod.ts";
import {
  type GatewayConfig,
  type GatewayEvent,
  GatewayHost,
  History,
  parseConfig,
  WirelessSource,
} from "../../../src/gateway/mod.ts";
import {
  connectIm871a,
  createWirelessSimulation,
  type WirelessSimulation,
} from "../../../sim/mod.ts";

const KEY = "000102030405060708090A0B0C0D0E0F";
const WRONG = "0F0E0D0C0B0A09080706050403020100";

/** The value at a leaf path. */
function leaf(host: GatewayHost, path: string): unknown {
  const found = host.lookup(path);
  return found && "value" in found ? found.value : undefined;
}

async function radioHost(addresses: unknown[]) {
  const clock = new VirtualClock();
  const air: WirelessSimulation = createWirelessSimulation({
    clock,
    liveValues: true,
  });
  const history = new History();
  const config = parseConfig({
    gateways: [{
      name: "radio",
      type: "wireless",
      serialPort: "sim",
      polling: 30_000,
      onlyValues: false,
      addresses,
    }],
  });
  const host = await GatewayHost.create(config, {
    clock,
    history,
    tz: "UTC",
    openSource: (g: GatewayConfig, c) =>
      new WirelessSource({
        open: () => Promise.resolve(connectIm871a(air, { clock: c })),
        format: "im871a",
        clock: c,
        addresses: g.addresses,
      }),
  });
  const events: GatewayEvent[] = [];
  host.events.subscribe((e) => events.push(e));
  return {
    clock,
    air,
    host,
    history,
    events,
    async [Symbol.asyncDispose]() {
      await air.stop();
      await host.stop();
      history.close();
    },
  };
}

Deno.test("Gateway publishes wireless meters from the simulator to the tree, events, history and API", async () => {
  await using t = await radioHost([
    { name: "31000001", log: "always" },
    { name: "31000002", scale: 1000 },
    { name: "31000004", key: KEY },
    { name: "31000099" },
  ]);
  t.host.start();
  t.air.start();
  await t.clock.advance(31_000);
  // first poll at 30 s: every meter transmitted once (at 1..4 s)
  assert.equal(leaf(t.host, "%mbus:31000001/0/value"), 123.456);
  const total = t.host.lookup("%mbus:31000001/0");
  assert.ok(total && "unit" in total);
  assert.equal(total.unit, "m^3");
  assert.equal(total.quantity, "total");
  assert.equal(leaf(t.host, "%mbus:31000002/0/value"), 4567000);
  const node = t.host.lookup("%mbus:31000004");
  assert.ok(node && "records" in node);
  assert.equal(node.header?.manufacturer, "ZRI");
  const encrypted = node.records.find((r) => r.quantity === "total");
  assert.equal(encrypted?.value, 54.321);
  const absent = t.host.lookup("%mbus:31000099");
  assert.ok(absent && "records" in absent);
  assert.equal(absent.error?.code, "NO_RESPONSE");
  // the water meter transmits again at 61 s with a grown counter
  await t.clock.advance(60_000);
  assert.equal(leaf(t.host, "%mbus:31000001/0/value"), 123.463);
  const changes = t.events.filter((e) =>
    e.type === "valueChanged" && e.path === "%mbus:31000001/0"
  );
  assert.equal(changes.length, 2);
  assert.ok(
    t.events.some((e) =>
      e.type === "readFailed" && e.meter === "31000099" &&
      e.error.code === "NO_RESPONSE"
    ),
  );
  const rows = t.history.query({ address: "%mbus:31000001" });
  assert.ok(rows.length >= 8, `history rows: ${rows.length}`);
  const g = t.host.get("radio");
  assert.ok(g);
  const m = g.metrics();
  assert.ok(m.reads >= 9 && m.readFailures >= 3, JSON.stringify(m));
  // the API serves the same tree
  const app = createApp(t.host, { clock: t.clock, heartbeatMs: 3_600_000 });
  const res = await app.request(
    `/api/values/${encodeURIComponent(`${encrypted?.path}/value`)}`,
  );
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.value.value, 54.332);
  assert.equal(
    body.value.timestamp,
    "2026-01-01T00:01:04.000Z",
    "time of the telegram",
  );
  // meters heard but not configured are listed too
  const heard = await (await app.request("/api/instances/radio/heard")).json();
  const rows3 = heard.meters as {
    id: string;
    configured: boolean;
    driver: string;
  }[];
  assert.deepEqual(
    rows3.map((r) => [r.id, r.configured]).sort(),
    [
      ["31000001", true],
      ["31000002", true],
      ["31000003", false],
      ["31000004", true],
    ],
  );
  assert.ok(
    rows3.every((r) => typeof r.driver === "string" && r.driver !== ""),
  );
  assert.ok(!JSON.stringify(heard).includes(KEY), "keys never leave the API");
});

Deno.test("Gateway reports a wrong key as the meter's error and lists meters by a wireless scan job", async () => {
  await using t = await radioHost([{ name: "31000004", key: WRONG }]);
  t.host.start();
  t.air.start();
  await t.clock.advance(31_000);
  const node = t.host.lookup("%mbus:31000004");
  assert.ok(node && "records" in node);
  assert.equal(node.error?.code, "WRONG_KEY");
  assert.equal(node.records.length, 0);
  const g = t.host.get("radio");
  assert.ok(g);
  const job = g.startScan({ kind: "wireless", durationMs: 65_000 });
  await t.clock.drive(job.finished);
  assert.equal(job.status, "done");
  const found = (job.result ?? []) as { id?: string; driver?: string }[];
  assert.deepEqual(
    found.map((f) => [f.id, f.driver]).sort(),
    [["31000001", "itron"], ["31000004", "minomess"]],
  );
  assert.ok(
    t.events.some((e) => e.type === "scanFinished" && e.status === "done"),
  );
  // primary scans make no sense on air
  assert.throws(() => g.startScan({ kind: "primary" }), /wireless instance/);
});
