import assert from "node:assert/strict";
import process from "node:process";
import { MAX_TIMER_MS, RealClock, VirtualClock } from "../../src/util/mod.ts";

/** Collects the runtime warnings emitted while `body` runs. */
async function warningsDuring(body: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const onWarning = (w: Error) => seen.push(`${w.name}: ${w.message}`);
  process.on("warning", onWarning);
  try {
    await body();
    // Node-compat warnings are emitted on a later tick.
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    process.off("warning", onWarning);
  }
  return seen;
}

for (const ms of [2 ** 31, 3_000_000_000, 366 * 86_400_000, Infinity]) {
  Deno.test(`RealClock.sleep(${ms}) neither fires early nor warns of a timeout overflow`, async () => {
    const clock = new RealClock();
    const ac = new AbortController();
    let state = "pending";
    const warnings = await warningsDuring(async () => {
      const wait = clock.sleep(ms, ac.signal).then(
        () => state = "resolved",
        () => state = "aborted",
      );
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(state, "pending", "a long sleep resolved within 200 ms");
      ac.abort();
      await wait;
    });
    assert.equal(state, "aborted");
    assert.deepEqual(warnings, []);
  });
}

Deno.test("RealClock.sleep() chains timers of at most maxTimerMs and waits the whole time", async () => {
  const clock = new RealClock({ maxTimerMs: 25 });
  const start = performance.now();
  await clock.sleep(130);
  // Timers never fire early; five chained 25 ms timers and one of 5 ms make at least 130 ms.
  assert.ok(
    performance.now() - start >= 129,
    `${performance.now() - start} ms`,
  );
});

Deno.test("RealClock.sleep() treats negative and NaN as 0 and rejects at once when aborted", async () => {
  const clock = new RealClock();
  await clock.sleep(-5);
  await clock.sleep(Number.NaN);
  const ac = new AbortController();
  ac.abort(new Error("stop"));
  await assert.rejects(clock.sleep(10, ac.signal), /stop/);
});

Deno.test("MAX_TIMER_MS is the largest delay setTimeout takes", () => {
  assert.equal(MAX_TIMER_MS, 2 ** 31 - 1);
});

Deno.test("VirtualClock fires a wait longer than 2^31 ms once, at its instant", async () => {
  const clock = new VirtualClock(0);
  const fired: number[] = [];
  clock.sleep(3_000_000_000).then(() => fired.push(clock.now()));
  await clock.advance(2_999_999_999);
  assert.deepEqual(fired, []);
  await clock.advance(1);
  assert.deepEqual(fired, [3_000_000_000]);
  assert.equal(clock.pending, 0);
});

Deno.test("VirtualClock keeps an Infinity wait pending and drops it on abort", async () => {
  const clock = new VirtualClock(0);
  const ac = new AbortController();
  const wait = clock.sleep(Infinity, ac.signal).catch(() => "aborted");
  clock.sleep(Number.NaN).then(() => {});
  await clock.runUntilIdle(10 * 365 * 86_400_000);
  assert.equal(clock.pending, 1);
  ac.abort();
  assert.equal(await wait, "aborted");
  assert.equal(clock.pending, 0);
});
