import assert from "node:assert/strict";
import { fromHex, toHex } from "../../src/util/mod.ts";
import { analyzeHex, type AnalyzeResult } from "../../src/wmbus/analyze.ts";
import { encodeLinkFrame, encryptMode5Telegram } from "../../src/wmbus/mod.ts";
import { encodeWirelessTelegram } from "../../sim/mod.ts";
import { loadCorpus } from "./_corpus.ts";

const KEY = fromHex("000102030405060708090A0B0C0D0E0F");
const METER = { id: "12345678", manufacturer: "KAM", version: 1, medium: 7 };

/** Every input byte lies in exactly one span (frames without CRCs). */
function assertCovers(r: AnalyzeResult): void {
  const seen = new Uint8Array(r.length);
  for (const s of r.spans) {
    for (let i = 0; i < s.hex.length / 2; i++) {
      const at = s.offset + i;
      assert.ok(at < r.length, `${s.field} runs past the end`);
      assert.equal(seen[at], 0, `byte ${at} in two spans (${s.field})`);
      seen[at] = 1;
    }
  }
  assert.equal(seen.indexOf(0), -1, `byte ${seen.indexOf(0)} in no span`);
}

function field(r: AnalyzeResult, name: string, nth = 1) {
  return r.spans.filter((s) => s.field === name)[nth - 1];
}

const PLAIN = encodeWirelessTelegram(METER, [
  { vif: "13", dataType: "int32", raw: 12345 },
  { vif: "6c", dataType: "dateG", raw: "2024-02-29" },
  { dif: "0d", vif: "fd", vife: ["11"], raw: "abc" },
], 0x21);

Deno.test("analyzeHex() explains a plain wireless telegram byte by byte", () => {
  const r = analyzeHex(toHex(PLAIN));
  assert.equal(r.kind, "wireless");
  assertCovers(r);
  assert.equal(r.notUnderstood, 0);
  assert.equal(field(r, "M")?.meaning, "KAM");
  assert.equal(field(r, "ID")?.meaning, "12345678");
  assert.equal(field(r, "access number")?.meaning, "33");
  assert.match(field(r, "data")?.meaning ?? "", /Volume: 12\.345 m\^3/);
  assert.match(field(r, "data", 2)?.meaning ?? "", /2024-02-29/);
  assert.equal(field(r, "LVAR")?.meaning, "3 bytes");
  assert.match(field(r, "data", 3)?.meaning ?? "", /"abc"/);
});

Deno.test("analyzeHex() places the format A block CRCs at their input offsets", () => {
  const onAir = encodeLinkFrame(PLAIN, "A");
  const r = analyzeHex(toHex(onAir));
  assert.equal(r.length, onAir.length);
  const crcs = r.spans.filter((s) => s.layer === "crc").map((s) => s.offset);
  // Blocks of 10, then 16 bytes (the last one shorter), each followed by its CRC.
  const expected: number[] = [];
  let left = PLAIN.length;
  let at = 0;
  for (let size = 10; left > 0; size = 16) {
    const n = Math.min(size, left);
    expected.push(at + n);
    at += n + 2;
    left -= n;
  }
  assert.equal(at, onAir.length);
  assert.deepEqual(crcs, expected);
  for (const at of crcs) {
    const s = r.spans.find((x) => x.offset === at);
    assert.equal(s?.hex, toHex(onAir.subarray(at, at + 2)).toLowerCase());
  }
  // The same fields as without CRCs, the same count of bytes.
  const total = r.spans.reduce((n, s) => n + s.hex.length / 2, 0);
  assert.equal(total, onAir.length);
  assert.equal(r.notUnderstood, 0);
});

Deno.test("analyzeHex() explains a mode 5 payload with the key and marks it without", () => {
  const enc = encryptMode5Telegram(PLAIN, KEY);
  const locked = analyzeHex(toHex(enc));
  assertCovers(locked);
  const secret = locked.spans.find((s) => s.field === "encrypted");
  assert.ok(secret && !secret.understood);
  assert.equal(locked.notUnderstood, secret.hex.length / 2);
  const open = analyzeHex(toHex(enc), { key: KEY });
  assertCovers(open);
  assert.equal(open.notUnderstood, 0);
  assert.match(field(open, "configuration")?.meaning ?? "", /security mode 5/);
  assert.match(field(open, "data")?.meaning ?? "", /Volume: 12\.345/);
  assert.ok(open.notes.some((n) => n.includes("decrypted")));
});

