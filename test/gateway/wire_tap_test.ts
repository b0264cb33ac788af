/**
 * The wire tap: odd read chunks cut into the right frames with direction, origin and time on
 * a virtual clock; nothing done while nobody listens; a transport's writes and reads tapped.
 */
import assert from "node:assert/strict";
import {
  C_REQ_UD2,
  C_RSP_UD,
  C_SND_NKE,
  CI_RSP_UD_VARIABLE,
  encodeFrame,
  longFrame,
  shortFrame,
} from "../../src/link/mod.ts";
import {
  TappedTransport,
  type WireFrame,
  WireTap,
} from "../../src/gateway/mod.ts";
import { toHex, VirtualClock } from "../../src/util/mod.ts";
import type { Transport } from "../../src/transport/mod.ts";

const ACK = Uint8Array.of(0xe5);
const snd = encodeFrame(shortFrame(C_SND_NKE, 5));
const req = encodeFrame(shortFrame(C_REQ_UD2, 5));
const rsp1 = encodeFrame(
  longFrame(
    C_RSP_UD,
    5,
    CI_RSP_UD_VARIABLE,
    Uint8Array.from({ length: 20 }, (_, i) => i),
  ),
);
const rsp2 = encodeFrame(
  longFrame(C_RSP_UD, 7, CI_RSP_UD_VARIABLE, Uint8Array.of(1, 2, 3, 4)),
);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function hex(b: Uint8Array): string {
  return toHex(b).replaceAll(" ", "").toLowerCase();
}

/** A clock that counts how often it was asked the time. */
class CountingClock extends VirtualClock {
  asked = 0;
  override now(): number {
    this.asked++;
    return super.now();
  }
}

Deno.test("wire tap: a read stream in odd chunks is cut into frames with direction and time", async () => {
  const clock = new VirtualClock(Date.UTC(2026, 5, 1, 12, 0, 0));
  const tap = new WireTap(clock);
  const seen: WireFrame[] = [];
  tap.subscribe((f) => seen.push(f));

  tap.bytes("tx", "master", snd);
  await clock.advance(10);
  tap.bytes("rx", "master", ACK);
  await clock.advance(40);
  tap.bytes("tx", "master", req);
  await clock.advance(5);
  // rx1 one byte at a time; the last byte comes with E5, rsp2's first half.
  for (const b of rsp1.subarray(0, rsp1.length - 1)) {
    tap.bytes("rx", "master", Uint8Array.of(b));
  }
  await clock.advance(3);
  const half = Math.floor(rsp2.length / 2);
  tap.bytes(
    "rx",
    "master",
    concat(rsp1.subarray(rsp1.length - 1), ACK, rsp2.subarray(0, half)),
  );
  await clock.advance(2);
  // rsp2's rest, then garbage (a long frame with a wrong checksum), then E5.
  const bad = rsp2.slice();
  bad[bad.length - 2] = (bad[bad.length - 2] ?? 0) ^ 0xff;
  tap.bytes("rx", "master", concat(rsp2.subarray(half), bad, ACK));

  const t0 = Date.UTC(2026, 5, 1, 12, 0, 0);
  const rows = seen.map((f) => [f.direction, f.kind, hex(f.bytes), f.at - t0]);
  assert.deepEqual(rows.slice(0, 5), [
    ["tx", "frame", hex(snd), 0],
    ["rx", "frame", "e5", 10],
    ["tx", "frame", hex(req), 50],
    ["rx", "frame", hex(rsp1), 58],
    ["rx", "frame", "e5", 58],
  ]);
  assert.deepEqual(rows[5], ["rx", "frame", hex(rsp2), 60]);
  // The bad frame: garbage bytes (dropped one at a time up to the next start byte), then E5.
  const garbage = seen.slice(6, -1);
  assert.ok(garbage.length >= 1);
  assert.ok(garbage.every((f) => f.kind === "garbage" && f.direction === "rx"));
  assert.equal(garbage[0]?.error, "BAD_CHECKSUM");
  assert.equal(
    garbage.map((f) => hex(f.bytes)).join(""),
    hex(bad),
    "every byte of the bad frame is reported, in order",
  );
  assert.deepEqual(rows.at(-1), ["rx", "frame", "e5", 60]);
  assert.ok(seen.every((f) => f.origin === "master"));
  assert.equal(tap.frames, seen.length);
});

Deno.test("wire tap: an unfinished answer is told as TRUNCATED garbage when the reception ends or the next request goes out", () => {
  const clock = new VirtualClock();
  const tap = new WireTap(clock);
  const seen: WireFrame[] = [];
  tap.subscribe((f) => seen.push(f));
  tap.bytes("rx", "master", rsp1.subarray(0, 8));
  assert.equal(seen.length, 0, "held while it may still complete");
  tap.end("rx", "master");
  assert.equal(seen.length >= 1, true);
  assert.equal(seen[0]?.kind, "garbage");
  assert.equal(seen[0]?.error, "TRUNCATED");
  assert.equal(
    seen.map((f) => hex(f.bytes)).join(""),
    hex(rsp1.subarray(0, 8)),
  );
  seen.length = 0;
  tap.bytes("rx", "master", rsp2.subarray(0, 5));
  tap.bytes("tx", "master", req);
  assert.deepEqual(seen.map((f) => [f.direction, f.kind]).at(-1), [
    "tx",
    "frame",
  ]);
  assert.ok(
    seen.slice(0, -1).every((f) =>
      f.kind === "garbage" && f.direction === "rx"
    ),
  );
  assert.ok(seen.length >= 2);
});

