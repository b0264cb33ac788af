import assert from "node:assert/strict";
import {
  COMBINABLE_EXT_VIFE_ROWS,
  COMBINABLE_VIFE_ROWS,
  decodeRecords,
  encodeRecord,
  FB_VIF_ROWS,
  FD_VIF_ROWS,
  MEDIUM_ROWS,
  mediumName,
  PRIMARY_VIF_ROWS,
  type VifRow,
} from "../../src/app/mod.ts";
import { byteHex } from "../../src/util/mod.ts";

const TABLES: [string, readonly { first: number; last: number }[]][] = [
  ["primary VIF", PRIMARY_VIF_ROWS],
  ["FD VIF", FD_VIF_ROWS],
  ["FB VIF", FB_VIF_ROWS],
  ["combinable VIFE", COMBINABLE_VIFE_ROWS],
  ["combinable extension VIFE", COMBINABLE_EXT_VIFE_ROWS],
];

for (const [name, rows] of TABLES) {
  Deno.test(`${name} table covers 0x00-0x7F once, in order, without overlap`, () => {
    let next = 0;
    for (const r of rows) {
      assert.equal(r.first, next, `${name}: row at 0x${byteHex(r.first)}`);
      assert.ok(r.last >= r.first);
      next = r.last + 1;
    }
    assert.equal(next, 0x80);
  });
}

Deno.test("medium table has unique codes and names every code", () => {
  assert.equal(
    new Set(MEDIUM_ROWS.map((r) => r.code)).size,
    MEDIUM_ROWS.length,
  );
  assert.equal(mediumName(0x04), "Heat: Outlet");
  assert.equal(mediumName(0x16), "Cold water");
  assert.equal(mediumName(0x45), "Reserved");
});

const DURATION_SECONDS = [1, 60, 3600, 86400, 2629743.83, 31556926];

function expectedFactor(row: VifRow, code: number): number {
  const step = code - row.first;
  if (row.kind === "scaled") return 10 ** (row.exponent + step);
  if (row.kind === "duration") {
    return DURATION_SECONDS[row.exponent + step] ?? NaN;
  }
  return 1;
}

/** Encodes one record per table entry with a numeric value and decodes it back. */
function checkTable(
  rows: readonly VifRow[],
  vibOf: (code: number) => { vif: string; vife: string[] },
): void {
  for (const row of rows) {
    if (["text", "any", "manufacturer", "extension"].includes(row.kind)) {
      continue;
    }
    for (let code = row.first; code <= row.last; code++) {
      const dataType = row.kind === "date"
        ? "dateG"
        : row.kind === "daylight"
        ? "dateK"
        : "int32";
      const raw = dataType === "dateG"
        ? "2024-02-29"
        : dataType === "dateK"
        ? "01020304"
        : 12345;
      const vib = vibOf(code);
      const r = decodeRecords(encodeRecord({ dataType, ...vib, raw }));
      const rec = r.records[0];
      const ctx = `${vib.vif} ${vib.vife.join(" ")}`;
      assert.equal(r.error, null, ctx);
      assert.ok(rec, ctx);
      assert.equal(rec.quantity, row.quantity, ctx);
      assert.equal(rec.unit, row.unit, ctx);
      assert.equal(rec.raw, raw, ctx);
      if (typeof raw === "number") {
        const want = raw * expectedFactor(row, code);
        assert.ok(
          Math.abs((rec.value as number) - want) <= 1e-9 * Math.abs(want),
          ctx,
        );
      } else assert.equal(rec.value, raw, ctx);
    }
  }
}

Deno.test("every primary VIF entry decodes to its quantity, unit and factor", () => {
  checkTable(PRIMARY_VIF_ROWS, (c) => ({ vif: byteHex(c), vife: [] }));
});

Deno.test("every FD extension entry decodes to its quantity, unit and factor", () => {
  checkTable(FD_VIF_ROWS, (c) => ({ vif: "fd", vife: [byteHex(c)] }));
});

Deno.test("every FB extension entry decodes to its quantity, unit and factor", () => {
  checkTable(FB_VIF_ROWS, (c) => ({ vif: "fb", vife: [byteHex(c)] }));
});

Deno.test("every combinable VIFE code decodes with its description", () => {
  for (let code = 0; code < 0x80; code++) {
    if (code === 0x7c) continue;
    const r = decodeRecords(
      encodeRecord({
        dataType: "int8",
        vif: "13",
        vife: [byteHex(code)],
        raw: 1,
      }),
    );
    assert.equal(r.error, null);
    assert.equal(r.records[0]?.vifeDescriptions.length, 1);
  }
  const r = decodeRecords(
    encodeRecord({
      dataType: "int8",
      vif: "fd",
      vife: ["48", "fc", "01"],
      raw: 1,
    }),
  );
  assert.deepEqual(r.records[0]?.vifeDescriptions, ["at phase L1"]);
});

Deno.test("multiplicative correction VIFEs scale the value (0x70-0x77, 0x7D)", () => {
  const v = (vife: string) =>
    decodeRecords(
      encodeRecord({ dataType: "int16", vif: "06", vife: [vife], raw: 5 }),
    ).records[0]?.value;
  assert.equal(v("70"), 5e-3); // 10^3 Wh × 10^-6
  assert.equal(v("76"), 5000);
  assert.equal(v("7d"), 5e6);
});

Deno.test("additive correction VIFEs (0x78-0x7B) add 10^(n-3) to the value, as libmbus", () => {
  const rec = decodeRecords(
    encodeRecord({ dataType: "int16", vif: "13", vife: ["7a"], raw: 5 }),
  ).records[0];
  assert.equal(rec?.value, 0.005 + 0.1);
  assert.equal(rec?.offset, 0.1);
  assert.equal(rec?.factor, 0.001);
});

Deno.test("manufacturer specific VIF keeps its VIFEs and reads data by DIF length", () => {
  const r = decodeRecords(
    Uint8Array.of(0x02, 0xff, 0x81, 0x02, 0x34, 0x12, 0x01, 0x13, 0x05),
  );
  assert.equal(r.error, null);
  assert.equal(r.records.length, 2);
  assert.equal(r.records[0]?.quantity, "Manufacturer specific");
  assert.equal(r.records[0]?.raw, 0x1234);
  assert.deepEqual(r.records[0]?.vife, ["81", "02"]);
});
