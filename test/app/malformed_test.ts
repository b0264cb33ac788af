import assert from "node:assert/strict";
import { fromHex } from "../../src/util/mod.ts";
import { decodeRecords } from "../../src/app/mod.ts";

const CASES: {
  name: string;
  hex: string;
  code: string;
  offset: number;
  records: number;
}[] = [
  {
    name: "DIFE missing after DIF with extension bit",
    hex: "04 13 01 00 00 00 84",
    code: "TRUNCATED_RECORD",
    offset: 7,
    records: 1,
  },
  {
    name: "VIF missing",
    hex: "04",
    code: "TRUNCATED_RECORD",
    offset: 1,
    records: 0,
  },
  {
    name: "VIFE missing after FD",
    hex: "01 fd",
    code: "TRUNCATED_RECORD",
    offset: 2,
    records: 0,
  },
  {
    name: "VIFE missing after extension bit",
    hex: "01 93",
    code: "TRUNCATED_RECORD",
    offset: 2,
    records: 0,
  },
  {
    name: "data shorter than DIF says",
    hex: "04 13 01 02",
    code: "TRUNCATED_RECORD",
    offset: 2,
    records: 0,
  },
  {
    name: "LVAR missing",
    hex: "0d 13",
    code: "TRUNCATED_RECORD",
    offset: 2,
    records: 0,
  },
  {
    name: "LVAR text longer than data",
    hex: "0d 13 05 41 42",
    code: "TRUNCATED_RECORD",
    offset: 2,
    records: 0,
  },
  {
    name: "reserved LVAR",
    hex: "0d 13 f8 00",
    code: "RESERVED_LVAR",
    offset: 2,
    records: 0,
  },
  {
    name: "plain-text VIF longer than data",
    hex: "01 7c 09 41",
    code: "TRUNCATED_RECORD",
    offset: 2,
    records: 0,
  },
  {
    name: "eleven DIFEs",
    hex: "81 80 80 80 80 80 80 80 80 80 80 00 13 00",
    code: "TOO_MANY_DIFES",
    offset: 11,
    records: 0,
  },
  {
    name: "eleven VIFEs",
    hex: "01 93 a0 a0 a0 a0 a0 a0 a0 a0 a0 a0 20 00",
    code: "TOO_MANY_VIFES",
    offset: 12,
    records: 0,
  },
  {
    name: "reserved DIF 0x3F",
    hex: "01 13 05 3f 01 02",
    code: "RESERVED_DIF",
    offset: 3,
    records: 1,
  },
];

for (const c of CASES) {
  Deno.test(`decodeRecords() reports ${c.code} at ${c.offset}: ${c.name}`, () => {
    const r = decodeRecords(fromHex(c.hex));
    assert.equal(r.error?.code, c.code);
    assert.equal(r.error?.offset, c.offset);
    assert.equal(r.records.length, c.records);
  });
}

Deno.test("decodeRecords() skips 0x2F fillers anywhere", () => {
  const r = decodeRecords(fromHex("2f 2f 01 13 05 2f 01 13 06 2f 2f"));
  assert.equal(r.error, null);
  assert.deepEqual(r.records.map((x) => x.raw), [5, 6]);
  assert.deepEqual(r.records.map((x) => x.index), [0, 1]);
});

Deno.test("decodeRecords() numbers records from startIndex", () => {
  const r = decodeRecords(fromHex("01 13 05"), { startIndex: 7 });
  assert.equal(r.records[0]?.index, 7);
});

Deno.test("decodeRecords() stops at 0x1F and 0x0F and keeps the tail", () => {
  const a = decodeRecords(fromHex("01 13 05 1f"));
  assert.equal(a.moreRecordsFollow, true);
  assert.equal(a.manufacturerData, null);
  const b = decodeRecords(fromHex("0f aa bb"));
  assert.equal(b.moreRecordsFollow, false);
  assert.deepEqual(b.manufacturerData, fromHex("aa bb"));
});

Deno.test("decodeRecords() decodes all data types", () => {
  const r = decodeRecords(fromHex(
    "01 13 ff" + // int8 -1
      " 03 13 fe ff ff" + // int24 -2
      " 06 13 ff ff ff ff ff ff" + // int48 -1
      " 07 13 fe ff ff ff ff ff ff ff" + // int64 -2
      " 05 13 00 00 c0 3f" + // real32 1.5
      " 0a 13 12 f0" + // bcd4 -12
      " 0e 13 56 34 12 00 00 00" + // bcd12 123456
      " 0d 13 03 43 42 41" + // text "ABC"
      " 0d 13 e2 01 02" + // binary "0102"
      " 0d 13 c2 34 12" + // bcdVar 1234
      " 0d 13 d1 05" + // bcdVar -5
      " 09 13 1a" + // bcd2 non-decimal → "1A"
      " 00 13" + // no data
      " 03 6d 05 0a 0c" + // type J 12:10:05
      " 06 6d 05 0a 0c 0d 33 00" + // type I
      " 04 6d 8a 0c cd 13" + // type F, IV set
      " 02 6c ff ff" + // type G invalid
      " 04 fd 72 01 02 03 04", // type K
  ));
  assert.equal(r.error, null);
  assert.deepEqual(r.records.map((x) => x.raw), [
    -1,
    -2,
    -1,
    -2,
    1.5,
    -12,
    123456,
    "ABC",
    "0102",
    1234,
    -5,
    "1A",
    null,
    "12:10:05",
    "2024-03-13T12:10:05Z",
    null,
    null,
    "01020304",
  ]);
  assert.deepEqual(r.records.map((x) => x.dataType), [
    "int8",
    "int24",
    "int48",
    "int64",
    "real32",
    "bcd4",
    "bcd12",
    "text",
    "binary",
    "bcdVar",
    "bcdVar",
    "bcd2",
    "none",
    "timeJ",
    "dateTimeI",
    "dateTimeF",
    "dateG",
    "dateK",
  ]);
});

Deno.test("decodeRecords() accumulates storage, tariff and subunit across DIFEs", () => {
  // DIF c4: storage bit 1, function 0; DIFE ff: storage 15, tariff 3, subunit 1, more; DIFE 0f.
  const r = decodeRecords(fromHex("c4 ff 0f 13 00 00 00 00"));
  const rec = r.records[0];
  assert.equal(rec?.storage, 1 + 15 * 2 + 15 * 32);
  assert.equal(rec?.tariff, 3);
  assert.equal(rec?.subunit, 1);
});

Deno.test("decodeRecords() decodes type F with hundred-year bits and summer time", () => {
  // minute 10, hour 12 + hundred-year 1 (bit 13), SU set; day 13, month 3, year 14.
  const r = decodeRecords(fromHex("04 6d 0a ac cd 13"));
  assert.equal(r.records[0]?.raw, "2014-03-13T12:10:00Z");
  const s = decodeRecords(fromHex("04 6d 0a 4c cd 13"));
  assert.equal(s.records[0]?.raw, "2114-03-13T12:10:00Z");
});

Deno.test("decodeRecords() ends at a global readout request (DIF 0x7F)", () => {
  const r = decodeRecords(fromHex("01 7a 05 7f"));
  assert.equal(r.error, null);
  assert.equal(r.globalReadout, true);
  assert.equal(r.records.length, 1);
  assert.equal(r.manufacturerData, null);
});
