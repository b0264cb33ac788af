import assert from "node:assert/strict";
import { createApp } from "../../src/api/mod.ts";
import { configJsonSchema } from "../../src/gateway/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import { FakeBackend } from "./_fake_backend.ts";

function setup() {
  const clock = new VirtualClock();
  const backend = new FakeBackend(clock);
  const heat = backend.instances[0];
  assert.ok(heat);
  return { app: createApp(backend, { clock }), heat };
}

function post(body: unknown): RequestInit {
  return {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
}

async function error(
  res: Response,
): Promise<{ status: number; code: string; message: string }> {
  const body = await res.json();
  return { status: res.status, ...body.error };
}

Deno.test("a body that fails its schema gets 400 naming the field, the value and what is allowed", async () => {
  const { app, heat } = setup();
  const range = await error(
    await app.request(
      "/api/instances/heat/set-primary",
      post({ address: 1, newAddress: 251, confirm: true }),
    ),
  );
  assert.deepEqual(range, {
    status: 400,
    code: "BAD_REQUEST",
    message:
      'Invalid "newAddress": 251 is not allowed; expected an integer from 0 to 250',
  });
  const missing = await error(
    await app.request("/api/instances/heat/read", post({})),
  );
  assert.equal(missing.code, "BAD_REQUEST");
  assert.match(
    missing.message,
    /^Missing "address": expected a primary address/,
  );
  const baud = await error(
    await app.request(
      "/api/instances/heat/set-baudrate",
      post({ address: 1, baudRate: 1000, confirm: true }),
    ),
  );
  assert.equal(baud.code, "BAD_BAUD_RATE");
  assert.match(baud.message, /"baudRate": 1000 .*300, 600, 1200/);
  const array = await error(
    await app.request("/api/instances/heat/read", post([1])),
  );
  assert.equal(array.code, "BAD_REQUEST");
  assert.ok(!array.message.includes("\n"));
  assert.deepEqual(heat.calls, []);
});

Deno.test("a query that fails its schema gets 400 naming the parameter", async () => {
  const { app } = setup();
  const limit = await error(await app.request("/api/history?limit=0"));
  assert.equal(limit.code, "BAD_REQUEST");
  assert.match(limit.message, /"limit": "0" .*1 to 10000\b/);
  const time = await error(await app.request("/api/history?from=yesterday"));
  assert.match(time.message, /"from": "yesterday" .*ISO 8601/);
  // Empty parameters count as absent, as before.
  assert.equal(
    (await app.request("/api/history?from=&to=&limit=")).status,
    200,
  );
});

Deno.test("a scan request is validated by kind", async () => {
  const { app } = setup();
  const kind = await error(
    await app.request("/api/instances/heat/scans", post({ kind: "tertiary" })),
  );
  assert.equal(kind.code, "BAD_REQUEST");
  assert.match(kind.message, /"primary", "secondary" or "wireless"/);
  const listen = await error(
    await app.request(
      "/api/instances/heat/scans",
      post({ kind: "wireless", durationMs: 86_400_001 }),
    ),
  );
  assert.match(listen.message, /"durationMs": 86400001 .*86400000/);
  const ok = await app.request(
    "/api/instances/heat/scans",
    post({ kind: "secondary", mask: "FFFFFFFFFFFFFFFF", extra: 1 }),
  );
  assert.equal(ok.status, 202);
  await ok.body?.cancel();
});

Deno.test("an unknown instance answers 404 NOT_FOUND before its request is validated", async () => {
  const { app } = setup();
  for (const body of [{ address: 1 }, { address: [] }, {}]) {
    const res = await app.request("/api/instances/nope/read", post(body));
    assert.equal(res.status, 404, JSON.stringify(body));
    assert.deepEqual(await res.json(), {
      error: { code: "NOT_FOUND", message: 'No instance named "nope"' },
    });
  }
  const scans = await app.request(
    "/api/instances/nope/scans",
    post({ kind: "tertiary" }),
  );
  assert.equal(scans.status, 404);
  await scans.body?.cancel();
});

Deno.test("GET /api/config/schema serves the configuration's JSON Schema", async () => {
  const { app } = setup();
  const res = await app.request("/api/config/schema");
  assert.equal(res.status, 200);
  const schema = await res.json();
  assert.deepEqual(schema, JSON.parse(JSON.stringify(configJsonSchema())));
  assert.equal(schema.additionalProperties, false);
  assert.ok(schema.properties.gateways.items.properties.polling.description);
});
