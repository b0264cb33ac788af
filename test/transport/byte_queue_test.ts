import assert from "node:assert/strict";
import { ByteQueue } from "../../src/transport/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";

Deno.test("ByteQueue takes across chunk borders and never more than asked", () => {
  const q = new ByteQueue(new VirtualClock());
  q.push(Uint8Array.of(1, 2, 3));
  q.push(new Uint8Array(0));
  q.push(Uint8Array.of(4, 5));
  assert.equal(q.length, 5);
  assert.deepEqual(q.take(2), Uint8Array.of(1, 2));
  assert.deepEqual(q.take(2), Uint8Array.of(3, 4));
  assert.deepEqual(q.take(0), Uint8Array.of(5));
  assert.deepEqual(q.take(9), new Uint8Array(0));
  q.push(Uint8Array.of(7, 8));
  assert.equal(q.clear(), 2);
  assert.equal(q.length, 0);
});

Deno.test("ByteQueue.wait() ends on data, on the clock, or on abort", async () => {
  const clock = new VirtualClock();
  const q = new ByteQueue(clock);
  const start = clock.now();
  const byData = q.wait(10_000);
  q.push(Uint8Array.of(1));
  await byData;
  assert.equal(clock.now(), start);
  const byTime = q.wait(500);
  await clock.advance(500);
  await byTime;
  const ac = new AbortController();
  const byAbort = q.wait(10_000, ac.signal);
  ac.abort();
  await byAbort;
  assert.equal(clock.pending, 0);
  await q.wait(10, ac.signal); // already aborted: returns at once
});
