import assert from "node:assert/strict";
import { fromHex, toHex } from "../../src/util/mod.ts";
import {
  type DataRecord,
  decodeManufacturer,
  decodeRecords,
  decodeUserData,
  encodeManufacturer,
  encodeRecord,
  encodeRecords,
  encodeUserData,
  type RecordInput,
} from "../../src/app/mod.ts";
import {
  ALL_TYPES,
  generateHeader,
  generateRecord,
  Prng,
} from "./_generate.ts";

function sameRecord(
  got: DataRecord | undefined,
  want: RecordInput,
  context: string,
): void {
  assert.ok(got, `${context}: no record`);
  assert.equal(got.dataType, want.dataType, context);
  assert.equal(got.function, want.function, context);
  assert.equal(got.storage, want.storage, context);
  assert.equal(got.tariff, want.tariff, context);
  assert.equal(got.subunit, want.subunit, context);
  assert.equal(got.vif.slice(1), want.vif.slice(1), context); // bit 7 is set by the encoder
  assert.deepEqual(
    got.vife.map((v) => (parseInt(v, 16) & 0x7f).toString(16).padStart(2, "0")),
    (want.vife ?? []).map((v) =>
      (parseInt(v, 16) & 0x7f).toString(16).padStart(2, "0")
    ),
    context,
  );
  assert.deepEqual(got.raw, want.raw, context);
  if (want.vifText !== undefined) {
    assert.equal(got.quantity, want.vifText, context);
  }
}

Deno.test("encodeRecord() round-trips 20,000 seeded records of every data type", () => {
  const p = new Prng(1234);
  for (let i = 0; i < 20_000; i++) {
    const type = ALL_TYPES[i % ALL_TYPES.length] ?? "int32";
    const input = generateRecord(p, type);
    const bytes = encodeRecord(input);
    const r = decodeRecords(bytes);
    const context = `#${i} ${JSON.stringify(input)} -> ${toHex(bytes, " ")}`;
    assert.equal(r.error, null, context);
    assert.equal(r.records.length, 1, context);
    sameRecord(r.records[0], input, context);
  }
});

Deno.test("encodeUserData() round-trips telegrams with header, tail and more-records flag", () => {
  const p = new Prng(99);
  for (let i = 0; i < 2_000; i++) {
    const header = generateHeader(p);
    const records = Array.from(
      { length: p.int(0, 12) },
      () => generateRecord(p, p.pick(ALL_TYPES)),
    );
    const more = p.int(0, 2) === 0;
    const tail = p.int(0, 2) === 0 ? p.bytes(p.int(1, 10)) : undefined;
    const ci = p.pick([0x72, 0x7a, 0x78]);
    const { data } = encodeUserData({
      ci,
      header,
      records,
      moreRecordsFollow: more,
      ...(tail ? { manufacturerData: tail } : {}),
    });
    const r = decodeUserData(ci, data);
    assert.ok(r.ok);
    const t = r.value;
    assert.equal(t.error, null);
    if (ci === 0x72) {
      assert.deepEqual(t.header, {
        ...header,
        medium: { code: 7, name: "Water" },
      });
    }
    if (ci === 0x7a) assert.equal(t.header?.accessNumber, header.accessNumber);
    assert.equal(t.records.length, records.length);
    records.forEach((rec, k) =>
      sameRecord(t.records[k], rec, `telegram ${i} record ${k}`)
    );
    assert.equal(t.moreRecordsFollow, more);
    assert.equal(t.manufacturerData, tail ? toHex(tail) : more ? null : null);
  }
});

Deno.test("encodeRecord() builds DIF and DIFEs from storage, tariff and subunit", () => {
  const bytes = encodeRecord({
    dataType: "int32",
    storage: 2,
    vif: "13",
    raw: 332,
  });
  assert.equal(toHex(bytes, " "), "84 01 13 4c 01 00 00");
  const t = encodeRecord({
    dataType: "bcd8",
    tariff: 1,
    subunit: 1,
    vif: "06",
    raw: 35,
  });
  assert.equal(toHex(t, " "), "8c 50 06 35 00 00 00");
});

Deno.test("encodeRecord() writes a plain-text VIF reversed before its VIFEs", () => {
  const bytes = encodeRecord({
    dataType: "int16",
    vif: "fc",
    vifText: "%RH",
    vife: ["74"],
    raw: 4564,
  });
  assert.equal(toHex(bytes, " "), "02 fc 03 48 52 25 74 d4 11");
  const r = decodeRecords(bytes);
  assert.equal(r.records[0]?.quantity, "%RH");
  assert.equal(r.records[0]?.value, 45.64);
});

Deno.test("encodeRecord() keeps explicit DIF and DIFE bytes", () => {
  const bytes = encodeRecord({
    dif: "8b",
    dife: ["60"],
    vif: "04",
    raw: 21837,
  });
  assert.equal(toHex(bytes, " "), "8b 60 04 37 18 02");
  const r = decodeRecords(bytes);
  assert.equal(r.records[0]?.tariff, 2);
  assert.equal(r.records[0]?.subunit, 1);
});

Deno.test("encodeRecord() throws RangeError or TypeError on values that do not fit", () => {
  assert.throws(
    () => encodeRecord({ dataType: "int8", vif: "13", raw: 300 }),
    RangeError,
  );
  assert.throws(
    () => encodeRecord({ dataType: "bcd2", vif: "13", raw: 123 }),
    RangeError,
  );
  assert.throws(
    () => encodeRecord({ dataType: "int16", vif: "13", raw: "x" }),
    TypeError,
  );
  assert.throws(
    () => encodeRecord({ dataType: "int16", vif: "zz", raw: 1 }),
    TypeError,
  );
  assert.throws(
    () => encodeRecord({ dataType: "binary", vif: "13", raw: "00".repeat(17) }),
    RangeError,
  );
});

Deno.test("encodeUserData() ends with DIF 0x1F or 0x0F and the manufacturer bytes", () => {
  const a = encodeUserData({ ci: 0x78, records: [], moreRecordsFollow: true });
  assert.equal(toHex(a.data), "1f");
  const b = encodeUserData({
    ci: 0x78,
    records: [],
    manufacturerData: fromHex("01 02"),
  });
  assert.equal(toHex(b.data), "0f0102");
  assert.throws(() => encodeUserData({ ci: 0x72, records: [] }), RangeError);
  assert.throws(() => encodeUserData({ ci: 0x99, records: [] }), RangeError);
});

Deno.test("encodeRecords() concatenates records", () => {
  const bytes = encodeRecords([
    { dataType: "int32", vif: "06", raw: 1 },
    { dataType: "none", vif: "13", raw: null },
  ]);
  assert.equal(toHex(bytes, " "), "04 06 01 00 00 00 00 13");
});

Deno.test("encodeManufacturer() and decodeManufacturer() map the doc's table", () => {
  const table: [string, number][] = [
    ["EFE", 0x14c5],
    ["GWF", 0x1ee6],
    ["KAM", 0x2c2d],
    ["APA", 0x0601],
    ["TCH", 0x5068],
    ["DME", 0x11a5],
    ["HYD", 0x2324],
    ["SAP", 0x4c30],
    ["QDS", 0x4493],
    ["SEN", 0x4cae],
    ["SON", 0x4dee],
  ];
  for (const [letters, code] of table) {
    assert.equal(encodeManufacturer(letters), code);
    assert.equal(decodeManufacturer(code), letters);
    assert.equal(decodeManufacturer(code | 0x8000), letters);
  }
  assert.throws(() => encodeManufacturer("K1M"), RangeError);
});
