import assert from "node:assert/strict";
import { createApp } from "../../src/api/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import { FakeBackend } from "./_fake_backend.ts";

// A failed field answers 400 naming the field, the value and what is allowed (README), in
// our words: zod's own "Too small: expected string to have >=1 characters" leaked through.
Deno.test("POST /api/analyze: an empty or oversized hex and a bad key say what is allowed", async () => {
  const app = createApp(new FakeBackend(new VirtualClock()));
  const cases: [unknown, RegExp][] = [
    [
      { hex: "" },
      /^Invalid "hex": "" is not allowed; expected 1 to 2048 characters of hex/,
    ],
    [
      { hex: "00".repeat(1025) },
      /^Invalid "hex": .* expected 1 to 2048 characters of hex/,
    ],
    [
      { hex: "10", key: "xyz" },
      /^Invalid "key": .*expected 32 hex digits \(AES-128\) or 16 \(DES\)$/,
    ],
  ];
  for (const [body, message] of cases) {
    const res = await app.fetch(
      new Request("http://127.0.0.1/api/analyze", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
    assert.equal(res.status, 400);
    const e = await res.json();
    assert.equal(e.error.code, "BAD_REQUEST");
    assert.match(e.error.message, message);
    assert.doesNotMatch(e.error.message, /Too small|Too big|Invalid string/);
  }
});
