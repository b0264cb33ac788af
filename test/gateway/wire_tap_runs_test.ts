import assert from "node:assert/strict";
import {
  C_REQ_UD2,
  C_RSP_UD,
  CI_RSP_UD_VARIABLE,
  encodeFrame,
  longFrame,
  shortFrame,
} from "../../src/link/mod.ts";
import { type WireFrame, WireTap } from "../../src/gateway/mod.ts";
import { toHex, VirtualClock } from "../../src/util/mod.ts";

// Opening the bus monitor while a long answer was on the wire showed 73 "garbled:
// BAD_START (2 bytes)" rows in 0.6 s (one per chunk the converter delivered): a run of
// garbage is one row, told when a frame follows or the reception ends.

const req = encodeFrame(shortFrame(C_REQ_UD2, 10));
const rsp = encodeFrame(
  longFrame(
    C_RSP_UD,
    10,
    CI_RSP_UD_VARIABLE,
    Uint8Array.from({ length: 160 }, (_, i) => 0x20 + (i % 50)), // no E5, 10 or 68
  ),
);

Deno.test("wire tap: the rest of an answer joined midway, in small chunks, is one garbage row; then frames as usual", async () => {
  const clock = new VirtualClock();
  const tap = new WireTap(clock);
  // Nobody listens while the answer starts.
  tap.bytes("tx", "master", req);
  tap.bytes("rx", "master", rsp.subarray(0, 20));
  const seen: WireFrame[] = [];
  tap.subscribe((f) => seen.push(f));
  const startAt = clock.now();
  for (let i = 20; i < rsp.length; i += 2) {
    tap.bytes("rx", "master", rsp.subarray(i, i + 2));
    await clock.advance(8);
  }
  assert.equal(seen.length, 0, "held while the run goes on");
  tap.bytes("tx", "master", req); // the next request ends the reception
  tap.bytes("rx", "master", rsp);
  assert.deepEqual(seen.map((f) => [f.direction, f.kind]), [
    ["rx", "garbage"],
    ["tx", "frame"],
    ["rx", "frame"],
  ]);
  assert.equal(
    toHex(seen[0]?.bytes ?? new Uint8Array()),
    toHex(rsp.subarray(20)),
  );
  assert.equal(seen[0]?.at, startAt, "stamped with the run's start");
  assert.ok(seen[0]?.error);
});

Deno.test("wire tap: endless noise is told in rows of at most 256 bytes, every byte once", () => {
  const tap = new WireTap(new VirtualClock());
  const seen: WireFrame[] = [];
  tap.subscribe((f) => seen.push(f));
  const noise = Uint8Array.from({ length: 1000 }, (_, i) => 0x01 + (i % 7));
  for (let i = 0; i < noise.length; i += 10) {
    tap.bytes("rx", "master", noise.subarray(i, i + 10));
  }
  tap.end("rx", "master");
  assert.ok(seen.every((f) => f.kind === "garbage" && f.bytes.length <= 266));
  assert.ok(seen.length >= 4 && seen.length <= 5, `${seen.length} rows`);
  assert.equal(
    seen.map((f) => toHex(f.bytes)).join(""),
    toHex(noise),
  );
});
