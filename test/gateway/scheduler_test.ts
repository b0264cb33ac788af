import assert from "node:assert/strict";
import {
  countTicks,
  nextTick,
  parseSchedule,
  Scheduler,
} from "../../src/gateway/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import { fakeHost, oneGateway } from "./_helpers.ts";

function times(
  log: { meter: string; at: number }[],
  meter: string,
  t0: number,
): number[] {
  return log.filter((l) => l.meter === meter).map((l) => l.at - t0);
}

Deno.test("nextTick() combines cron expressions joined by ';'", () => {
  const r = parseSchedule("0 * * * * ; 30 12 * * 6-7");
  assert.ok(r.ok);
  const fri = Date.UTC(2026, 0, 2, 23, 59, 30); // Friday
  assert.equal(
    new Date(nextTick(r.value, fri, 0, { tz: "UTC" })).toISOString(),
    "2026-01-03T00:00:00.000Z",
  );
  const sat = Date.UTC(2026, 0, 3, 12, 29, 59);
  assert.equal(
    new Date(nextTick(r.value, sat, 0, { tz: "UTC" })).toISOString(),
    "2026-01-03T12:30:00.000Z",
  );
  assert.equal(
    countTicks(r.value, { fromMs: sat, toMs: sat + 3_600_000, anchorMs: 0 }, {
      tz: "UTC",
    }),
    2,
  );
});

Deno.test("parseSchedule() reads intervals as numbers or digit strings", () => {
  assert.deepEqual(parseSchedule(250), {
    ok: true,
    value: { kind: "interval", intervalMs: 250 },
  });
  assert.deepEqual(parseSchedule(" 5000 "), {
    ok: true,
    value: { kind: "interval", intervalMs: 5000 },
  });
  const bad = parseSchedule("* * *");
  assert.ok(!bad.ok && bad.error.message.includes("3 fields"));
});

Deno.test("Scheduler polls by cron on the virtual clock", async () => {
  await using t = await fakeHost(oneGateway({ polling: "*/10 * * * * *" }), {
    values: { "1": [1] },
  });
  const t0 = t.clock.now(); // 2026-01-01T00:00:00Z, a tick: the first poll is the next one
  t.host.start();
  await t.clock.advance(35_000);
  const src = t.sources.get("heat");
  assert.deepEqual(times(src?.log ?? [], "1", t0), [10_000, 20_000, 30_000]);
});

Deno.test("Scheduler never overlaps cycles and counts coalesced ticks", async () => {
  await using t = await fakeHost(
    oneGateway({ polling: 1000 }, [{ name: "1" }, { name: "2" }]),
    {
      readMs: 700,
      values: { "1": [1], "2": [2] },
    },
  );
  const t0 = t.clock.now();
  t.host.start();
  await t.clock.advance(10_500);
  const src = t.sources.get("heat");
  assert.equal(src?.maxActive, 1);
  assert.deepEqual(times(src?.log ?? [], "1", t0), [
    0,
    2000,
    4000,
    6000,
    8000,
    10_000,
  ]);
  const m = t.host.get("heat")?.metrics();
  assert.equal(m?.cycles, 6);
  assert.equal(m?.missedTicks, 5);
});

Deno.test("Scheduler honours per-address polling and skipLoops", async () => {
  await using t = await fakeHost(
    oneGateway({ polling: 1000 }, [
      { name: "1" },
      { name: "2", polling: 3000 },
      { name: "3", skipLoops: 2 },
    ]),
    { readMs: 10, values: { "1": [1], "2": [2], "3": [3] } },
  );
  const t0 = t.clock.now();
  t.host.start();
  await t.clock.advance(6_500);
  const log = t.sources.get("heat")?.log ?? [];
  assert.deepEqual(
    times(log, "1", t0),
    [0, 1000, 2000, 3000, 4000, 5000, 6000].map((x, i) =>
      x + (i % 3 === 0 ? 0 : 0)
    ),
  );
  assert.deepEqual(
    times(log, "2", t0).map((x) => Math.floor(x / 1000) * 1000),
    [0, 3000, 6000],
  );
  assert.deepEqual(
    times(log, "3", t0).map((x) => Math.floor(x / 1000) * 1000),
    [0, 3000, 6000],
  );
  assert.equal(t.host.get("heat")?.metrics().skippedPolls, 4);
});

