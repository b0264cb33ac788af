import assert from "node:assert/strict";
import {
  decodeRecords,
  decodeUserData,
  encodeUserData,
} from "../../src/app/mod.ts";
import {
  ALL_TYPES,
  generateHeader,
  generateRecord,
  Prng,
} from "./_generate.ts";

const CIS = [0x72, 0x7a, 0x78, 0x51, 0x70, 0x71, 0x73, 0x76, 0x5b, 0x99];

/** Seeds for mutation: telegrams built with our encoder. */
function seeds(p: Prng): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < 64; i++) {
    const records = Array.from(
      { length: p.int(1, 8) },
      () => generateRecord(p, p.pick(ALL_TYPES)),
    );
    out.push(
      encodeUserData({
        header: generateHeader(p),
        records,
        moreRecordsFollow: i % 5 === 0,
      }).data,
    );
  }
  return out;
}

function mutate(p: Prng, seed: Uint8Array): Uint8Array {
  const b = seed.slice();
  const n = p.int(1, 4);
  for (let k = 0; k < n && b.length > 0; k++) {
    const at = p.int(0, b.length - 1);
    switch (p.int(0, 3)) {
      case 0:
        b[at] = p.int(0, 255);
        break;
      case 1:
        b[at] = (b[at] ?? 0) ^ (1 << p.int(0, 7));
        break;
      case 2:
        return b.subarray(0, at);
      default:
        b[at] = p.pick([0x0f, 0x1f, 0x2f, 0x8d, 0xfd, 0xfc, 0xff, 0xcf, 0xf7]);
    }
  }
  return b;
}

Deno.test("decodeUserData() and decodeRecords() survive 200,000 random and mutated inputs", () => {
  const p = new Prng(20260101);
  const pool = seeds(p);
  let records = 0;
  for (let i = 0; i < 200_000; i++) {
    let data: Uint8Array;
    if (i % 2 === 0) data = mutate(p, p.pick(pool));
    else data = p.bytes(p.int(0, 48));
    const ci = i % 4 < 2 ? 0x72 : p.pick(CIS);
    const r = decodeUserData(ci, data);
    if (r.ok) {
      records += r.value.records.length;
      assert.ok(r.value.records.length <= data.length);
    } else assert.equal(typeof r.error.code, "string");
    const rr = decodeRecords(data, { applyUnitFactor: i % 3 === 0 });
    assert.ok(rr.records.length <= data.length);
    if (rr.error) {
      assert.ok(rr.error.offset >= 0 && rr.error.offset <= data.length);
    }
  }
  assert.ok(records > 0);
});

Deno.test("decodeRecords() gives a result for every prefix of encoded telegrams", () => {
  const p = new Prng(7);
  for (const seed of seeds(p)) {
    for (let n = 0; n <= seed.length; n++) {
      const r = decodeUserData(0x72, seed.subarray(0, n));
      if (n < 12) assert.ok(!r.ok);
      else assert.ok(r.ok);
    }
  }
});