Deno.test("wire tap: origins keep their own streams (a bridge client's chunks do not mix with the master's)", () => {
  const tap = new WireTap(new VirtualClock());
  const seen: WireFrame[] = [];
  tap.subscribe((f) => seen.push(f));
  tap.bytes("tx", "bridge", req.subarray(0, 2));
  tap.bytes("tx", "master", snd);
  tap.bytes("tx", "bridge", req.subarray(2));
  assert.deepEqual(seen.map((f) => [f.origin, hex(f.bytes)]), [
    ["master", hex(snd)],
    ["bridge", hex(req)],
  ]);
});

Deno.test("wire tap: nobody listening means no work: no clock, no buffering, no frames", () => {
  const clock = new CountingClock();
  const tap = new WireTap(clock);
  assert.equal(tap.listening, false);
  tap.bytes("tx", "master", req);
  tap.bytes("rx", "master", rsp1.subarray(0, 10)); // a frame's start, while unheard
  tap.end("rx", "master");
  tap.telegram({ bytes: Uint8Array.of(1, 2, 3), receivedAt: 0 });
  assert.equal(clock.asked, 0);
  assert.equal(tap.frames, 0);
  // The first listener starts afresh: the rest of that frame is garbage, not a frame.
  const seen: WireFrame[] = [];
  const off = tap.subscribe((f) => seen.push(f));
  tap.bytes("rx", "master", rsp1.subarray(10));
  tap.end("rx", "master");
  assert.ok(seen.length > 0);
  assert.ok(seen.every((f) => f.kind === "garbage"));
  off();
  const before = tap.frames;
  const asked = clock.asked;
  tap.bytes("tx", "master", req);
  assert.equal(tap.frames, before);
  assert.equal(clock.asked, asked);
});

Deno.test("wire tap: a listener that throws does not stop the others", () => {
  const tap = new WireTap(new VirtualClock());
  const seen: WireFrame[] = [];
  tap.subscribe(() => {
    throw new Error("listener fault");
  });
  tap.subscribe((f) => seen.push(f));
  tap.bytes("tx", "master", req);
  assert.equal(seen.length, 1);
});

Deno.test("wire tap: a wireless telegram is told whole with RSSI and outcome", () => {
  const tap = new WireTap(new VirtualClock());
  const seen: WireFrame[] = [];
  tap.subscribe((f) => seen.push(f));
  const bytes = Uint8Array.of(0x0b, 0x44, 1, 2, 3, 4, 5, 6, 7, 8, 0x7a, 0);
  tap.telegram({
    bytes,
    receivedAt: 1234,
    rssi: -71,
    mode: "T1",
    outcome: "failed",
    outcomeCode: "NO_KEY",
    driver: "multical21",
  });
  bytes[0] = 0; // the tap kept a copy
  assert.equal(seen.length, 1);
  const f = seen[0];
  assert.equal(f?.kind, "telegram");
  assert.equal(f?.direction, "rx");
  assert.equal(f?.origin, "radio");
  assert.equal(f?.at, 1234);
  assert.equal(f?.rssi, -71);
  assert.equal(f?.outcomeCode, "NO_KEY");
  assert.equal(f?.driver, "multical21");
  assert.equal(f?.bytes[0], 0x0b);
});

/** A transport that answers each write with a scripted list of read chunks. */
class ScriptTransport implements Transport {
  readonly name = "script";
  readonly baudRate = 2400;
  readonly stats = { bytesOut: 0, bytesIn: 0, bytesPurged: 0 };
  written: Uint8Array[] = [];
  chunks: Uint8Array[] = [];
  write(bytes: Uint8Array): Promise<void> {
    this.written.push(bytes);
    return Promise.resolve();
  }
  read(): Promise<Uint8Array> {
    return Promise.resolve(this.chunks.shift() ?? new Uint8Array(0));
  }
  purge(): Promise<number> {
    return Promise.resolve(0);
  }
  setBaudRate(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  [Symbol.asyncDispose](): Promise<void> {
    return Promise.resolve();
  }
}

Deno.test("wire tap: a tapped transport tells writes as tx and reads as rx; silence ends a garbled answer", async () => {
  const clock = new VirtualClock();
  const tap = new WireTap(clock);
  const inner = new ScriptTransport();
  const t = new TappedTransport(inner, "master", clock);
  // Without a tap attached, traffic passes untouched.
  await t.write(req);
  assert.equal(inner.written.length, 1);
  t.setWireTap(tap);
  const seen: WireFrame[] = [];
  tap.subscribe((f) => seen.push(f));
  inner.chunks = [rsp1.subarray(0, 4), rsp1.subarray(4), rsp2.subarray(0, 6)];
  await t.write(req);
  assert.equal(hex(await t.read(300, 100)), hex(rsp1.subarray(0, 4)));
  await t.read(300, 100);
  await t.read(300, 100);
  assert.equal((await t.read(300, 100)).length, 0); // silence
  assert.deepEqual(seen.map((f) => [f.direction, f.kind]), [
    ["tx", "frame"],
    ["rx", "frame"],
    ...seen.slice(2).map(() => ["rx", "garbage"]),
  ]);
  assert.ok(seen.length >= 3);
  assert.equal(hex(seen[1]?.bytes ?? new Uint8Array()), hex(rsp1));
  assert.equal(
    seen.slice(2).map((f) => hex(f.bytes)).join(""),
    hex(rsp2.subarray(0, 6)),
  );
  assert.equal(seen[2]?.error, "TRUNCATED");
  assert.equal(t.name, "script");
  assert.equal(t.linkStatus, undefined, "no link where the inner has none");
});
