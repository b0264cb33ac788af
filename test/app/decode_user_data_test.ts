import assert from "node:assert/strict";
import { fromHex } from "../../src/util/mod.ts";
import { decodeRecords, decodeUserData } from "../../src/app/mod.ts";

/** The Engelmann WaterStar frame of mbus-wired.md §5 (user data after CI 0x72). */
const WATERSTAR = fromHex(
  "54 02 99 04 C5 14 00 06 0C 27 00 00 04 78 2E 25 4C 00 04 6D 0A 0C CD 13 04 13 4C 01 00 00" +
    " 44 13 4B 01 00 00 84 01 13 4C 01 00 00 42 6C BF 1C 02 6C DF 1C 04 3B 00 00 00 00" +
    " 14 3B 16 08 00 00 02 23 A7 04 01 FD 17 00 04 90 28 08 00 00 00",
);

Deno.test("decodeUserData() decodes the WaterStar long header and records", () => {
  const r = decodeUserData(0x72, WATERSTAR);
  assert.ok(r.ok);
  const t = r.value;
  assert.deepEqual(t.header, {
    id: "04990254",
    manufacturer: "EFE",
    version: 0,
    medium: { code: 6, name: "Warm water (30-90°C)" },
    accessNumber: 12,
    status: 0x27,
    signature: 0,
  });
  assert.equal(t.error, null);
  const v = t.records.map((x) => [x.quantity, x.storage, x.value, x.unit]);
  assert.deepEqual(v, [
    ["Fabrication No", 0, 4990254, ""],
    ["Time point (date & time)", 0, "2014-03-13T12:10:00Z", ""],
    ["Volume", 0, 0.332, "m^3"],
    ["Volume", 1, 0.331, "m^3"],
    ["Volume", 2, 0.332, "m^3"],
    ["Time point (date)", 1, "2013-12-31", ""],
    ["Time point (date)", 0, "2014-12-31", ""],
    ["Volume flow", 0, 0, "m^3/h"],
    ["Volume flow", 0, 2.07, "m^3/h"],
    ["On time", 0, 1191 * 86400, "s"],
    ["Error flags", 0, 0, ""],
    ["Volume", 0, 8e-6, "m^3"],
  ]);
  assert.equal(t.records[8]?.function, "maximum");
  assert.deepEqual(t.records[11]?.vifeDescriptions, [
    "increment per input pulse on input channel #0",
  ]);
});

Deno.test("decodeUserData() keeps raw values with applyUnitFactor false", () => {
  const r = decodeUserData(0x72, WATERSTAR, { applyUnitFactor: false });
  assert.ok(r.ok);
  assert.equal(r.value.records[2]?.value, 332);
  assert.equal(r.value.records[9]?.unit, "d");
});

Deno.test("decodeUserData() rejects an unknown CI with UNSUPPORTED_CI", () => {
  const r = decodeUserData(0x99, new Uint8Array(4));
  assert.ok(!r.ok);
  assert.equal(r.error.code, "UNSUPPORTED_CI");
});

Deno.test("decodeUserData() rejects a short long header with TRUNCATED_HEADER", () => {
  const r = decodeUserData(0x72, fromHex("78 56 34 12 24"));
  assert.ok(!r.ok);
  assert.equal(r.error.code, "TRUNCATED_HEADER");
});

Deno.test("decodeRecords() returns the records before a truncated one", () => {
  const r = decodeRecords(fromHex("03 13 15 31 00 DA 02 3B 13 01 8B 60 04 37"));
  assert.equal(r.records.length, 2);
  assert.equal(r.error?.code, "TRUNCATED_RECORD");
  assert.equal(r.error?.offset, 13);
});

Deno.test("decodeUserData() decodes fixed data (CI 0x73) of mbus-wired.md §3.11", () => {
  const r = decodeUserData(
    0x73,
    fromHex("78 56 34 12 0A 00 E9 7E 01 00 00 00 35 01 00 00"),
  );
  assert.ok(r.ok);
  assert.equal(r.value.header?.id, "12345678");
  assert.deepEqual(r.value.header?.medium, { code: 7, name: "Water" });
  assert.deepEqual(
    r.value.records.map((x) => [x.raw, x.value, x.unit, x.storage]),
    [
      [1, 0.001, "m^3", 0],
      [135, 0.135, "m^3", 1],
    ],
  );
});

Deno.test("decodeUserData() reads mode 2 fields most significant byte first (CI 0x76, 0x77)", () => {
  const header = "78 56 34 12 2D 2C 01 07 01 00 00 00";
  const r = decodeUserData(
    0x76,
    fromHex(`${header} 04 13 00 00 01 4C 0A 13 01 23`),
  );
  assert.ok(r.ok);
  assert.deepEqual(r.value.records.map((x) => x.raw), [332, 123]);
  const f = decodeUserData(
    0x77,
    fromHex("78 56 34 12 0A 00 E9 7E 00 00 00 01 00 00 01 35"),
  );
  assert.ok(f.ok);
  assert.deepEqual(f.value.records.map((x) => x.raw), [1, 135]);
});

Deno.test("decodeUserData() decodes CI 0x70 application errors as a typed error", () => {
  const r = decodeUserData(0x70, fromHex("08"));
  assert.ok(r.ok);
  assert.equal(r.value.applicationError, 8);
  assert.equal(r.value.error?.code, "APPLICATION_ERROR");
});

Deno.test("decodeUserData() decodes a short header (CI 0x7A) and no header (CI 0x78)", () => {
  const a = decodeUserData(0x7a, fromHex("2a 00 00 00 01 13 05"));
  assert.ok(a.ok);
  assert.equal(a.value.header?.accessNumber, 0x2a);
  assert.equal(a.value.records[0]?.raw, 5);
  const b = decodeUserData(0x78, fromHex("2f 2f 01 13 05"));
  assert.ok(b.ok);
  assert.equal(b.value.header, null);
  assert.equal(b.value.records[0]?.raw, 5);
});
