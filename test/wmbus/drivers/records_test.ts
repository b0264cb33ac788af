/**
 * Record splitting, values, dates and VIF ranges of the driver engine.
 */
import assert from "node:assert/strict";
import {
  expandCompact,
  formatOf,
  splitRecords,
} from "../../../src/wmbus/drivers/_dv.ts";
import {
  bcdLE,
  dateG,
  dateTimeF,
  dateTimeI,
  intLE,
  rawNumber,
  round6,
} from "../../../src/wmbus/drivers/_values.ts";
import {
  inVifRange,
  VIF_ROWS,
  vifFactor,
} from "../../../src/wmbus/drivers/_vif.ts";
import { fromHex, toHex } from "../../../src/util/mod.ts";

Deno.test("splitRecords() skips fillers and reads storage, tariff, subunit and measurement type", () => {
  const r = splitRecords(
    fromHex(
      "2F2F 0C13 78563412 4C13 01000000 8E2003 010000000000 C4801013 05000000 1B2B 010000",
    ),
  );
  assert.equal(r.error, null);
  assert.deepEqual(r.entries.map((e) => e.key), [
    "0C13",
    "4C13",
    "8E2003",
    "C4801013",
    "1B2B",
  ]);
  const [total, target, tariff, sub, max] = r.entries;
  assert.equal(total?.storage, 0);
  assert.equal(target?.storage, 1);
  assert.equal(tariff?.tariff, 2);
  assert.deepEqual([sub?.storage, sub?.tariff, sub?.subunit], [1, 4, 0]);
  assert.equal(max?.mt, "maximum");
});

Deno.test("splitRecords() keeps manufacturer data after 0F and stops", () => {
  const r = splitRecords(fromHex("0413 01000000 0F AABBCC"));
  assert.equal(r.entries.length, 1);
  assert.equal(toHex(r.manufacturerData ?? new Uint8Array()), "aabbcc");
});

Deno.test("splitRecords() reports a truncated record with its offset and keeps earlier ones", () => {
  const r = splitRecords(fromHex("0413 01000000 0413 0100"));
  assert.equal(r.entries.length, 1);
  assert.deepEqual(r.error, { code: "TRUNCATED_RECORD", offset: 6 });
});

Deno.test("splitRecords() reads extension VIFs, combinables and LVAR data", () => {
  const r = splitRecords(
    fromHex("0AFDC9FC01 3602 04A9FF01 FF240000 0DFD11 03 313233 02FD971D 0100"),
  );
  const [volt, phase, text, flags] = r.entries;
  assert.equal(volt?.vif, 0xfd49);
  assert.deepEqual(volt?.combinables, ["7C01"]);
  assert.deepEqual(phase?.combinables, ["7F01"]);
  assert.equal(toHex(text?.data ?? new Uint8Array()), "313233");
  assert.deepEqual(flags?.combinables, ["1D"]);
});

Deno.test("splitRecords() never throws on random input and always terminates", () => {
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (let n = 0; n < 3000; n++) {
    const bytes = Uint8Array.from({ length: rnd() % 64 }, rnd);
    const r = splitRecords(bytes);
    for (const e of r.entries) assert.ok(e.offset < bytes.length);
  }
});

Deno.test("formatOf() and expandCompact() round-trip a frame", () => {
  const full = fromHex(
    "02FF20 7100 0413 08190000 4413 08190000 615B 7F 6167 13",
  );
  const format = formatOf(full);
  assert.equal(toHex(format), "02ff2004134413615b6167");
  const data = fromHex("7100 08190000 08190000 7F 13");
  assert.deepEqual(expandCompact(format, data), full);
  assert.equal(expandCompact(format, data.subarray(0, 5)), null);
});

Deno.test("integers, BCD and reals decode with signs", () => {
  assert.equal(intLE(fromHex("FEFF")), -2);
  assert.equal(bcdLE(fromHex("22 00 00 F0")), -22);
  assert.ok(Number.isNaN(bcdLE(fromHex("FF FF"))));
  const [real] = splitRecords(fromHex("0513 0000803F")).entries;
  assert.ok(real !== undefined);
  assert.equal(rawNumber(real), 1);
  assert.equal(round6(0.1 + 0.2), 0.3);
  assert.equal(Object.is(round6(-0.0000001), 0), true);
});

Deno.test("dates: type G normalises day 0 and rejects all-ones; F and I add time", () => {
  assert.equal(dateG(fromHex("9F2C")), "2020-12-31");
  assert.equal(dateG(fromHex("0000")), "1999-11-30");
  assert.equal(dateG(fromHex("FFFF")), null);
  assert.equal(dateTimeF(fromHex("270C 9F2C")), "2020-12-31 12:39");
  assert.equal(dateTimeI(fromHex("2C 1A 01 9F2C 00")), "2020-12-31 01:26:44");
});

Deno.test("VIF ranges: factors bring values to kWh, m3, kW, °C, hours", () => {
  assert.equal(vifFactor(0x13), 0.001);
  assert.equal(vifFactor(0x06), 1);
  assert.ok(Math.abs(vifFactor(0x0e) * 3.6 - 1) < 1e-12); // 1 MJ → kWh
  assert.equal(vifFactor(0x22), 1); // on time in hours
  assert.equal(vifFactor(0x20), 1 / 3600);
  assert.ok(inVifRange(0xfb09, "AnyEnergyVIF"));
  assert.ok(!inVifRange(0x13, "AnyEnergyVIF"));
});

Deno.test("VIF rows do not overlap and have one factor per code", () => {
  const rows = [...VIF_ROWS].sort((a, b) => a.from - b.from);
  for (let i = 1; i < rows.length; i++) {
    const prev = rows[i - 1];
    const row = rows[i];
    assert.ok(
      prev !== undefined && row !== undefined && prev.to < row.from,
      `${prev?.range} overlaps ${row?.range}`,
    );
  }
  for (const r of VIF_ROWS) {
    assert.equal(r.factors.length, r.to - r.from + 1, r.range);
  }
});
