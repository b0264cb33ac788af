import assert from "node:assert/strict";
import {
  ANY_MASK,
  formatSecondaryAddress,
  parseSecondaryMask,
  type SecondaryAddress,
} from "../../src/master/address.ts";
import { searchSecondary } from "../../src/master/search_secondary.ts";
import { oracle, randomMeters } from "./_oracle.ts";

function keys(list: SecondaryAddress[]): string[] {
  return list.map(formatSecondaryAddress).sort();
}

async function findAll(meters: SecondaryAddress[], mask = ANY_MASK) {
  const o = oracle(meters);
  const result = await searchSecondary(mask, o);
  return { result, found: keys(result.meters.map((m) => m.address)) };
}

Deno.test("searchSecondary() costs one probe on an empty bus and on a single meter", async () => {
  const empty = await findAll([]);
  assert.equal(empty.result.probes, 1);
  assert.deepEqual(empty.found, []);
  const one = await findAll(randomMeters(1, 1));
  assert.equal(one.result.probes, 1);
  assert.equal(one.found.length, 1);
});

for (const n of [2, 10, 50, 250]) {
  Deno.test(`searchSecondary() finds all of ${n} random meters`, async () => {
    const meters = randomMeters(n, n * 7 + 1);
    const { result, found } = await findAll(meters);
    assert.deepEqual(found, keys(meters));
    assert.deepEqual(result.unresolved, []);
  });
}

Deno.test("searchSecondary() finds IDs with hex digits A-E", async () => {
  const meters: SecondaryAddress[] = [
    { id: "1234567A", manufacturer: "KAM", version: 1, medium: 7 },
    { id: "12345678", manufacturer: "KAM", version: 1, medium: 7 },
    { id: "12345679", manufacturer: "KAM", version: 1, medium: 7 },
    { id: "B0000001", manufacturer: "KAM", version: 1, medium: 7 },
    { id: "C0000001", manufacturer: "KAM", version: 1, medium: 7 },
  ];
  const { found } = await findAll(meters);
  assert.deepEqual(found, keys(meters));
});

Deno.test("searchSecondary() counts a hex meter that the start-mask hex probe identified", async () => {
  const meters: SecondaryAddress[] = [
    { id: "9A0B12CD", manufacturer: "ZRI", version: 1, medium: 7 },
    { id: "11002200", manufacturer: "GWF", version: 1, medium: 7 },
  ];
  const { found, result } = await findAll(meters);
  assert.deepEqual(found, keys(meters));
  assert.equal(result.probes, 16); // root, 0-9 and A-E at the last digit
});

Deno.test("searchSecondary() separates equal IDs by manufacturer, version and medium", async () => {
  const pairs: SecondaryAddress[][] = [
    [
      { id: "12345678", manufacturer: "KAM", version: 1, medium: 7 },
      { id: "12345678", manufacturer: "EFE", version: 1, medium: 7 },
    ],
    [
      { id: "12345678", manufacturer: "EFE", version: 2, medium: 7 },
      { id: "12345678", manufacturer: "EFE", version: 200, medium: 7 },
    ],
    [
      { id: "87654321", manufacturer: "ZRI", version: 9, medium: 0x40 },
      { id: "87654321", manufacturer: "ZRI", version: 9, medium: 0xf1 },
    ],
    [
      { id: "87654321", manufacturer: "XYZ", version: 9, medium: 0x40 },
      { id: "87654321", manufacturer: "ZRI", version: 9, medium: 0x40 },
      { id: "11111111", manufacturer: "XYZ", version: 9, medium: 0x40 },
    ],
  ];
  for (const meters of pairs) {
    const { found, result } = await findAll(meters);
    assert.deepEqual(found, keys(meters));
    assert.deepEqual(result.unresolved, []);
  }
});

Deno.test("searchSecondary() reports identical secondary addresses as unresolved", async () => {
  const m = { id: "12345678", manufacturer: "KAM", version: 1, medium: 7 };
  const { result } = await findAll([m, { ...m }]);
  assert.equal(result.meters.length, 0);
  assert.equal(result.unresolved.length, 1);
});

Deno.test("searchSecondary() honours partial masks", async () => {
  const meters: SecondaryAddress[] = [
    { id: "12345678", manufacturer: "KAM", version: 1, medium: 7 },
    { id: "12345679", manufacturer: "SEN", version: 1, medium: 7 },
    { id: "22345678", manufacturer: "SEN", version: 1, medium: 6 },
    { id: "92345607", manufacturer: "SEN", version: 1, medium: 7 },
  ];
  const man = formatSecondaryAddress(meters[1] as SecondaryAddress).slice(
    8,
    12,
  );
  const cases: [string, number][] = [
    ["12345678FFFFFFFF", 1],
    ["1234567FFFFFFFFF", 2],
    [`FFFFFFFF${man}FFFF`, 3],
    ["FFFFFFFFFFFFFF06", 1],
    ["FFFFFF07FFFFFFFF", 1],
  ];
  for (const [text, count] of cases) {
    const { found } = await findAll(meters, parseSecondaryMask(text));
    assert.equal(found.length, count, text);
  }
});

Deno.test("searchSecondary() rejects with the abort reason", async () => {
  const controller = new AbortController();
  const reason = new Error("stop");
  const o = oracle(randomMeters(20, 3));
  await assert.rejects(
    searchSecondary(ANY_MASK, {
      ...o,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.probes === 5) controller.abort(reason);
      },
    }),
    (e) => e === reason,
  );
  assert.equal(o.probes, 5);
});

Deno.test("searchSecondary() stops a phantom collision after re-probing", async () => {
  let calls = 0;
  const result = await searchSecondary(ANY_MASK, {
    probe: () => Promise.resolve(calls++ === 0 ? "collision" : "none"),
    identify: () => Promise.resolve({ kind: "none" }),
  });
  assert.deepEqual(result.meters, []);
  assert.ok(result.probes <= 1 + 15 + 1, String(result.probes));
});

Deno.test("searchSecondary() never probes the same mask twice", async () => {
  const meters = randomMeters(60, 21);
  meters.push(
    { id: "1111111A", manufacturer: "KAM", version: 1, medium: 7 },
    { id: "2222222A", manufacturer: "KAM", version: 1, medium: 7 },
    { id: "3A333333", manufacturer: "KAM", version: 1, medium: 7 },
    { id: "3A333333", manufacturer: "SEN", version: 1, medium: 7 },
  );
  const o = oracle(meters);
  const probed: string[] = [];
  const result = await searchSecondary(ANY_MASK, {
    ...o,
    onProgress: (p) => probed.push(p.current),
  });
  assert.equal(new Set(probed).size, probed.length);
  assert.deepEqual(
    keys(result.meters.map((m) => m.address)),
    keys(meters),
  );
});

Deno.test("searchSecondary() finds an ID with digit F when another field tells it apart", async () => {
  // F is the wildcard: every mask that selects 1234F678 also selects 12345678 unless the
  // manufacturer, version or medium differs.
  const meters: SecondaryAddress[] = [
    { id: "1234F678", manufacturer: "SEN", version: 1, medium: 7 },
    { id: "12345678", manufacturer: "KAM", version: 1, medium: 7 },
    { id: "99999999", manufacturer: "KAM", version: 1, medium: 7 },
  ];
  const { found } = await findAll(meters);
  assert.deepEqual(found, keys(meters));
});
