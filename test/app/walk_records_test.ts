import assert from "node:assert/strict";
import { fromHex } from "../../src/util/mod.ts";
import { readRecordSpan, walkRecords } from "../../src/app/mod.ts";

Deno.test("walkRecords() finds DIB, VIB, plain text, LVAR and data of each record", () => {
  const data = fromHex(
    "2F 0C13 78563412 8240FD49 0010 02FC03414243 3B 0700 0D78 C3 563412 0F AABB",
  );
  const w = walkRecords(data);
  assert.equal(w.stop, "manufacturer");
  assert.equal(w.stopAt, 28);
  assert.deepEqual(w.manufacturerData, fromHex("AABB"));
  assert.equal(w.error, null);
  const [bcd, volt, text, lvar] = w.spans;
  assert.deepEqual(
    [bcd?.start, bcd?.vifCode, bcd?.dataAt, bcd?.dataLength, bcd?.dataType],
    [1, 0x13, 3, 4, "bcd8"],
  );
  assert.deepEqual(
    [volt?.difeCount, volt?.subunit, volt?.tariff, volt?.storage],
    [1, 1, 0, 0],
  );
  assert.equal(volt?.vifCode, 0xfd49);
  assert.equal(volt?.combinableAt, volt?.headerEnd);
  // FC: length 3 and "CBA" right after the VIF, then the VIFE 3B.
  assert.equal(text?.textAt, 15);
  assert.equal(text?.combinableAt, 19);
  assert.equal(text?.headerEnd, 20);
  assert.equal(text?.dataLength, 2);
  assert.deepEqual([lvar?.lvar, lvar?.dataLength, lvar?.dataType], [
    0xc3,
    3,
    "bcdVar",
  ]);
  assert.equal(lvar?.end, 28);
});

Deno.test("walkRecords() reads the LVAR lengths of EN 13757-3: F0-F4 4 x (n - EC), F5 48, F6 64", () => {
  for (
    const [lvar, n] of [
      [0xf0, 16],
      [0xf4, 32],
      [0xf5, 48],
      [0xf6, 64],
      [0xe5, 5],
      [0xd2, 2],
      [0xbf, 191],
    ] as const
  ) {
    const data = Uint8Array.of(
      0x0d,
      0x13,
      lvar,
      ...new Uint8Array(n),
      0x01,
      0x13,
      0x09,
    );
    const w = walkRecords(data);
    assert.equal(w.stop, "end", `LVAR ${lvar.toString(16)}`);
    assert.equal(w.spans[0]?.dataLength, n);
    assert.equal(w.spans.length, 2);
  }
});

Deno.test("walkRecords() stops with a reason and the offset of the problem", () => {
  const cases: [string, string, string, number][] = [
    ["0113 05 0D13 F7", "error", "RESERVED_LVAR", 5],
    ["0113 05 0D13 C9 0102", "error", "TRUNCATED_RECORD", 5],
    ["0113 05 04FD", "error", "TRUNCATED_RECORD", 5],
    [`0113 05 81${"80".repeat(10)}00 13 00`, "error", "TOO_MANY_DIFES", 14],
    [`0113 05 01${"FF".repeat(11)}7F 00`, "error", "TOO_MANY_VIFES", 15],
    ["0113 05 3F 0113 05", "reserved_dif", "RESERVED_DIF", 3],
    ["0113 05 7F 0113 05", "global_readout", "", 3],
    ["0113 05 1F", "more_records", "", 3],
  ];
  for (const [hex, stop, code, at] of cases) {
    const w = walkRecords(fromHex(hex));
    assert.equal(w.stop, stop, hex);
    assert.equal(w.spans.length, 1, hex);
    assert.equal(w.error?.code ?? "", code, hex);
    assert.equal(w.stop === "error" ? w.error?.offset : w.stopAt, at, hex);
  }
  assert.equal(walkRecords(fromHex("0113 05 1F")).manufacturerData, null);
  assert.deepEqual(
    walkRecords(fromHex("0113 05 7F 01")).manufacturerData,
    fromHex("01"),
  );
});

Deno.test("readRecordSpan() without data reads compact-frame headers (LVAR DIFs allowed)", () => {
  const format = fromHex("0C13 0D78 02FD1700");
  const a = readRecordSpan(format, 0, false);
  assert.ok(!("code" in a));
  assert.equal(a.headerEnd, 2);
  assert.equal(a.dataLength, 0);
  const b = readRecordSpan(format, 2, false);
  assert.ok(!("code" in b));
  assert.equal(b.headerEnd, 4);
  assert.equal(b.lvar, -1);
});

Deno.test("walkRecords() never throws and always ends on random bytes", () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let i = 0; i < 5000; i++) {
    const bytes = Uint8Array.from({ length: rnd() % 80 }, rnd);
    const w = walkRecords(bytes);
    let last = 0;
    for (const s of w.spans) {
      assert.ok(s.start >= last && s.end <= bytes.length && s.end > s.start);
      last = s.end;
    }
    assert.ok(w.stopAt <= bytes.length);
  }
});
