import assert from "node:assert/strict";
import {
  bytesNeeded,
  C_REQ_UD2,
  C_REQ_UD2_FCB,
  C_RSP_UD,
  C_SND_NKE,
  C_SND_UD,
  checksum,
  CI_RSP_UD_VARIABLE,
  CI_SELECT,
  classifyReception,
  controlFrame,
  decodeFrame,
  describeFrame,
  encodeFrame,
  type Frame,
  frameLength,
  isFromMaster,
  longFrame,
  shortFrame,
  withFcb,
} from "../../src/link/mod.ts";
import { fromHex, toHex } from "../../src/util/mod.ts";

const data252 = Uint8Array.from({ length: 252 }, (_, i) => (i * 7) & 0xff);

const SAMPLES: ReadonlyArray<[string, Frame, string]> = [
  ["ack", { type: "ack" }, "e5"],
  ["SND_NKE to 5", shortFrame(C_SND_NKE, 5), "10 40 05 45 16"],
  ["REQ_UD2 to 5", shortFrame(C_REQ_UD2, 5), "10 5b 05 60 16"],
  ["REQ_UD2 FCB to 5", shortFrame(C_REQ_UD2_FCB, 5), "10 7b 05 80 16"],
  ["REQ_UD2 to 253", shortFrame(C_REQ_UD2, 0xfd), "10 5b fd 58 16"],
  ["SND_NKE broadcast", shortFrame(C_SND_NKE, 0xff), "10 40 ff 3f 16"],
  [
    "baud switch",
    controlFrame(C_SND_UD, 1, 0xbb),
    "68 03 03 68 53 01 bb 0f 16",
  ],
  [
    "select",
    longFrame(C_SND_UD, 0xfd, CI_SELECT, fromHex("78 56 34 12 ff ff ff ff")),
    "68 0b 0b 68 53 fd 52 78 56 34 12 ff ff ff ff " +
    toHex(
      Uint8Array.of(checksum(fromHex("53 fd 52 78 56 34 12 ff ff ff ff"))),
    ) +
    " 16",
  ],
];

Deno.test("encodeFrame() and decodeFrame() round-trip every frame kind", () => {
  for (const [name, frame, hex] of SAMPLES) {
    const bytes = encodeFrame(frame);
    assert.equal(toHex(bytes), toHex(fromHex(hex)), name);
    const r = decodeFrame(bytes);
    assert.ok(r.ok, name);
    assert.deepEqual(r.value, frame, name);
    assert.equal(frameLength(bytes), bytes.length, name);
    assert.equal(bytesNeeded(bytes), 0, name);
  }
  const big = longFrame(C_RSP_UD, 1, CI_RSP_UD_VARIABLE, data252);
  const bytes = encodeFrame(big);
  assert.equal(bytes.length, 261);
  const r = decodeFrame(bytes);
  assert.ok(r.ok);
  assert.deepEqual(r.value, big);
});

Deno.test("encodeFrame() of a long frame without data equals a control frame", () => {
  const bytes = encodeFrame(longFrame(0x53, 1, 0x50, new Uint8Array(0)));
  assert.deepEqual(bytes, encodeFrame(controlFrame(0x53, 1, 0x50)));
  const r = decodeFrame(bytes);
  assert.ok(r.ok);
  assert.equal(r.value.type, "control");
});

Deno.test("encodeFrame() throws RangeError on misuse", () => {
  assert.throws(() => encodeFrame(shortFrame(256, 1)), RangeError);
  assert.throws(() => encodeFrame(shortFrame(0x40, -1)), RangeError);
  assert.throws(() => encodeFrame(shortFrame(0x40, 1.5)), RangeError);
  assert.throws(() => encodeFrame(controlFrame(0x53, 1, 300)), RangeError);
  assert.throws(
    () => encodeFrame(longFrame(0x53, 1, 0x51, new Uint8Array(253))),
    RangeError,
  );
  assert.throws(
    () => encodeFrame({ type: "bogus" } as unknown as Frame),
    TypeError,
  );
});

