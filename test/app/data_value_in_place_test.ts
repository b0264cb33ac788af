/**
 * The data fields are read in place (bytes and offset, no reader or view per record):
 * every fixed type at any offset agrees with an independent DataView reading of a copy,
 * BCD over an offset and length agrees with BCD over the copied bytes, and DIFE place
 * values agree with the 2^(1+4n) / 4^n / 2^n rule for the whole DIFE chain.
 */
import assert from "node:assert/strict";
import type { DataType } from "../../src/app/mod.ts";
import { readRecordSpan } from "../../src/app/mod.ts";
import { readFixed } from "../../src/app/_data_value.ts";
import { decodeBcdNumber, formatBcd } from "../../src/util/mod.ts";
import { seededRandom } from "../_helpers/random.ts";

function reference(field: Uint8Array, type: DataType): unknown {
  const v = new DataView(field.buffer, field.byteOffset, field.byteLength);
  switch (type) {
    case "int8":
      return v.getInt8(0);
    case "int16":
      return v.getInt16(0, true);
    case "int24":
      return (v.getUint16(0, true) + v.getUint8(2) * 0x10000) << 8 >> 8;
    case "int32":
      return v.getInt32(0, true);
    case "int48": {
      let n = 0n;
      for (let i = 5; i >= 0; i--) n = (n << 8n) | BigInt(field[i] ?? 0);
      return Number(BigInt.asIntN(48, n));
    }
    case "int64":
      return Number(v.getBigInt64(0, true));
    case "real32": {
      const f = v.getFloat32(0, true);
      return Number.isNaN(f) ? null : f;
    }
    default: {
      // BCD types: digits most significant first, F top nibble negative, else text.
      const digits = formatBcd(field.slice());
      const negative = digits.startsWith("F");
      const body = negative ? digits.slice(1) : digits;
      if (!/^[0-9]*$/.test(body)) return digits;
      const n = Number(body || "0");
      return negative ? -n : n;
    }
  }
}

const LENGTHS: ReadonlyArray<[DataType, number]> = [
  ["int8", 1],
  ["int16", 2],
  ["int24", 3],
  ["int32", 4],
  ["int48", 6],
  ["int64", 8],
  ["real32", 4],
  ["bcd2", 1],
  ["bcd4", 2],
  ["bcd6", 3],
  ["bcd8", 4],
  ["bcd12", 6],
];

Deno.test("readFixed() in place agrees with a DataView reading of a copy, at any offset", () => {
  const rnd = seededRandom(0x5eed_0123);
  const byte = () => Math.floor(rnd() * 256);
  for (let round = 0; round < 3000; round++) {
    const buf = Uint8Array.from({ length: 24 }, byte);
    // Every other round, decimal digits only, so the BCD numeric path is exercised.
    if (round % 2 === 0) {
      for (let i = 0; i < buf.length; i++) {
        buf[i] = (Math.floor(rnd() * 10) << 4) | Math.floor(rnd() * 10);
      }
      if (round % 4 === 0) buf[buf.length - 1] = 0xf0 | (byte() % 10);
    }
    const at = Math.floor(rnd() * 12);
    for (const [type, n] of LENGTHS) {
      const field = buf.slice(at, at + n);
      assert.deepEqual(
        readFixed(buf, at, type),
        reference(field, type),
        `${type} at ${at} of ${Array.from(buf, (b) => b.toString(16))}`,
      );
      assert.deepEqual(
        [decodeBcdNumber(buf, at, n), formatBcd(buf, at, n)],
        [decodeBcdNumber(field), formatBcd(field)],
      );
    }
  }
});

Deno.test("readRecordSpan() storage, tariff and subunit follow the DIFE place values over 10 DIFEs", () => {
  const rnd = seededRandom(77);
  for (let round = 0; round < 500; round++) {
    const count = 1 + Math.floor(rnd() * 10);
    const difes = Array.from(
      { length: count },
      (_, i) => Math.floor(rnd() * 128) | (i < count - 1 ? 0x80 : 0),
    );
    const dif = 0x80 | (rnd() < 0.5 ? 0x40 : 0) | 0x04;
    const bytes = Uint8Array.from([dif, ...difes, 0x13, 1, 2, 3, 4]);
    const span = readRecordSpan(bytes, 0);
    assert.ok(!("code" in span), "a valid record");
    let storage = (dif >> 6) & 1;
    let tariff = 0;
    let subunit = 0;
    difes.forEach((b, n) => {
      storage += (b & 0x0f) * 2 ** (1 + 4 * n);
      tariff += ((b >> 4) & 0x03) * 2 ** (2 * n);
      subunit += ((b >> 6) & 1) * 2 ** n;
    });
    assert.deepEqual(
      [span.storage, span.tariff, span.subunit, span.difeCount],
      [storage, tariff, subunit, count],
    );
  }
});