Deno.test("analyzeHex() explains a wired long frame and checks its checksum", () => {
  const body = fromHex(
    "08 05 72 78563412 2440 01 07 55 00 0000 0C13 45230100 0F AABB",
  );
  let sum = 0;
  for (const b of body) sum = (sum + b) & 0xff;
  const frame = Uint8Array.of(
    0x68,
    body.length,
    body.length,
    0x68,
    ...body,
    sum,
    0x16,
  );
  const r = analyzeHex(toHex(frame));
  assert.equal(r.kind, "wired");
  assertCovers(r);
  assert.equal(field(r, "A")?.meaning, "primary address 5");
  assert.equal(field(r, "ID")?.meaning, "identification number 12345678");
  assert.match(field(r, "data")?.meaning ?? "", /Volume: 12\.345 m\^3/);
  assert.equal(field(r, "checksum")?.understood, true);
  const m = field(r, "manufacturer data");
  assert.equal(m?.hex, "aabb");
  assert.equal(r.notUnderstood, 2);
  frame[frame.length - 2] = (sum + 1) & 0xff;
  const bad = analyzeHex(toHex(frame));
  assert.equal(field(bad, "checksum")?.understood, false);
  assert.match(field(bad, "checksum")?.meaning ?? "", /should be/);
});

Deno.test("analyzeHex() marks the rest of a cut record as not understood", () => {
  const cut = PLAIN.slice(0, PLAIN.length - 2);
  cut[0] = cut.length - 1;
  const r = analyzeHex(toHex(cut));
  assertCovers(r);
  const lost = r.spans.find((s) => s.field === "not understood");
  assert.ok(lost && !lost.understood);
  assert.match(lost.meaning, /premature end/);
  assert.ok(r.notes.length > 0);
});

Deno.test("analyzeHex() refuses bad hex and over-long input without throwing", () => {
  assert.equal(analyzeHex("zz").kind, "invalid");
  assert.equal(analyzeHex("").kind, "invalid");
  assert.equal(analyzeHex("00".repeat(513)).kind, "invalid");
  assert.equal(analyzeHex("E5").spans[0]?.field, "ACK");
});

Deno.test("analyzeHex() covers every byte of every corpus telegram", () => {
  const corpus = loadCorpus();
  if (corpus === null) return;
  for (const c of corpus) {
    const key = c.key ? { key: fromHex(c.key) } : {};
    const r = analyzeHex(c.telegram, key);
    assert.notEqual(r.kind, "invalid", c.telegram);
    assertCovers(r);
  }
});

Deno.test("analyzeHex() marks bytes after the frame (L counts fewer) as not understood", () => {
  const r = analyzeHex(toHex(Uint8Array.of(...PLAIN, 0xaa, 0xbb, 0xcc)));
  assertCovers(r);
  const tail = r.spans.at(-1);
  assert.equal(tail?.field, "trailing");
  assert.equal(tail?.hex, "aabbcc");
  assert.equal(r.notUnderstood, 3);
});

Deno.test("analyzeHex() covers every byte of cut and mutated wired frames", () => {
  const body = fromHex(
    "08 05 72 78563412 2440 01 07 55 00 0000 0C13 45230100 02FD1700 00",
  );
  let sum = 0;
  for (const b of body) sum = (sum + b) & 0xff;
  const frame = Uint8Array.of(
    0x68,
    body.length,
    body.length,
    0x68,
    ...body,
    sum,
    0x16,
  );
  for (let cut = 9; cut <= frame.length; cut++) {
    const r = analyzeHex(toHex(frame.subarray(0, cut)));
    assert.equal(r.kind, "wired");
    assertCovers(r);
    if (cut < frame.length) {
      assert.ok(r.notes.some((n) => n.includes("ends before")));
    }
  }
  for (let at = 4; at < frame.length; at++) {
    const m = frame.slice();
    m[at] = (m[at] ?? 0) ^ 0x5a;
    assertCovers(analyzeHex(toHex(m)));
  }
});
