import assert from "node:assert/strict";
import {
  createApp,
  openApiDocument,
  statusForCode,
} from "../../src/api/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import { FakeBackend } from "./_fake_backend.ts";

// The routes that go to the bus answer 502 when meters collide or a meter's answer is not
// a usable frame; the document must say so (it listed 409, 503 and 504 only).
Deno.test("routes that go to the bus document 502 (COLLISION, BAD_ANSWER), which they answer", () => {
  assert.equal(statusForCode("COLLISION"), 502);
  assert.equal(statusForCode("BAD_ANSWER"), 502);
  const clock = new VirtualClock();
  const doc = openApiDocument(createApp(new FakeBackend(clock), { clock }));
  const paths = doc.paths as Record<
    string,
    { post?: { responses?: Record<string, unknown> } }
  >;
  for (
    const path of [
      "/api/instances/{name}/read",
      "/api/values/{path}/read",
      "/api/instances/{name}/set-primary",
      "/api/instances/{name}/set-baudrate",
    ]
  ) {
    const responses = paths[path]?.post?.responses ?? {};
    assert.ok("502" in responses, `${path} documents 502`);
    assert.match(
      JSON.stringify(responses["502"]),
      /BAD_ANSWER/,
      `${path} names BAD_ANSWER`,
    );
  }
});
