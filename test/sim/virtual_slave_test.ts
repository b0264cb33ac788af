import assert from "node:assert/strict";
import { decodeFrame, type Frame, type LongFrame } from "../../src/link/mod.ts";
import { fromHex, toHex } from "../../src/util/mod.ts";
import { VirtualSlave } from "../../sim/mod.ts";
import { control, reqUd2, select, setAddress, sndNke } from "./_helpers.ts";

function frameOf(bytes: Uint8Array): Frame {
  const r = decodeFrame(bytes);
  assert.ok(r.ok, "request must decode");
  return r.value;
}

function slave(telegrams = 3): VirtualSlave {
  return new VirtualSlave({
    id: "12345678",
    manufacturer: "KAM",
    version: 0x1b,
    medium: 0x04,
    primaryAddress: 5,
    telegrams: Array.from(
      { length: telegrams },
      (_, i) => Uint8Array.of(0x04, 0x13, i, 0, 0, 0),
    ),
  });
}

function ask(s: VirtualSlave, request: Uint8Array): Uint8Array | undefined {
  return s.receive(frameOf(request), 2400)?.bytes;
}

function answerFrame(bytes: Uint8Array | undefined): LongFrame {
  assert.ok(bytes);
  const r = decodeFrame(bytes);
  assert.ok(r.ok, "answer must decode");
  assert.equal(r.value.type, "long");
  return r.value as LongFrame;
}

Deno.test("VirtualSlave answers SND_NKE to its address with E5 and ignores others", () => {
  const s = slave();
  assert.equal(toHex(ask(s, sndNke(5)) ?? new Uint8Array(0)), "e5");
  assert.equal(ask(s, sndNke(6)), undefined);
  assert.equal(ask(s, sndNke(0xff)), undefined, "broadcast without reply");
  assert.equal(toHex(ask(s, sndNke(0xfe)) ?? new Uint8Array(0)), "e5");
});

Deno.test("VirtualSlave RSP_UD carries the long header and records", () => {
  const f = answerFrame(ask(slave(1), reqUd2(5, true)));
  assert.equal(f.c, 0x08);
  assert.equal(f.a, 5);
  assert.equal(f.ci, 0x72);
  assert.equal(toHex(f.data.subarray(0, 8)), "785634122d2c1b04");
  assert.equal(toHex(f.data.subarray(12)), "041300000000");
});

Deno.test("VirtualSlave repeats the last telegram on an unchanged FCB and advances on a toggle", () => {
  const s = slave(3);
  s.receive(frameOf(sndNke(5)), 2400);
  const first = ask(s, reqUd2(5, true));
  assert.deepEqual(ask(s, reqUd2(5, true)), first, "same FCB: same bytes");
  const second = answerFrame(ask(s, reqUd2(5, false)));
  assert.equal(second.data[14], 1, "second telegram");
  assert.equal(second.data.at(-1), 0x1f, "more records follow");
  const third = answerFrame(ask(s, reqUd2(5, true)));
  assert.equal(third.data[14], 2);
  assert.notEqual(third.data.at(-1), 0x1f, "last telegram has no 1F");
  assert.equal(answerFrame(ask(s, reqUd2(5, false))).data[14], 0, "wraps");
});

Deno.test("VirtualSlave restarts the multi-telegram sequence after SND_NKE and application reset", () => {
  const s = slave(3);
  ask(s, reqUd2(5, true));
  assert.equal(answerFrame(ask(s, reqUd2(5, false))).data[14], 1);
  ask(s, sndNke(5));
  assert.equal(answerFrame(ask(s, reqUd2(5, false))).data[14], 0);
  assert.equal(answerFrame(ask(s, reqUd2(5, true))).data[14], 1);
  assert.equal(toHex(ask(s, control(5, 0x50)) ?? new Uint8Array(0)), "e5");
  assert.equal(answerFrame(ask(s, reqUd2(5, true))).data[14], 0);
});

Deno.test("VirtualSlave keeps a new primary address", () => {
  const s = slave();
  assert.equal(toHex(ask(s, setAddress(5, 42)) ?? new Uint8Array(0)), "e5");
  assert.equal(s.primaryAddress, 42);
  assert.equal(ask(s, sndNke(5)), undefined);
  assert.equal(answerFrame(ask(s, reqUd2(42, true))).a, 42);
  ask(s, setAddress(42, 253));
  assert.equal(s.primaryAddress, 42, "253 is refused");
});

