import assert from "node:assert/strict";
import { VirtualClock } from "../../src/util/mod.ts";
import { Deduplicator } from "../../src/wmbus/mod.ts";

const A = Uint8Array.of(1, 2, 3);
const B = Uint8Array.of(1, 2, 4);

Deno.test("Deduplicator suppresses the same bytes within the window only", async () => {
  const clock = new VirtualClock();
  const d = new Deduplicator({ clock, windowMs: 1000 });
  assert.equal(d.isDuplicate(A), false);
  assert.equal(d.isDuplicate(B), false);
  await clock.advance(999);
  assert.equal(d.isDuplicate(A.slice()), true);
  await clock.advance(1);
  assert.equal(d.isDuplicate(A), false);
  assert.equal(d.suppressed, 1);
});

Deno.test("Deduplicator forgets expired telegrams and bounds its memory", async () => {
  const clock = new VirtualClock();
  const d = new Deduplicator({ clock, windowMs: 1000, maxEntries: 3 });
  for (let i = 0; i < 10; i++) d.isDuplicate(Uint8Array.of(i));
  assert.equal(d.size, 3);
  assert.equal(d.isDuplicate(Uint8Array.of(0)), false);
  await clock.advance(5000);
  d.isDuplicate(A);
  assert.equal(d.size, 1);
  d.clear();
  assert.equal(d.size, 0);
});

Deno.test("Deduplicator tells long byte strings apart by their last byte and by every byte value", () => {
  const d = new Deduplicator({ clock: new VirtualClock() });
  const long = Uint8Array.from({ length: 3000 }, (_, i) => i & 0xff);
  const other = long.slice();
  other[2999] = 0;
  assert.equal(d.isDuplicate(long), false);
  assert.equal(d.isDuplicate(other), false);
  assert.equal(d.isDuplicate(long.slice()), true);
  for (let b = 0; b < 256; b++) {
    assert.equal(d.isDuplicate(Uint8Array.of(0x44, b)), false);
  }
  assert.equal(d.isDuplicate(Uint8Array.of(0x44, 0xff)), true);
});