const MALFORMED: ReadonlyArray<[string, string, string, number]> = [
  ["empty", "", "TRUNCATED", 0],
  ["bad start", "11 5b 05 60 16", "BAD_START", 0],
  ["short truncated", "10 5b 05", "TRUNCATED", 3],
  ["short bad checksum", "10 5b 05 61 16", "BAD_CHECKSUM", 3],
  ["short bad stop", "10 5b 05 60 17", "BAD_STOP", 4],
  ["short trailing", "10 5b 05 60 16 e5", "TRAILING_BYTES", 5],
  ["ack trailing", "e5 e5", "TRAILING_BYTES", 1],
  ["lone 68", "68", "TRUNCATED", 1],
  ["L too small", "68 02 02 68 53 01 54 16", "BAD_LENGTH", 1],
  ["L mismatch", "68 03 04 68 53 01 bb 0f 16", "LENGTH_MISMATCH", 2],
  ["second start", "68 03 03 69 53 01 bb 0f 16", "BAD_START", 3],
  ["control truncated", "68 03 03 68 53 01 bb 0f", "TRUNCATED", 8],
  ["control bad checksum", "68 03 03 68 53 01 bb 10 16", "BAD_CHECKSUM", 7],
  ["control bad stop", "68 03 03 68 53 01 bb 0f 00", "BAD_STOP", 8],
  ["control trailing", "68 03 03 68 53 01 bb 0f 16 00 00", "TRAILING_BYTES", 9],
  ["long truncated", "68 04 04 68 08 01 72 00", "TRUNCATED", 8],
  ["long bad checksum", "68 04 04 68 08 01 72 00 00 16", "BAD_CHECKSUM", 8],
];

Deno.test("decodeFrame() reports named malformed inputs with exact code and offset", () => {
  for (const [name, hex, code, offset] of MALFORMED) {
    const r = decodeFrame(fromHex(hex));
    assert.equal(r.ok, false, name);
    if (!r.ok) {
      assert.equal(r.error.code, code, name);
      assert.equal(r.error.offset, offset, name);
      assert.match(r.error.message, /^Cannot decode frame: /, name);
    }
  }
});

Deno.test("every proper prefix of a valid frame is TRUNCATED at its length", () => {
  const frames = [
    ...SAMPLES.map(([, f]) => f),
    longFrame(C_RSP_UD, 1, CI_RSP_UD_VARIABLE, data252),
  ];
  for (const frame of frames) {
    const bytes = encodeFrame(frame);
    for (let n = 0; n < bytes.length; n++) {
      const prefix = bytes.subarray(0, n);
      const r = decodeFrame(prefix);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.error.code, "TRUNCATED");
        assert.equal(r.error.offset, n);
      }
      const need = bytesNeeded(prefix);
      assert.ok(need >= 1 && n + need <= bytes.length, `need ${need} at ${n}`);
      const len = frameLength(prefix);
      assert.ok(len === 0 || len === bytes.length);
    }
  }
});

Deno.test("frameLength() and bytesNeeded() steer a reading master", () => {
  assert.equal(frameLength(new Uint8Array(0)), 0);
  assert.equal(bytesNeeded(new Uint8Array(0)), 1);
  assert.equal(frameLength(fromHex("68")), 0);
  assert.equal(bytesNeeded(fromHex("68")), 8);
  assert.equal(frameLength(fromHex("68 10")), 22);
  assert.equal(bytesNeeded(fromHex("68 10 10 68")), 18);
  assert.equal(frameLength(fromHex("10")), 5);
  assert.equal(frameLength(fromHex("00")), -1);
  assert.equal(bytesNeeded(fromHex("68 01")), -1);
  assert.equal(bytesNeeded(fromHex("e5 00")), 0);
});

Deno.test("C field helpers", () => {
  assert.equal(isFromMaster(C_REQ_UD2), true);
  assert.equal(isFromMaster(C_RSP_UD), false);
  assert.equal(withFcb(C_REQ_UD2, true), C_REQ_UD2_FCB);
  assert.equal(withFcb(C_REQ_UD2_FCB, false), C_REQ_UD2);
  assert.equal(describeFrame(shortFrame(C_REQ_UD2, 5)), "REQ_UD2 a=5");
  assert.equal(describeFrame({ type: "ack" }), "ACK");
  assert.equal(describeFrame(controlFrame(0x4b, 1, 0x50)), "C=4b a=1 ci=50");
});

Deno.test("classifyReception() tells none, frame and garbled apart", () => {
  assert.deepEqual(classifyReception(new Uint8Array(0)), { kind: "none" });
  assert.deepEqual(classifyReception(fromHex("e5")), {
    kind: "frame",
    frame: { type: "ack" },
  });
  const two = classifyReception(fromHex("e5 e5"));
  assert.equal(two.kind, "garbled");
  if (two.kind === "garbled") {
    assert.equal(two.error.code, "TRAILING_BYTES");
    assert.deepEqual(two.frame, { type: "ack" });
  }
  const noise = classifyReception(fromHex("68 04 04 68 08 01 72 00 00 16"));
  assert.equal(noise.kind, "garbled");
  if (noise.kind === "garbled") {
    assert.equal(noise.error.code, "BAD_CHECKSUM");
    assert.equal(noise.frame, undefined);
  }
  const req = encodeFrame(shortFrame(C_REQ_UD2, 5));
  const echoed = new Uint8Array([...req, 0xe5]);
  assert.deepEqual(classifyReception(echoed, { echo: req }), {
    kind: "frame",
    frame: { type: "ack" },
  });
  assert.deepEqual(classifyReception(req, { echo: req }), { kind: "none" });
});
