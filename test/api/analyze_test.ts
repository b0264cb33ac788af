import assert from "node:assert/strict";
import { createApp } from "../../src/api/mod.ts";
import { analyzeHex } from "../../src/wmbus/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import { FakeBackend } from "./_fake_backend.ts";

function post(body: unknown): Request {
  return new Request("http://127.0.0.1/api/analyze", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

Deno.test("POST /api/analyze answers what mbusgw analyze --json prints", async () => {
  const app = createApp(new FakeBackend(new VirtualClock()));
  const hex = "10 40 01 41 16";
  const res = await app.fetch(post({ hex }));
  assert.equal(res.status, 200);
  const got = await res.json();
  assert.deepEqual(got, JSON.parse(JSON.stringify(analyzeHex(hex))));
  assert.equal(got.kind, "wired");
  assert.ok(got.spans.length >= 4);
  assert.equal(got.notUnderstood, 0);
});

Deno.test("POST /api/analyze refuses a bad key, unknown fields and oversized hex with 400", async () => {
  const app = createApp(new FakeBackend(new VirtualClock()));
  for (
    const body of [
      { hex: "10 40 01 41 16", key: "xyz" },
      { hex: "10", extra: 1 },
      { hex: "00".repeat(1025) },
      {},
    ]
  ) {
    const res = await app.fetch(post(body));
    assert.equal(res.status, 400, JSON.stringify(body).slice(0, 60));
    const e = await res.json();
    assert.equal(e.error.code, "BAD_REQUEST");
  }
});
