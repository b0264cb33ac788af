import assert from "node:assert/strict";
import {
  ByteReader,
  ByteWriter,
  decodeBcdNumber,
  encodeBcd,
  encodeBcdNumber,
  formatBcd,
  fromHex,
  parseHex,
  toHex,
  VirtualClock,
} from "../../src/util/mod.ts";

Deno.test("parseHex() ignores whitespace and reports odd and bad digits", () => {
  assert.equal(toHex(fromHex("68 03\n03 68")), "68030368");
  const odd = parseHex("68 0");
  assert.equal(odd.ok, false);
  if (!odd.ok) assert.equal(odd.error.code, "ODD_HEX");
  const bad = parseHex("68 0g");
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.equal(bad.error.code, "BAD_HEX");
    assert.equal(bad.error.offset, 4);
  }
});

Deno.test("ByteReader reads little-endian and flags overrun without throwing", () => {
  const r = new ByteReader(fromHex("01 02 03 04 05"));
  assert.equal(r.u16le(), 0x0201);
  assert.equal(r.u24le(), 0x050403);
  assert.equal(r.overrun, false);
  assert.equal(r.u8(), 0);
  assert.equal(r.overrun, true);
  assert.equal(r.overrunAt, 5);
});

Deno.test("ByteWriter mirrors ByteReader", () => {
  const w = new ByteWriter(2).u8(1).u16le(0x0302).u32le(0x07060504).u48le(
    0x0d0c0b0a0908,
  ).f32le(1.5).u64le(0x1122334455667788n);
  const r = new ByteReader(w.toBytes());
  assert.equal(r.u8(), 1);
  assert.equal(r.u16le(), 0x0302);
  assert.equal(r.u32le(), 0x07060504);
  assert.equal(r.u48le(), 0x0d0c0b0a0908);
  assert.equal(r.f32le(), 1.5);
  assert.equal(r.u64le(), 0x1122334455667788n);
  assert.equal(r.remaining, 0);
});

Deno.test("BCD helpers round-trip digits, hex digits and negatives", () => {
  assert.equal(formatBcd(fromHex("78 56 34 12")), "12345678");
  assert.equal(toHex(encodeBcd("1234ABCD", 4)), "cdab3412");
  assert.equal(decodeBcdNumber(fromHex("21 f3")), -321);
  assert.equal(toHex(encodeBcdNumber(-321, 2)), "21f3");
  assert.equal(decodeBcdNumber(fromHex("1a")), undefined);
});

Deno.test("VirtualClock fires timers in order and honours abort", async () => {
  const clock = new VirtualClock(0);
  const fired: number[] = [];
  clock.sleep(30).then(() => fired.push(clock.now()));
  clock.sleep(10).then(() => fired.push(clock.now()));
  const ac = new AbortController();
  const aborted = clock.sleep(20, ac.signal).catch(() => "aborted");
  ac.abort();
  assert.equal(await aborted, "aborted");
  await clock.advance(25);
  assert.deepEqual(fired, [10]);
  assert.equal(clock.now(), 25);
  await clock.runUntilIdle();
  assert.deepEqual(fired, [10, 30]);
  const chained = (async () => {
    for (let i = 0; i < 5; i++) await clock.sleep(100);
    return clock.now();
  })();
  assert.equal(await clock.drive(chained), 530);
});
