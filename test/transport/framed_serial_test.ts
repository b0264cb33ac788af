import assert from "node:assert/strict";
import {
  C_RSP_UD,
  CI_RSP_UD_VARIABLE,
  encodeFrame,
  FrameReader,
  longFrame,
} from "../../src/link/mod.ts";
import { openPty, SerialTransport } from "../../src/transport/mod.ts";
import { toHex } from "../../src/util/mod.ts";

Deno.test("FrameReader recovers frames from a pty stream sent in odd chunks with noise", async () => {
  await using pty = openPty();
  await using port = await SerialTransport.open(pty.slavePath);
  const frames = Array.from(
    { length: 20 },
    (_, i) =>
      encodeFrame(
        longFrame(
          C_RSP_UD,
          i,
          CI_RSP_UD_VARIABLE,
          Uint8Array.from({ length: i * 9 }, (_, k) => (k * 13 + i) & 0xff),
        ),
      ),
  );
  const noise = Uint8Array.of(0x00, 0xff, 0x68, 0x01);
  const wire: number[] = [];
  for (const f of frames) wire.push(...noise, ...f);
  const bytes = Uint8Array.from(wire);
  const sending = (async () => {
    for (
      let at = 0, step = 1;
      at < bytes.length;
      at += step, step = step % 37 + 3
    ) {
      await pty.write(bytes.subarray(at, at + step));
    }
  })();
  const reader = new FrameReader();
  const got: string[] = [];
  while (got.length < frames.length) {
    const chunk = await port.read(64, 2000);
    assert.ok(chunk.length > 0, `silence after ${got.length} frames`);
    for (const e of reader.push(chunk)) {
      if (e.type === "frame") got.push(toHex(e.bytes));
    }
  }
  await sending;
  assert.deepEqual(got, frames.map((f) => toHex(f)));
  assert.equal(reader.stats.garbageBytes, noise.length * frames.length);
});
