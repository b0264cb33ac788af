import assert from "node:assert/strict";
import { formatOf, splitRecords } from "../../../src/wmbus/drivers/_records.ts";
import { fromHex, toHex } from "../../../src/util/mod.ts";

Deno.test("formatOf() is the record headers that splitRecords() finds, joined", () => {
  let seed = 99;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed >> 8;
  };
  const samples = [
    fromHex("2F2F0C13785634120B3B1234564C1311223344426C9F2C02FD17000001FD0C03"),
    fromHex("0DFD0C05414243444584800100010000000F0102"),
  ];
  for (let i = 0; i < 3000; i++) {
    samples.push(Uint8Array.from({ length: next() % 40 }, () => next() & 0xff));
  }
  for (const data of samples) {
    const keys = splitRecords(data).entries.map((e) => e.key).join("");
    assert.equal(toHex(formatOf(data)).toUpperCase(), keys);
  }
});
