import assert from "node:assert/strict";
import {
  C_REQ_UD2,
  C_RSP_UD,
  CI_RSP_UD_VARIABLE,
  encodeFrame,
  type FrameEvent,
  FrameReader,
  longFrame,
  shortFrame,
} from "../../src/link/mod.ts";
import { fromHex, toHex } from "../../src/util/mod.ts";

function summary(events: FrameEvent[]): string[] {
  return events.map((e) =>
    e.type === "frame"
      ? `frame:${toHex(e.bytes)}`
      : `garbage:${e.reason}:${toHex(e.bytes)}`
  );
}

const rsp = encodeFrame(
  longFrame(C_RSP_UD, 1, CI_RSP_UD_VARIABLE, fromHex("01 02 03 04 05 06")),
);
const req = encodeFrame(shortFrame(C_REQ_UD2, 1));
const stream = new Uint8Array([0xe5, ...req, ...rsp, 0xe5]);

Deno.test("FrameReader yields the same frames for every split of a stream", () => {
  const whole = summary(new FrameReader().push(stream));
  assert.deepEqual(whole, [
    "frame:e5",
    `frame:${toHex(req)}`,
    `frame:${toHex(rsp)}`,
    "frame:e5",
  ]);
  for (let i = 0; i <= stream.length; i++) {
    for (let j = i; j <= stream.length; j++) {
      const r = new FrameReader();
      const events = [
        ...r.push(stream.subarray(0, i)),
        ...r.push(stream.subarray(i, j)),
        ...r.push(stream.subarray(j)),
      ];
      assert.deepEqual(summary(events), whole, `split ${i}/${j}`);
      assert.equal(r.buffered, 0);
    }
  }
  const r = new FrameReader();
  const byByte = stream.reduce<FrameEvent[]>(
    (acc, b) => [...acc, ...r.push(Uint8Array.of(b))],
    [],
  );
  assert.deepEqual(summary(byByte), whole);
  assert.equal(r.stats.frames, 4);
});

Deno.test("FrameReader drops leading garbage and resyncs after a bad checksum", () => {
  const r = new FrameReader();
  const bad = Uint8Array.from(rsp);
  bad[bad.length - 2] = (bad[bad.length - 2] ?? 0) ^ 1;
  const events = r.push(new Uint8Array([0x00, 0xff, ...bad, ...req]));
  // One run of consecutive dropped bytes is one event, named by its first reason.
  assert.deepEqual(summary(events), [
    `garbage:BAD_START:00ff${toHex(bad)}`,
    `frame:${toHex(req)}`,
  ]);
  const r2 = new FrameReader();
  assert.deepEqual(summary(r2.push(new Uint8Array([...bad, ...req]))), [
    `garbage:BAD_CHECKSUM:${toHex(bad)}`,
    `frame:${toHex(req)}`,
  ]);
  assert.equal(r.stats.garbageBytes, 2 + bad.length);
});

Deno.test("FrameReader keeps an unfinished frame and reports progress", () => {
  const r = new FrameReader();
  assert.equal(r.needed, 1);
  assert.deepEqual(r.push(rsp.subarray(0, 4)), []);
  assert.equal(r.buffered, 4);
  assert.equal(r.needed, rsp.length - 4);
  assert.equal(summary(r.push(rsp.subarray(4))).length, 1);
  assert.equal(r.buffered, 0);
});

Deno.test("FrameReader.flush() drops a false start and finds the frame behind it", () => {
  const r = new FrameReader();
  // 68 10 announces 22 bytes that never come; the short frame inside is real.
  assert.deepEqual(
    r.push(new Uint8Array([0x68, 0x10, 0x10, 0x68, ...req])),
    [],
  );
  assert.deepEqual(summary(r.flush()), [
    "garbage:TRUNCATED:68101068",
    `frame:${toHex(req)}`,
  ]);
  assert.equal(r.buffered, 0);
  assert.deepEqual(r.flush(), []);
  r.push(rsp.subarray(0, 3));
  assert.equal(r.reset(), 3);
  assert.equal(r.buffered, 0);
});

Deno.test("FrameReader bytes are copies that survive reuse of the chunk", () => {
  const r = new FrameReader();
  const chunk = Uint8Array.from(rsp);
  const events = r.push(chunk);
  chunk.fill(0);
  const e = events[0];
  assert.ok(e?.type === "frame");
  assert.equal(toHex(e.bytes), toHex(rsp));
  assert.ok(e.frame.type === "long");
  assert.equal(toHex(e.frame.data), "010203040506");
});
