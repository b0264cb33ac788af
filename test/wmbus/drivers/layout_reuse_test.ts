import assert from "node:assert/strict";
import { splitRecords } from "../../../src/wmbus/drivers/_records.ts";
import {
  sameOutside,
  splitRecordsReusing,
} from "../../../src/wmbus/drivers/_layout.ts";

/** A small seeded generator (xorshift32), so failures repeat. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Records of one layout: energy, volume, a date, an error-flags record, manufacturer data. */
const BASE = Uint8Array.from([
  0x2f,
  0x2f,
  0x04,
  0x06,
  0x11,
  0x22,
  0x33,
  0x44,
  0x44,
  0x13,
  0x55,
  0x66,
  0x77,
  0x88,
  0x42,
  0x6c,
  0x3f,
  0x2c,
  0x02,
  0xfd,
  0x17,
  0x00,
  0x00,
  0x8d,
  0x01,
  0x13,
  0x03,
  0x01,
  0x02,
  0x03,
  0x0f,
  0xaa,
  0xbb,
]);

/** Offsets of the data bytes of BASE's records (the bytes reuse may differ in). */
const DATA_AT = [4, 5, 6, 7, 10, 11, 12, 13, 16, 17, 21, 22, 27, 28, 29];

function same(a: ReturnType<typeof splitRecords>, b: typeof a): void {
  assert.equal(a.entries.length, b.entries.length);
  for (let i = 0; i < a.entries.length; i++) {
    const x = a.entries[i];
    const y = b.entries[i];
    assert.deepEqual({ ...x, data: [...(x?.data ?? [])] }, {
      ...y,
      data: [...(y?.data ?? [])],
    });
  }
  assert.deepEqual(
    a.manufacturerData === null ? null : [...a.manufacturerData],
    b.manufacturerData === null ? null : [...b.manufacturerData],
  );
  assert.deepEqual(a.error, b.error);
}

Deno.test("records reused for new data bytes equal a fresh split, and their data views are the new bytes", () => {
  const next = rng(7);
  splitRecordsReusing(BASE);
  for (let round = 0; round < 2000; round++) {
    const d = BASE.slice();
    for (const at of DATA_AT) if (next() % 2 === 0) d[at] = next() & 0xff;
    const reused = splitRecordsReusing(d);
    same(reused, splitRecords(d));
    // The views point into this telegram's bytes, not the kept copy.
    assert.equal(reused.entries[0]?.data.buffer, d.buffer);
  }
});

Deno.test("any changed byte outside the data (DIF, VIF, LVAR, filler) splits afresh and agrees with splitRecords", () => {
  const next = rng(11);
  for (let round = 0; round < 20000; round++) {
    const d = BASE.slice();
    const changes = 1 + (next() % 3);
    for (let i = 0; i < changes; i++) d[next() % d.length] = next() & 0xff;
    same(splitRecordsReusing(d), splitRecords(d));
  }
});

Deno.test("random data of few lengths (many layouts per length) agrees with splitRecords", () => {
  const next = rng(23);
  for (let round = 0; round < 20000; round++) {
    const d = new Uint8Array(8 + (next() % 5) * 8);
    for (let i = 0; i < d.length; i++) d[i] = next() & 0xff;
    same(splitRecordsReusing(d), splitRecords(d));
    // Again with only the first record's data changed, when the data has one.
    const first = splitRecords(d).entries[0];
    if (first !== undefined && first.data.length > 0) {
      const e = d.slice();
      const at = first.data.byteOffset - d.byteOffset;
      e[at] = (e[at] ?? 0) ^ 0xff;
      same(splitRecordsReusing(e), splitRecords(e));
    }
  }
});

Deno.test("sameOutside compares every byte outside the ranges and none inside", () => {
  const a = Uint8Array.from([1, 2, 3, 4, 5, 6]);
  assert.equal(
    sameOutside(a, [1, 3], Uint8Array.from([1, 9, 9, 4, 5, 6])),
    true,
  );
  assert.equal(
    sameOutside(a, [1, 3], Uint8Array.from([1, 9, 9, 4, 5, 7])),
    false,
  );
  assert.equal(
    sameOutside(a, [1, 3], Uint8Array.from([0, 2, 3, 4, 5, 6])),
    false,
  );
  assert.equal(sameOutside(a, [1, 3], Uint8Array.from([1, 2, 3, 4, 5])), false);
  assert.equal(sameOutside(a, [], a.slice()), true);
});