Deno.test("Scheduler counts ticks missed while polling is paused", async () => {
  await using t = await fakeHost(oneGateway({ polling: 1000 }), {
    readMs: 10,
    values: { "1": [1] },
  });
  const g = t.host.get("heat");
  assert.ok(g);
  t.host.start();
  await t.clock.advance(500);
  g.arbiter.pause("test");
  await t.clock.advance(3000); // ticks at 1000, 2000, 3000 are missed
  g.arbiter.resume("test");
  await t.clock.advance(1000); // tick at 4000 runs
  assert.equal(g.metrics().missedTicks, 3);
  assert.equal(g.metrics().cycles, 2);
});

Deno.test("Scheduler mixes an interval instance with a cron override per address", async () => {
  await using t = await fakeHost(
    oneGateway({ polling: 20_000 }, [{ name: "1" }, {
      name: "2",
      polling: "*/30 * * * * * ; 45 * * * * *",
    }]),
    { readMs: 10, values: { "1": [1], "2": [2] } },
  );
  const t0 = t.clock.now();
  t.host.start();
  await t.clock.advance(60_500);
  const log = t.sources.get("heat")?.log ?? [];
  assert.deepEqual(times(log, "1", t0), [0, 20_000, 40_000, 60_000]);
  assert.deepEqual(times(log, "2", t0), [30_000, 45_000, 60_010]);
});

Deno.test("Scheduler.setGroups() swaps groups between cycles: unchanged schedules keep their tick and skipLoops count", async () => {
  const clock = new VirtualClock();
  const t0 = clock.now();
  const cycles: { meters: string[]; from: number; to: number }[] = [];
  const every = (ms: number) => ({ kind: "interval", intervalMs: ms } as const);
  const s = new Scheduler({
    clock,
    groups: [{ schedule: every(1000), meters: [{ meter: "a", skipLoops: 1 }] }],
    runCycle: async (meters, signal) => {
      const from = clock.now() - t0;
      await clock.sleep(400, signal);
      cycles.push({ meters, from, to: clock.now() - t0 });
    },
  });
  s.start();
  try {
    await clock.advance(1_200); // a at 0; 1000 skipped
    s.setGroups([
      {
        schedule: every(1000),
        meters: [{ meter: "a", skipLoops: 1 }, { meter: "b", skipLoops: 0 }],
      },
    ]);
    await clock.advance(100); // idle at 1200: woken, nothing due yet
    assert.equal(cycles.length, 1);
    await clock.advance(1_000); // 2000: a (count kept) and b (new)
    s.setGroups([{
      schedule: every(500),
      meters: [{ meter: "c", skipLoops: 0 }],
    }]);
    await clock.advance(1_200); // the 2000 cycle ends at 2400, then c at once
    assert.deepEqual(cycles.map((c) => [c.meters, c.from]), [
      [["a"], 0],
      [["a", "b"], 2_000],
      [["c"], 2_400],
      [["c"], 3_000],
    ]);
    for (let i = 1; i < cycles.length; i++) {
      const prev = cycles[i - 1];
      const cur = cycles[i];
      assert.ok(prev && cur && cur.from >= prev.to, "cycles never overlap");
    }
    assert.equal(s.stats.skippedPolls, 1);
  } finally {
    await s.stop();
  }
});

Deno.test("Scheduler.setGroups() wakes a scheduler that had no meters; stop() ends it either way", async () => {
  const clock = new VirtualClock();
  const polled: string[] = [];
  const s = new Scheduler({
    clock,
    groups: [],
    runCycle: (meters) => {
      polled.push(...meters);
      return Promise.resolve();
    },
  });
  s.start();
  await clock.advance(10_000);
  assert.deepEqual(polled, []);
  s.setGroups([{
    schedule: { kind: "interval", intervalMs: 1000 },
    meters: [{ meter: "7", skipLoops: 0 }],
  }]);
  await clock.advance(1_500);
  assert.deepEqual(polled, ["7", "7"]);
  await s.stop();
  assert.equal(s.isRunning, false);
});
