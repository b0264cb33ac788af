import assert from "node:assert/strict";
import { HTTPException } from "hono/http-exception";
import { createApp, ERROR_STATUS, statusForCode } from "../../src/api/mod.ts";
import {
  AddressError,
  ConfigError,
  forwardDecodeCode,
  MbusError,
  VirtualClock,
} from "../../src/util/mod.ts";
import { FakeBackend } from "./_fake_backend.ts";

/** An app whose `read` throws what the test says. */
function appThrowing(thrown: () => unknown) {
  const clock = new VirtualClock();
  const backend = new FakeBackend(clock);
  const heat = backend.instances[0];
  assert.ok(heat);
  heat.read = () => Promise.reject(thrown());
  return createApp(backend, { clock });
}

async function statusOf(
  thrown: () => unknown,
): Promise<
  { status: number; body: { error: { code: string; message: string } } }
> {
  const res = await appThrowing(thrown).request("/api/instances/heat/read", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ address: 1 }),
  });
  return { status: res.status, body: await res.json() };
}

const CASES: [string, () => unknown, number, string][] = [
  [
    "NO_RESPONSE",
    () => new MbusError("NO_RESPONSE", "No answer from 1"),
    504,
    "NO_RESPONSE",
  ],
  [
    "BAD_ADDRESS",
    () => new AddressError("BAD_ADDRESS", "x", "Bad address"),
    400,
    "BAD_ADDRESS",
  ],
  [
    "BAD_MASK",
    () => new AddressError("BAD_MASK", "x", "Bad mask"),
    400,
    "BAD_MASK",
  ],
  [
    "INVALID_CONFIG",
    () => new ConfigError("gateways[0].port", "Bad port"),
    400,
    "INVALID_CONFIG",
  ],
  ["BUS_BUSY", () => new MbusError("BUS_BUSY", "Busy"), 409, "BUS_BUSY"],
  ["NOT_FOUND", () => new MbusError("NOT_FOUND", "Gone"), 404, "NOT_FOUND"],
  [
    "an unknown MbusError code",
    () => new MbusError(forwardDecodeCode("ODD"), "Odd"),
    500,
    "ODD",
  ],
  ["a plain Error", () => new TypeError("secret internals"), 500, "INTERNAL"],
  ["a thrown string", () => "boom", 500, "INTERNAL"],
  [
    "an AbortError",
    () => new DOMException("aborted", "AbortError"),
    503,
    "ABORTED",
  ],
  [
    "an HTTPException",
    () => new HTTPException(413, { message: "Too large" }),
    413,
    "BAD_REQUEST",
  ],
];

for (const [name, thrown, status, code] of CASES) {
  Deno.test(`app.onError maps ${name} to ${status} ${code}`, async () => {
    const r = await statusOf(thrown);
    assert.equal(r.status, status);
    assert.equal(r.body.error.code, code);
    assert.equal(typeof r.body.error.message, "string");
    assert.ok(!r.body.error.message.includes("secret internals"));
  });
}

Deno.test("createApp() reports unexpected errors (500) to onInternalError, not mapped ones", async () => {
  const clock = new VirtualClock();
  const backend = new FakeBackend(clock);
  const heat = backend.instances[0];
  assert.ok(heat);
  heat.read = () => Promise.reject(new TypeError("bug"));
  const seen: string[] = [];
  const app = createApp(backend, {
    clock,
    onInternalError: (e, request) =>
      seen.push(`${request}: ${(e as Error).message}`),
  });
  const res = await app.request("/api/instances/heat/read", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: '{"address":1}',
  });
  assert.equal(res.status, 500);
  await res.body?.cancel();
  await (await app.request("/api/instances/nope")).body?.cancel();
  heat.read = () => Promise.reject(new MbusError("NO_RESPONSE", "silent"));
  const silent = await app.request("/api/instances/heat/read", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: '{"address":1}',
  });
  assert.equal(silent.status, 504);
  await silent.body?.cancel();
  assert.deepEqual(seen, ["POST /api/instances/heat/read: bug"]);
});

Deno.test("statusForCode() follows ERROR_STATUS and defaults to 500", () => {
  for (const [code, status] of Object.entries(ERROR_STATUS)) {
    assert.equal(statusForCode(code), status);
  }
  assert.equal(statusForCode("WHATEVER"), 500);
});