Deno.test("VirtualSlave selection: wildcards, 253 while selected, deselect", () => {
  const s = slave(1);
  assert.equal(ask(s, reqUd2(0xfd, true)), undefined, "not selected yet");
  assert.equal(
    toHex(
      ask(s, select(fromHex("ff ff 34 12 ff ff ff ff"))) ?? new Uint8Array(0),
    ),
    "e5",
  );
  assert.ok(s.isSelected);
  assert.equal(answerFrame(ask(s, reqUd2(0xfd, true))).ci, 0x72);
  assert.equal(toHex(ask(s, sndNke(0xfd)) ?? new Uint8Array(0)), "e5");
  assert.ok(!s.isSelected, "SND_NKE to 253 deselects");
  assert.equal(ask(s, reqUd2(0xfd, false)), undefined);
  ask(s, select(fromHex("78 56 34 12 2d 2c 1b 04")));
  assert.ok(s.isSelected, "full address");
  assert.equal(ask(s, select(fromHex("78 56 34 12 2d 2c 1c 04"))), undefined);
  assert.ok(!s.isSelected, "a non-matching select deselects");
  assert.equal(
    ask(s, select(fromHex("78 56 34 12 0f ff ff ff"))),
    undefined,
    "manufacturer half-wildcards are not wildcards",
  );
});

const NOTHING: [string, string][] = [
  ["garbage-free frame for another address", "10 5b 06 61 16"],
  ["unknown CI", "68 03 03 68 53 05 99 f1 16"],
  ["unknown C field", "10 49 05 4e 16"],
  [
    "select to a primary address",
    "68 0b 0b 68 73 05 52 78 56 34 12 ff ff ff ff da 16",
  ],
];
for (const [name, hex] of NOTHING) {
  Deno.test(`VirtualSlave stays silent on ${name}`, () => {
    const r = decodeFrame(fromHex(hex));
    assert.ok(r.ok, hex);
    assert.equal(slave().receive(r.value, 2400), undefined);
  });
}

Deno.test("VirtualSlave switches baud rate after acknowledging at the old rate", () => {
  const s = slave();
  const ack = s.receive(frameOf(control(5, 0xbd)), 2400);
  assert.equal(ack?.baudRate, 2400);
  assert.equal(s.baudRate, 9600);
  assert.equal(s.receive(frameOf(sndNke(5)), 2400), undefined);
  assert.equal(s.receive(frameOf(sndNke(5)), 9600)?.bytes[0], 0xe5);
});

Deno.test("VirtualSlave failure modes damage answers as configured", () => {
  const make = (
    mode: "silent" | "badChecksum" | "truncated" | "noise" | "late",
  ) =>
    new VirtualSlave({
      id: "00000001",
      manufacturer: "ABB",
      version: 1,
      medium: 2,
      primaryAddress: 1,
      failure: { mode },
    });
  const req = frameOf(reqUd2(1, true));
  assert.equal(make("silent").receive(req, 2400), undefined);
  const bad = make("badChecksum").receive(req, 2400);
  assert.ok(bad && !decodeFrame(bad.bytes).ok);
  const cut = make("truncated").receive(req, 2400);
  assert.ok(cut && !decodeFrame(cut.bytes).ok);
  const noisy = make("noise").receive(req, 2400);
  assert.ok(noisy && noisy.bytes.length > 20);
  const late = make("late").receive(req, 2400);
  assert.ok(late && late.delayMs >= 1500);
});

Deno.test("VirtualSlave takes set-address and baud-switch through 253 while selected", () => {
  const s = slave(1);
  ask(s, select(fromHex("78 56 34 12 ff ff ff ff")));
  assert.equal(toHex(ask(s, setAddress(0xfd, 17)) ?? new Uint8Array(0)), "e5");
  assert.equal(s.primaryAddress, 17);
  assert.equal(toHex(ask(s, control(0xfd, 0xba)) ?? new Uint8Array(0)), "e5");
  assert.equal(s.baudRate, 1200);
  assert.equal(s.receive(frameOf(reqUd2(17, true)), 1200)?.bytes[0], 0x68);
});

Deno.test("VirtualSlave keeps one FCB state for primary and secondary addressing", () => {
  const s = slave(3);
  ask(s, sndNke(5));
  assert.equal(answerFrame(ask(s, reqUd2(5, true))).data[14], 0);
  ask(s, select(fromHex("78 56 34 12 ff ff ff ff")));
  assert.equal(
    answerFrame(ask(s, reqUd2(0xfd, false))).data[14],
    1,
    "toggle via 253",
  );
  assert.equal(
    answerFrame(ask(s, reqUd2(5, false))).data[14],
    1,
    "repeat via 5",
  );
});

Deno.test("VirtualSlave broadcast to 255 executes without an answer", () => {
  const s = slave(1);
  assert.equal(ask(s, control(0xff, 0xbd)), undefined);
  assert.equal(s.baudRate, 9600);
});

Deno.test("VirtualSlave summary lists its addresses and counters", () => {
  const s = slave(2);
  ask(s, sndNke(5));
  ask(s, reqUd2(5, true));
  const sum = s.summary();
  assert.equal(sum.primaryAddress, 5);
  assert.equal(sum.secondaryAddress, "123456782D2C1B04");
  assert.equal(sum.requests, 2);
  assert.equal(sum.answers, 2);
  assert.equal(sum.telegrams, 2);
  assert.equal(sum.failure, null);
});
