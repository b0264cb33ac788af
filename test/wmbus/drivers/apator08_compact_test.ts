/**
 * apator08 in a compact frame whose data is shorter than the 4-byte counter: the volume
 * record the frame expands to counts, in thirds (as the reference reads it).
 */
import assert from "node:assert/strict";
import {
  createMeterState,
  decodeWithDriver,
} from "../../../src/wmbus/drivers/mod.ts";
import { crcWmbus } from "../../../src/wmbus/crc.ts";
import { fromHex, toHex } from "../../../src/util/mod.ts";
import { telegram } from "./_telegram.ts";

const APT = { manufacturer: "APT", version: 0x03, deviceType: 0x03 };
const le = (v: number) => toHex(Uint8Array.of(v & 0xff, v >> 8));

Deno.test("apator08: a compact frame with 2 data bytes reads its volume record in thirds", () => {
  const state = createMeterState();
  // Full frame: 0A 12 0000 (4-digit BCD, 10^-4 m3). Four payload bytes: the counter
  // 0x0000120A = 4618 thirds of a litre.
  const full = decodeWithDriver(telegram("0A12 0000", { ...APT, ci: 0x78 }), {
    state,
  });
  assert.equal(full.json.total_m3, 1.539333);
  // Compact frame: signature, data CRC, data 74 18 (BCD 1874 -> 0.1874 m3, / 3).
  const sig = le(crcWmbus(fromHex("0A12")));
  const crc = le(crcWmbus(fromHex("0A127418")));
  const c = decodeWithDriver(
    telegram(`${sig} ${crc} 7418`, { ...APT, ci: 0x79 }),
    { state },
  );
  assert.equal(c.ok, true);
  assert.equal(c.json.total_m3, 0.062467);
});
