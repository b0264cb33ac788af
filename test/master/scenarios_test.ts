import assert from "node:assert/strict";
import { Master, type MasterOptions } from "../../src/master/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import {
  createSimulation,
  SCENARIOS,
  type VirtualBus,
  type VirtualSlave,
} from "../../sim/mod.ts";

/**
 * Meters a master at the bus's rate can find: same baud rate, not dead, not later than
 * the answer window, and hearing every request (a meter that misses a select beside
 * another meter looks like "one meter" to any tree search; a later scan finds it).
 */
function reachable(bus: VirtualBus): VirtualSlave[] {
  const unreachable = ["silent", "late", "intermittent"];
  return bus.slaves.filter((s) =>
    s.baudRate === bus.baudRate &&
    !unreachable.includes(s.summary().failure ?? "")
  );
}

function key(id: string | undefined, manufacturer: string | undefined): string {
  return `${id ?? ""}/${manufacturer ?? ""}`;
}

async function withMaster<T>(
  bus: VirtualBus,
  fn: (master: Master, clock: VirtualClock) => Promise<T>,
  options: Partial<MasterOptions> = {},
): Promise<T> {
  const clock = new VirtualClock();
  await using port = bus.connect({ clock });
  const master = new Master({
    transport: port,
    clock,
    retry: 2,
    idleTimeoutMs: 0,
    ...options,
  });
  return await clock.drive(fn(master, clock));
}

for (const [name, scenario] of Object.entries(SCENARIOS)) {
  Deno.test(`Master.scanSecondary() finds every reachable meter of scenario ${name}`, async () => {
    const bus = createSimulation(scenario);
    const found = await withMaster(bus, (m) => m.scanSecondary());
    const want = reachable(bus).map((s) =>
      key(s.identity.id, s.identity.manufacturer)
    ).sort();
    const got = found.filter((f) => !f.collision).map((f) =>
      key(f.id, f.manufacturer)
    );
    assert.deepEqual([...new Set(got)].sort(), want);
  });
}

Deno.test("Master.readMeter() reads every meter of scenario all_meters by primary address", async () => {
  const bus = createSimulation("all_meters");
  for (const slave of reachable(bus)) {
    if (slave.summary().failure) continue;
    const reading = await withMaster(
      bus,
      (m) => m.readMeter({ kind: "primary", address: slave.primaryAddress }),
    );
    assert.equal(
      reading.telegram.header?.id,
      slave.identity.id.toUpperCase(),
      slave.name,
    );
    assert.equal(reading.frames, slave.telegramCount, slave.name);
    assert.equal(reading.partial, false, slave.name);
  }
});

Deno.test("Master.readMeter() reads the RVD controller's 7 telegrams, records numbered in order", async () => {
  const bus = createSimulation("rvd_multiframe");
  const reading = await withMaster(
    bus,
    (m) => m.readMeter({ kind: "primary", address: 1 }),
  );
  assert.equal(reading.frames, 7);
  assert.ok(reading.telegram.records.length > 150);
  reading.telegram.records.forEach((r, i) => assert.equal(r.index, i));
  assert.equal(reading.telegram.moreRecordsFollow, false);
  const limited = await withMaster(
    bus,
    (m) => m.readMeter({ kind: "primary", address: 1 }, { maxFrames: 3 }),
  );
  assert.equal(limited.frames, 3);
  assert.equal(limited.telegram.moreRecordsFollow, true);
});

Deno.test("Master.scanPrimary() on scenario duplicate_primary reports both meters at 5", async () => {
  const bus = createSimulation("duplicate_primary");
  const found = await withMaster(bus, (m) => m.scanPrimary({ to: 10 }));
  const at5 = found.filter((f) => f.primary === 5);
  assert.equal(at5.length, 2);
  assert.ok(at5.every((f) => f.collision && f.secondary?.length === 16));
  assert.deepEqual(found.filter((f) => f.primary === 6).length, 1);
});

Deno.test("Master.scanPrimary() on scenario faulty_meters finds the answering ones", async () => {
  const bus = createSimulation("faulty_meters");
  const found = await withMaster(bus, (m) => m.scanPrimary({ to: 10 }));
  const addresses = found.map((f) => f.primary);
  assert.ok(!addresses.includes(3), "the silent meter is absent");
  for (const a of [1, 2, 8]) assert.ok(addresses.includes(a), String(a));
  // The noisy meter at 2 is one meter, not a collision; the late answer of 4 does not
  // make a phantom collision at a later address.
  assert.deepEqual(found.filter((f) => f.collision), []);
  assert.equal(found.find((f) => f.primary === 2)?.id, "13572468");
});
