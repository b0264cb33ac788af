import assert from "node:assert/strict";
import { fromHex } from "../../../src/util/mod.ts";
import {
  createReceiverCodec,
  encodeAmberIndication,
  encodeIm871aIndication,
  formatRtlWmbusLine,
  RECEIVER_FORMATS,
} from "../../../src/wmbus/mod.ts";
import { seededRandom as prng } from "../../_helpers/random.ts";

const TELEGRAM = fromHex(
  "2A442D2C998734761B168D2091D37CAC21E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24",
);

const GOOD: Record<string, Uint8Array> = {
  im871a: encodeIm871aIndication(TELEGRAM, { crc: true }),
  amb8465: encodeAmberIndication(TELEGRAM),
  rtlwmbus: new TextEncoder().encode(formatRtlWmbusLine(TELEGRAM) + "\n"),
  hex: new TextEncoder().encode("2A442D2C998734761B168D20\n"),
};

for (const format of RECEIVER_FORMATS) {
  Deno.test(`${format} codec survives noise and still finds telegrams after it`, () => {
    const rnd = prng(format.length * 7919);
    const codec = createReceiverCodec(format);
    const good = GOOD[format] ?? new Uint8Array(0);
    let found = 0;
    for (let i = 0; i < 5000; i++) {
      const n = Math.floor(rnd() * 64);
      const chunk = new Uint8Array(n);
      for (let j = 0; j < n; j++) chunk[j] = Math.floor(rnd() * 256);
      // Sometimes a mutated good frame, sometimes pure noise.
      if (rnd() < 0.3) {
        const m = good.slice();
        const at = Math.floor(rnd() * m.length);
        m[at] = (m[at] ?? 0) ^ (1 << Math.floor(rnd() * 8));
        codec.push(m, 0);
      } else {
        codec.push(chunk, 0);
      }
    }
    // Flush whatever partial frame the noise left, then a clean frame must come through.
    const flush = format === "rtlwmbus" || format === "hex"
      ? new TextEncoder().encode("\n")
      : new Uint8Array(300);
    codec.push(flush, 0);
    for (let k = 0; k < 3; k++) found += codec.push(good, 0).length;
    assert.ok(found >= 2, `${format}: ${found} telegrams after noise`);
    assert.ok(codec.droppedBytes > 0);
  });
}

for (const format of RECEIVER_FORMATS) {
  Deno.test(`${format} codec finds every telegram however the stream is chunked`, () => {
    const rnd = prng(format.length * 104729);
    const good = GOOD[format] ?? new Uint8Array(0);
    const stream = new Uint8Array(good.length * 50);
    for (let i = 0; i < 50; i++) stream.set(good, i * good.length);
    for (let round = 0; round < 20; round++) {
      const codec = createReceiverCodec(format);
      let found = 0;
      for (let at = 0; at < stream.length;) {
        const n = 1 + Math.floor(rnd() * 80);
        found += codec.push(stream.subarray(at, at + n), 0).length;
        at += n;
      }
      assert.equal(found, 50);
      assert.equal(codec.droppedBytes, 0);
    }
  });
}
