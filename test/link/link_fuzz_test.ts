import assert from "node:assert/strict";
import {
  bytesNeeded,
  classifyReception,
  decodeFrame,
  encodeFrame,
  frameLength,
  FrameReader,
  longFrame,
  MAX_FRAME_LENGTH,
  shortFrame,
} from "../../src/link/mod.ts";
import { seededRandom as rng } from "../_helpers/random.ts";

function validFrame(rand: () => number): Uint8Array {
  const k = rand();
  if (k < 0.2) return Uint8Array.of(0xe5);
  if (k < 0.5) {
    return encodeFrame(shortFrame((rand() * 256) | 0, (rand() * 256) | 0));
  }
  const n = k < 0.95 ? (rand() * 40) | 0 : (rand() * 253) | 0;
  const data = Uint8Array.from({ length: n }, () => (rand() * 256) | 0);
  return encodeFrame(
    longFrame((rand() * 256) | 0, (rand() * 256) | 0, (rand() * 256) | 0, data),
  );
}

function streamOf(rand: () => number): Uint8Array {
  const parts: number[] = [];
  const kind = rand();
  const pieces = 1 + ((rand() * 4) | 0);
  for (let p = 0; p < pieces; p++) {
    if (kind < 0.3) {
      const n = (rand() * 40) | 0;
      for (let i = 0; i < n; i++) {
        // Bias to start bytes so the framer's paths get exercised.
        const r = rand();
        parts.push(
          r < 0.1
            ? 0x68
            : r < 0.15
            ? 0x10
            : r < 0.2
            ? 0xe5
            : (rand() * 256) | 0,
        );
      }
    } else {
      const f = Array.from(validFrame(rand));
      const mutations = kind < 0.7 ? (rand() * 3) | 0 : 0;
      for (let m = 0; m < mutations && f.length > 0; m++) {
        const at = (rand() * f.length) | 0;
        const op = rand();
        if (op < 0.5) f[at] = (rand() * 256) | 0;
        else if (op < 0.75) f.splice(at, 1);
        else f.splice(at, 0, (rand() * 256) | 0);
      }
      parts.push(...f);
    }
  }
  return Uint8Array.from(parts);
}

Deno.test("fuzz: 200,000 random and mutated streams never throw, stay bounded, end, agree", () => {
  const rand = rng(0x5eed);
  const reader = new FrameReader();
  let frames = 0;
  let inBytes = 0;
  let outBytes = 0;
  for (let i = 0; i < 200_000; i++) {
    const s = streamOf(rand);
    inBytes += s.length;
    const d = decodeFrame(s);
    const c = classifyReception(s);
    const need = bytesNeeded(s);
    const len = frameLength(s);
    if (d.ok) {
      assert.equal(need, 0);
      assert.equal(len, s.length);
    } else if (d.error.code === "TRUNCATED") {
      assert.ok(need >= 1 && (len === 0 || len === s.length + need));
    } else if (d.error.code === "TRAILING_BYTES") {
      assert.ok(need === 0 && len === d.error.offset && len < s.length);
    } else {
      assert.ok(need === -1 && len === -1, d.error.code);
    }
    if (d.ok) assert.equal(c.kind, "frame");
    else {
      assert.ok(d.error.offset >= 0 && d.error.offset <= s.length);
      assert.ok(s.length === 0 ? c.kind === "none" : c.kind === "garbled");
    }
    // Feed in random chunks.
    let pos = 0;
    while (pos < s.length) {
      const n = 1 + ((rand() * 64) | 0);
      for (const e of reader.push(s.subarray(pos, pos + n))) {
        outBytes += e.bytes.length;
        if (e.type === "frame") {
          frames++;
          const again = decodeFrame(e.bytes);
          assert.ok(again.ok);
        }
      }
      pos += n;
      assert.ok(reader.buffered < MAX_FRAME_LENGTH);
    }
    if (rand() < 0.3) {
      for (const e of reader.flush()) outBytes += e.bytes.length;
      assert.equal(reader.buffered, 0);
    }
  }
  for (const e of reader.flush()) outBytes += e.bytes.length;
  // Every byte came out exactly once, as a frame or as garbage.
  assert.equal(outBytes, inBytes);
  assert.ok(frames > 100_000, `only ${frames} frames`);
});
