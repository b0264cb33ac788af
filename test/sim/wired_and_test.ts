import assert from "node:assert/strict";
import { toHex } from "../../src/util/mod.ts";
import { mergeAnswers, timeBytes } from "../../sim/mod.ts";
import { createRandom } from "../../sim/_random.ts";

const BAUD = 2400;
const CHAR_MS = 11_000 / BAUD;

Deno.test("mergeAnswers() of answers that do not overlap gives both, in time order", () => {
  const a = Uint8Array.of(0x68, 0x03, 0x03, 0x68);
  const b = Uint8Array.of(0xe5, 0x10, 0x16);
  const m = mergeAnswers([
    { startMs: 100, bytes: b },
    { startMs: 0, bytes: a },
  ], BAUD);
  assert.equal(toHex(m.bytes), "68030368e51016");
  assert.ok(Math.abs((m.times[4] ?? 0) - (100 + CHAR_MS)) < 1e-6);
});

Deno.test("mergeAnswers() of byte-aligned answers is the bytewise AND", () => {
  const random = createRandom(7);
  for (let round = 0; round < 200; round++) {
    const n = 1 + Math.floor(random() * 30);
    const a = Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
    const b = Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
    const m = mergeAnswers(
      [{ startMs: 5, bytes: a }, { startMs: 5, bytes: b }],
      BAUD,
    );
    assert.equal(toHex(m.bytes), toHex(a.map((x, i) => x & (b[i] ?? 0xff))));
  }
});

Deno.test("mergeAnswers() is total on random overlapping answers: bounded output, ascending times", () => {
  const random = createRandom(99);
  for (let round = 0; round < 300; round++) {
    const answers = Array.from(
      { length: 1 + Math.floor(random() * 4) },
      () => ({
        startMs: random() * 50,
        bytes: Uint8Array.from(
          { length: Math.floor(random() * 80) },
          () => Math.floor(random() * 256),
        ),
      }),
    );
    const m = mergeAnswers(answers, BAUD);
    const span = Math.max(
      0,
      ...answers.map((a) => a.startMs + a.bytes.length * CHAR_MS),
    );
    assert.equal(m.bytes.length, m.times.length);
    assert.ok(m.bytes.length <= Math.ceil(span / (CHAR_MS * 10 / 11)) + 1);
    for (let i = 1; i < m.times.length; i++) {
      assert.ok((m.times[i] ?? 0) > (m.times[i - 1] ?? 0));
    }
  }
  assert.equal(mergeAnswers([], BAUD).bytes.length, 0);
});

Deno.test("timeBytes() spaces bytes by 11 bit times", () => {
  const t = timeBytes({ startMs: 0, bytes: new Uint8Array(3) }, 9600);
  assert.deepEqual(Array.from(t.times), [1, 2, 3].map((i) => i * 11000 / 9600));
});
