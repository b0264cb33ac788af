/**
 * Record splitting, values, dates and VIF ranges of the driver engine.
 */
import assert from "node:assert/strict";
import {
  dateText,
  type DvEntry,
  formatOf,
  intLE,
  rawNumber,
  round6,
  splitRecords,
} from "../../../src/wmbus/drivers/_records.ts";
import {
  inVifRange,
  vifFactor,
  vifRanges,
  vifRow,
} from "../../../src/wmbus/drivers/_vif_ref.ts";
import { decodeRecords } from "../../../src/app/mod.ts";
import { expandCompactData } from "../../../src/wmbus/compact_format.ts";
import { decodeBcdNumber, fromHex, toHex } from "../../../src/util/mod.ts";

/** A date record with the given data bytes (VIF 6C for 2 bytes, 6D otherwise). */
function dateEntry(hex: string): DvEntry {
  const data = fromHex(hex);
  const dif = data.length === 2 ? 0x02 : data.length === 4 ? 0x04 : 0x06;
  const vif = data.length === 2 ? 0x6c : 0x6d;
  const bytes = Uint8Array.of(dif, vif, ...data);
  const e = splitRecords(bytes).entries[0];
  assert.ok(e !== undefined);
  return e;
}

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

Deno.test("splitRecords() reports a truncated record at its short field and keeps earlier ones", () => {
  const r = splitRecords(fromHex("0413 01000000 0413 0100"));
  assert.equal(r.entries.length, 1);
  // The walker names the data field that is cut short (the record starts at 6).
  assert.deepEqual(r.error, { code: "TRUNCATED_RECORD", offset: 8 });
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

Deno.test("formatOf() and expandCompactData() round-trip a frame", () => {
  const full = fromHex(
    "02FF20 7100 0413 08190000 4413 08190000 615B 7F 6167 13",
  );
  const format = formatOf(full);
  assert.equal(toHex(format), "02ff2004134413615b6167");
  const data = fromHex("7100 08190000 08190000 7F 13");
  assert.deepEqual(expandCompactData(format, data), full);
  assert.equal(expandCompactData(format, data.subarray(0, 5)), null);
});

Deno.test("integers, BCD and reals decode with signs", () => {
  assert.equal(intLE(fromHex("FEFF")), -2);
  assert.equal(decodeBcdNumber(fromHex("22 00 00 F0")), -22);
  assert.equal(decodeBcdNumber(fromHex("FF FF")), undefined);
  const [real] = splitRecords(fromHex("0513 0000803F")).entries;
  assert.ok(real !== undefined);
  assert.equal(rawNumber(real), 1);
  assert.equal(round6(0.1 + 0.2), 0.3);
  assert.equal(Object.is(round6(-0.0000001), 0), true);
});

Deno.test("dates: type G normalises day 0 and rejects all-ones; F and I add time", () => {
  assert.equal(dateText(dateEntry("9F2C")), "2020-12-31");
  assert.equal(dateText(dateEntry("0000")), "1999-11-30");
  assert.equal(dateText(dateEntry("FFFF")), null);
  assert.equal(dateText(dateEntry("270C 9F2C")), "2020-12-31 12:39");
  assert.equal(dateText(dateEntry("2C 1A 01 9F2C 00")), "2020-12-31 01:26:44");
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

Deno.test("VIF ranges come from the app table's reference column: each is one contiguous block", () => {
  const ranges = vifRanges();
  assert.ok(ranges.size >= 45, `only ${ranges.size} ranges`);
  for (const [range, codes] of ranges) {
    for (let i = 1; i < codes.length; i++) {
      assert.equal(codes[i], (codes[i - 1] ?? 0) + 1, range);
    }
    for (const c of codes) assert.equal(vifRow(c)?.range, range);
  }
  assert.equal(vifRow(0x6f), undefined);
  assert.equal(vifRow(0xfd3b), undefined);
});

Deno.test("the drivers' walker and the app decoder agree: LVAR F5 = 48 bytes, F6 = 64", () => {
  for (const [lvar, length] of [[0xf5, 48], [0xf6, 64], [0xf0, 16]] as const) {
    const bytes = Uint8Array.of(
      0x0d,
      0x13,
      lvar,
      ...new Uint8Array(length),
      0x01,
      0x13,
      0x07,
    );
    const e = splitRecords(bytes).entries;
    assert.equal(e.length, 2, `LVAR ${lvar.toString(16)}`);
    assert.equal(e[0]?.data.length, length);
    assert.equal(e[1]?.data[0], 7);
    assert.equal(decodeRecords(bytes).records.length, 2);
  }
});

Deno.test("the drivers' walker rejects reserved LVAR codes and stops at DIF 7F", () => {
  const reserved = splitRecords(fromHex("0113 05 0D13 F7 00000000"));
  assert.equal(reserved.entries.length, 1);
  assert.equal(reserved.error?.code, "RESERVED_LVAR");
  assert.equal(reserved.error?.offset, 5);
  const readout = splitRecords(fromHex("0113 05 7F 0113 06"));
  assert.equal(readout.entries.length, 1);
  assert.equal(readout.error, null);
  assert.equal(readout.manufacturerData, null);
});
