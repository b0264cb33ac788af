/**
 * `mbusgw analyze` on the framing variants: ELL I–V header bytes, compact frames (format
 * signature, data CRC, data bytes read with a declared format) and mode 7's AFL.
 */
import assert from "node:assert/strict";
import { fromHex, toHex } from "../../src/util/mod.ts";
import { analyzeHex, type AnalyzeResult } from "../../src/wmbus/analyze.ts";
import {
  compactTelegram,
  encryptMode7Telegram,
  wrapInEll,
} from "../../src/wmbus/mod.ts";

const KEY = fromHex("000102030405060708090A0B0C0D0E0F");
const RECORDS = "02FF207100041308190000441307190000615B7F616713";

function frame(hexAfterL: string): Uint8Array {
  const body = fromHex(hexAfterL.replace(/ /g, ""));
  return new Uint8Array([body.length, ...body]);
}

const FULL = frame(`442D2C998734761B16 78 ${RECORDS}`);

function field(r: AnalyzeResult, name: string) {
  const s = r.spans.find((x) => x.field === name);
  assert.ok(s, `no span ${name}: ${r.spans.map((x) => x.field).join(",")}`);
  return s;
}

Deno.test("analyze: a compact frame with a declared format shows signature, data CRC and values", () => {
  const r = analyzeHex(toHex(compactTelegram(FULL)));
  const sig = field(r, "format signature");
  assert.equal(sig.offset, 11);
  assert.equal(sig.hex, "eda8");
  assert.match(sig.meaning, /0xa8ed: declared format for KAM\/0x16/);
  const crc = field(r, "data CRC");
  assert.match(crc.meaning, /matches/);
  assert.equal(crc.understood, true);
  const volumes = r.spans.filter((s) => s.meaning.startsWith("Volume"));
  assert.deepEqual(volumes.map((s) => [s.offset, s.hex]), [
    [17, "08190000"],
    [21, "07190000"],
  ]);
  assert.equal(r.notUnderstood, 0);
});

Deno.test("analyze: a compact frame with a wrong data CRC or an unknown format is marked", () => {
  const bad = compactTelegram(FULL);
  bad[13] = (bad[13] ?? 0) ^ 1;
  const r = analyzeHex(toHex(bad));
  assert.match(field(r, "data CRC").meaning, /does not match/);
  assert.equal(field(r, "data CRC").understood, false);
  const unknown = compactTelegram(
    frame("442D2C998734761B16 78 0413 08190000"),
  );
  const u = analyzeHex(toHex(unknown));
  assert.match(field(u, "format signature").meaning, /not a declared format/);
  assert.equal(field(u, "compact data").understood, false);
});

Deno.test("analyze: ELL IV with AES-CTR shows M2 A2, SN, payload CRC and the records", () => {
  const t = wrapInEll(FULL, {
    ci: 0x8f,
    address2: fromHex("2D2C785634121B16"),
    session: 9,
    key: KEY,
  });
  const r = analyzeHex(toHex(t), { key: KEY });
  assert.equal(field(r, "M2 A2").offset, 13);
  assert.match(field(r, "SN").meaning, /AES-CTR/);
  assert.equal(field(r, "payload CRC").understood, true);
  assert.ok(r.spans.some((s) => s.meaning === "Volume: 6.408 m^3"));
});

Deno.test("analyze: ELL V explains CC and ACC and marks the rest as not understood", () => {
  const r = analyzeHex(
    toHex(frame(`442D2C998734761B16 86 20 05 78 ${RECORDS}`)),
  );
  assert.equal(field(r, "CC").offset, 11);
  assert.equal(field(r, "ACC").meaning, "access number 5");
  const rest = field(r, "ELL V fields");
  assert.equal(rest.offset, 13);
  assert.equal(rest.understood, false);
});

Deno.test("analyze: mode 7 behind an AFL shows MCL, MCR and the MAC", () => {
  const plain = frame(`442D2C998734761B16 7A 2A 00 0000 2F2F ${RECORDS}`);
  const t = encryptMode7Telegram(plain, KEY, { counter: 258 });
  const r = analyzeHex(toHex(t), { key: KEY });
  assert.match(field(r, "MCR").meaning, /message counter 258/);
  assert.match(field(r, "MAC").meaning, /8-byte MAC/);
  assert.ok(r.spans.some((s) => s.meaning === "Volume: 6.408 m^3"));
});
