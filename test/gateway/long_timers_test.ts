import assert from "node:assert/strict";
import process from "node:process";
import {
  GatewayHost,
  History,
  parseConfig,
  parseSchedule,
} from "../../src/gateway/mod.ts";
import { RealClock } from "../../src/util/mod.ts";
import { FakeSource } from "./_fake_source.ts";
import { fakeHost, oneGateway } from "./_helpers.ts";

const DAY = 86_400_000;

/** Poll times of meter "1", as ISO strings. */
function polls(log: { meter: string; at: number }[] | undefined): string[] {
  return (log ?? []).filter((l) => l.meter === "1").map((l) =>
    new Date(l.at).toISOString()
  );
}

// The virtual clock starts at 2026-01-01T00:00:00Z, which is itself a tick of each
// schedule: the scheduler's first poll is the next one.
const CRON_CASES = [
  {
    polling: "0 0 1 1 *",
    advanceMs: 2 * 366 * DAY,
    expected: ["2027-01-01T00:00:00.000Z", "2028-01-01T00:00:00.000Z"],
  },
  {
    polling: "0 0 29 2 *",
    advanceMs: 3 * 366 * DAY,
    expected: ["2028-02-29T00:00:00.000Z"],
  },
  {
    // 31 days from 1 January: the first wait is over 2^31 ms.
    polling: "0 0 1 * *",
    advanceMs: 60 * DAY,
    expected: ["2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z"],
  },
];

for (const c of CRON_CASES) {
  Deno.test(`Scheduler polls "${c.polling}" at its ticks and never in between`, async () => {
    await using t = await fakeHost(oneGateway({ polling: c.polling }), {
      readMs: 10,
      values: { "1": [1] },
    });
    t.host.start();
    const first = Date.parse(c.expected[0] ?? "");
    await t.clock.advance(first - 1 - t.clock.now());
    assert.deepEqual(polls(t.sources.get("heat")?.log), []);
    await t.clock.advance(c.advanceMs - (t.clock.now() - Date.UTC(2026, 0, 1)));
    assert.deepEqual(polls(t.sources.get("heat")?.log), c.expected);
    const m = t.host.get("heat")?.metrics();
    assert.equal(m?.cycles, c.expected.length);
    assert.equal(m?.missedTicks, 0);
  });
}

Deno.test("Scheduler with polling 2^31 - 1 ms polls once per period", async () => {
  const period = 2_147_483_647;
  await using t = await fakeHost(oneGateway({ polling: period }), {
    readMs: 10,
    values: { "1": [1] },
  });
  const t0 = t.clock.now();
  t.host.start();
  await t.clock.advance(2 * period + 1000);
  const log = t.sources.get("heat")?.log ?? [];
  assert.deepEqual(log.map((l) => l.at - t0), [0, period, 2 * period]);
});

Deno.test("emitOnlyChanges 3000000000 re-emits an unchanged value 3e9 ms after its last emission, not before", async () => {
  await using t = await fakeHost(
    oneGateway({ polling: 2_000_000_000, emitOnlyChanges: 3_000_000_000 }),
    { readMs: 10, values: { "1": [5] } },
  );
  const t0 = t.clock.now();
  const emitted: [string, number][] = [];
  t.host.events.subscribe((e) => {
    if (e.type === "valueChanged") emitted.push([e.reason, t.clock.now() - t0]);
  });
  t.host.start();
  await t.clock.advance(7_000_000_000);
  // Read at 10 ms (a change); unchanged reads at 2e9, 4e9 and 6e9 emit nothing themselves.
  assert.deepEqual(emitted, [
    ["change", 10],
    ["periodic", 3_000_000_010],
    ["periodic", 6_000_000_010],
  ]);
  assert.equal(t.sources.get("heat")?.log.length, 4);
});

Deno.test("a gateway on the real clock with a yearly cron sleeps quietly (no TimeoutOverflowWarning, no poll)", async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on("warning", onWarning);
  const clock = new RealClock();
  const history = new History();
  let source: FakeSource | undefined;
  const host = await GatewayHost.create(
    parseConfig(oneGateway({
      polling: "0 0 1 1 *",
      emitOnlyChanges: 3_000_000_000,
    })),
    {
      clock,
      history,
      openSource: () => (source = new FakeSource(clock, { readMs: 1 })),
    },
  );
  try {
    host.start();
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    await host.stop();
    history.close();
    process.off("warning", onWarning);
  }
  assert.deepEqual(warnings, []);
  assert.deepEqual(source?.log ?? [], []);
});

Deno.test("parseSchedule() names the upper bound of an interval and points to cron", () => {
  for (const spec of ["3000000000", 2_147_483_648]) {
    const r = parseSchedule(spec);
    assert.ok(!r.ok);
    assert.match(r.error.message, /from 1 to 2147483647 ms .*cron/);
  }
  assert.ok(parseSchedule(2_147_483_647).ok);
});
