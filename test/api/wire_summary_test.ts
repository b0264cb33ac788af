/**
 * The monitor's one line per frame: each frame kind, an answer's identity and record
 * count, a select by secondary address, a baud switch, garbage and checksum errors, a
 * wireless telegram's link header; and no input makes it throw.
 */
import assert from "node:assert/strict";
import { summarizeWire } from "../../src/api/wire_summary.ts";
import {
  C_REQ_UD2_FCB,
  C_RSP_UD,
  C_SND_NKE,
  C_SND_UD,
  C_SND_UD_FCB,
  CI_RSP_UD_VARIABLE,
  CI_SELECT,
  controlFrame,
  encodeFrame,
  longFrame,
  shortFrame,
} from "../../src/link/mod.ts";
import { fromHex } from "../../src/util/mod.ts";
import { seededRandom } from "../_helpers/random.ts";

const frame = (bytes: Uint8Array) => summarizeWire({ kind: "frame", bytes });

Deno.test("wire summary: short frames and the ACK", () => {
  assert.deepEqual(frame(Uint8Array.of(0xe5)), { summary: "ACK (E5)" });
  assert.deepEqual(frame(encodeFrame(shortFrame(C_SND_NKE, 5))), {
    summary: "SND_NKE to 5",
    address: 5,
  });
  assert.deepEqual(frame(encodeFrame(shortFrame(C_REQ_UD2_FCB, 254))), {
    summary: "REQ_UD2 to 254 (FCB 1)",
    address: 254,
  });
  assert.match(frame(encodeFrame(shortFrame(0x5b, 7))).summary, /\(FCB 0\)$/);
});

Deno.test("wire summary: a select by secondary address, a baud switch, an application reset", () => {
  const select = encodeFrame(
    longFrame(
      C_SND_UD_FCB,
      253,
      CI_SELECT,
      Uint8Array.of(0x78, 0x56, 0x34, 0x12, 0xff, 0xff, 0xff, 0xff),
    ),
  );
  assert.deepEqual(frame(select), {
    summary: "SND_UD select secondary 12345678 * v* * (A=253)",
    address: 253,
  });
  const withMan = encodeFrame(
    longFrame(
      C_SND_UD,
      253,
      CI_SELECT,
      fromHex("0720180077040d07"),
    ),
  );
  assert.match(frame(withMan).summary, /select secondary 00182007 \w{3} v0D /);
  assert.deepEqual(frame(encodeFrame(controlFrame(C_SND_UD, 3, 0xbd))), {
    summary: "SND_UD to 3: switch to 9600 Bd",
    address: 3,
  });
  assert.match(
    frame(encodeFrame(controlFrame(C_SND_UD, 3, 0x50))).summary,
    /application reset/,
  );
});

Deno.test("wire summary: an RSP_UD names the meter and counts its records", () => {
  const data = fromHex("07 20 18 00 e6 1e 35 07 4c 00 00 00 0c 16 69 02 00 00");
  const s = frame(
    encodeFrame(longFrame(C_RSP_UD, 5, CI_RSP_UD_VARIABLE, data)),
  );
  assert.equal(s.address, 5);
  assert.equal(s.id, "00182007");
  assert.match(
    s.summary,
    /^RSP_UD from 5 CI=72: ID 00182007 [A-Z]{3} v35 Water, 1 records$/,
  );
});

Deno.test("wire summary: garbage and checksum errors name the link error", () => {
  assert.equal(
    summarizeWire({
      kind: "garbage",
      bytes: Uint8Array.of(1, 2, 3),
      error: "BAD_CHECKSUM",
    }).summary,
    "checksum error: BAD_CHECKSUM (3 bytes)",
  );
  assert.equal(
    summarizeWire({
      kind: "garbage",
      bytes: Uint8Array.of(0xff),
      error: "BAD_START",
    })
      .summary,
    "garbled: BAD_START (1 byte)",
  );
  assert.match(frame(Uint8Array.of(0x10, 0x40)).summary, /^garbled: /);
});

Deno.test("wire summary: a wireless telegram's link header, CI, encryption, driver and outcome", () => {
  const s = summarizeWire({
    kind: "telegram",
    bytes: fromHex(
      "1C44333003020100071B7A630020002F2F0265D2000242657E000165B5",
    ),
    outcome: "decoded",
    driver: "lansenth",
  });
  assert.equal(s.id, "00010203");
  assert.equal(s.address, undefined);
  assert.match(
    s.summary,
    /^M=LAS ID=00010203 v07 type 1B \(.+\) C=44 CI=7A plain, driver lansenth; decoded$/,
  );
  const enc = summarizeWire({
    kind: "telegram",
    bytes: fromHex(
      "2E44496A0400003100077A0500200528AAC1B631E0B618A569D01E15514D740698E051D2C507C1F56AD26949068464",
    ),
    outcome: "failed",
    outcomeCode: "NO_KEY",
  });
  assert.match(enc.summary, / CI=7A encrypted; failed NO_KEY$/);
  assert.match(
    summarizeWire({ kind: "telegram", bytes: Uint8Array.of(3, 0x44) }).summary,
    /^garbled telegram: /,
  );
});

Deno.test("wire summary: never throws on random bytes of any kind", () => {
  const rnd = seededRandom(14);
  for (let i = 0; i < 3000; i++) {
    const n = Math.floor(rnd() * 300);
    const bytes = Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
    if (i % 3 === 0 && n > 6) {
      bytes[0] = 0x68;
      bytes[3] = 0x68;
    }
    for (const kind of ["frame", "garbage", "telegram"]) {
      const s = summarizeWire({ kind, bytes });
      assert.equal(typeof s.summary, "string");
      assert.ok(s.summary.length > 0);
    }
  }
});
