import assert from "node:assert/strict";
import type { GatewayEvent } from "../../src/gateway/mod.ts";
import { fakeHost, oneGateway } from "./_helpers.ts";

type ValueEvent = Extract<GatewayEvent, { type: "valueChanged" }>;

function valueEvents(events: GatewayEvent[]): ValueEvent[] {
  return events.filter((e): e is ValueEvent => e.type === "valueChanged");
}

Deno.test("emitOnlyChanges 'changes' emits new and changed values only", async () => {
  await using t = await fakeHost(oneGateway({ polling: 1000 }), {
    readMs: 10,
    values: { "1": [5, 6] },
  });
  t.host.start();
  await t.clock.advance(2_500);
  assert.deepEqual(
    valueEvents(t.events).map((e) => [e.path, e.value, e.reason]),
    [
      ["%mbus:1/0", 5, "change"],
      ["%mbus:1/1", 6, "change"],
    ],
  );
  t.sources.get("heat")?.values.set("1", [5, 7]);
  await t.clock.advance(1_000);
  const last = valueEvents(t.events).at(-1);
  assert.deepEqual([last?.path, last?.value, last?.previous], [
    "%mbus:1/1",
    7,
    6,
  ]);
  assert.equal(valueEvents(t.events).length, 3);
});

Deno.test("emitOnlyChanges 'cycle' emits every value on every read", async () => {
  await using t = await fakeHost(
    oneGateway({ polling: 1000, emitOnlyChanges: "cycle" }),
    {
      readMs: 10,
      values: { "1": [5, 6] },
    },
  );
  t.host.start();
  await t.clock.advance(2_500); // reads at 0, 1000, 2000
  const ev = valueEvents(t.events);
  assert.equal(ev.length, 6);
  assert.deepEqual(ev.slice(2).map((e) => e.reason), [
    "cycle",
    "cycle",
    "cycle",
    "cycle",
  ]);
});

Deno.test("emitOnlyChanges as a number re-emits the last value periodically", async () => {
  await using t = await fakeHost(
    oneGateway({ polling: 60_000, emitOnlyChanges: 10_000 }),
    {
      readMs: 10,
      values: { "1": [5] },
    },
  );
  t.host.start();
  await t.clock.advance(35_000);
  const ev = valueEvents(t.events);
  assert.deepEqual(ev.map((e) => e.reason), [
    "change",
    "periodic",
    "periodic",
    "periodic",
  ]);
  assert.deepEqual(ev.map((e) => e.value), [5, 5, 5, 5]);
});

Deno.test("onlyValues false publishes the metadata; true hides it", async () => {
  await using t = await fakeHost({
    gateways: [
      { name: "a", host: "h", polling: 1000, addresses: [{ name: "1" }] },
      {
        name: "b",
        host: "h",
        cluster: 2,
        polling: 1000,
        onlyValues: false,
        addresses: [{ name: "1" }],
      },
    ],
  }, { readMs: 10, values: { "1": [5] } });
  t.host.start();
  await t.clock.advance(100);
  const a = t.host.lookup("%mbus:1/0");
  const b = t.host.lookup("%mbus2:1/0");
  assert.ok(a && "record" in a && b && "record" in b);
  assert.equal(a.unit, undefined);
  assert.deepEqual([b.unit, b.quantity, b.function, b.storage, b.tariff], [
    "m^3",
    "Volume",
    "instantaneous",
    0,
    0,
  ]);
  assert.equal(t.host.lookup("%mbus2:1/0/unit")?.path, "%mbus2:1/0/unit");
  assert.equal(
    t.host.lookup("%mbus:b/1/manufacturer")?.path,
    "%mbus:1/manufacturer".replace("%mbus:", "%mbus2:"),
  );
  assert.equal(t.host.lookup("%mbus:1/0/unit"), undefined);
});

Deno.test("history 'update', 'always' and periodic modes write the expected rows", async () => {
  await using t = await fakeHost(
    oneGateway({ polling: 1000 }, [
      { name: "1", log: "update" },
      { name: "2", log: "always" },
      { name: "3", log: 2500 },
      { name: "4" },
    ]),
    { readMs: 10, values: { "1": [1], "2": [2], "3": [3], "4": [4] } },
  );
  const t0 = t.clock.now();
  t.host.start();
  await t.clock.advance(5_500); // 6 cycles
  t.sources.get("heat")?.values.set("1", [10]);
  await t.clock.advance(1_000); // 7th cycle
  const rows = t.history.query({ from: t0, to: t.clock.now() });
  const count = (p: string) => rows.filter((r) => r.path === p).length;
  assert.equal(count("%mbus:1/0"), 2);
  assert.equal(count("%mbus:2/0"), 7);
  assert.equal(count("%mbus:3/0"), 3); // at ~0, ~3000, ~6000
  assert.equal(count("%mbus:4/0"), 0);
  assert.deepEqual(
    t.history.query({ address: "%mbus:1", from: t0 }).map((r) => r.value),
    [1, 10],
  );
  const mid = t.history.query({
    address: "%mbus:2/0",
    from: t0 + 1500,
    to: t0 + 3500,
  });
  assert.equal(mid.length, 2);
  assert.equal(t.history.query({ from: t0, limit: 3 }).length, 3);
});
