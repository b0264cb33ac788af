import assert from "node:assert/strict";
import { constantTimeEqual } from "../../src/api/auth.ts";
import { createApp } from "../../src/api/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import { FakeBackend } from "./_fake_backend.ts";

const TOKEN = "s3cret-token";

function setup() {
  const clock = new VirtualClock();
  const backend = new FakeBackend(clock);
  return { backend, app: createApp(backend, { token: TOKEN, clock }) };
}

function call(
  method: string,
  token?: string,
  body: unknown = { address: 1, newAddress: 3, confirm: true },
): RequestInit {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.Authorization = token;
  return method === "GET" || method === "DELETE" ? { method, headers } : {
    method,
    headers: { ...headers, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
}

Deno.test("requireToken(): a mutating request without a token gets 401 and nothing happens", async () => {
  const { app, backend } = setup();
  const res = await app.request(
    "/api/instances/heat/set-primary",
    call("POST"),
  );
  assert.equal(res.status, 401);
  assert.equal(res.headers.get("WWW-Authenticate"), 'Bearer realm="mbusgw"');
  assert.equal((await res.json()).error.code, "UNAUTHORIZED");
  assert.deepEqual(backend.instances[0]?.calls, []);
});

Deno.test("requireToken(): a wrong token or scheme gets 401", async () => {
  const { app } = setup();
  for (
    const header of [
      `Bearer ${TOKEN}x`,
      `Basic ${TOKEN}`,
      "Bearer",
      TOKEN,
      `Bearer ${TOKEN.slice(1)}`,
    ]
  ) {
    const res = await app.request(
      "/api/instances/heat/set-primary",
      call("POST", header),
    );
    assert.equal(res.status, 401, header);
    await res.body?.cancel();
  }
});

Deno.test("requireToken(): the right bearer token gets 200", async () => {
  const { app, backend } = setup();
  const res = await app.request(
    "/api/instances/heat/set-primary",
    call("POST", `Bearer ${TOKEN}`),
  );
  assert.equal(res.status, 200);
  await res.body?.cancel();
  const lower = await app.request(
    "/api/instances/heat/set-primary",
    call("POST", `bearer ${TOKEN}`),
  );
  assert.equal(lower.status, 200);
  await lower.body?.cancel();
  assert.deepEqual(backend.instances[0]?.calls, [
    "set-primary 1 3",
    "set-primary 1 3",
  ]);
});

Deno.test("requireToken(): GET stays open, DELETE and scans are protected", async () => {
  const { app } = setup();
  for (
    const path of [
      "/api/instances",
      "/api/instances/heat/values",
      "/healthz",
      "/metrics",
      "/openapi.json",
    ]
  ) {
    const res = await app.request(path);
    assert.equal(res.status, 200, path);
    await res.body?.cancel();
  }
  const scan = await app.request(
    "/api/instances/heat/scans",
    call("POST", undefined, { kind: "primary" }),
  );
  assert.equal(scan.status, 401);
  const del = await app.request("/api/instances/heat/scans/1", call("DELETE"));
  assert.equal(del.status, 401);
  const read = await app.request(
    "/api/instances/heat/read",
    call("POST", undefined, { address: 1 }),
  );
  assert.equal(read.status, 401);
});

Deno.test("createApp() without a token leaves mutating requests open", async () => {
  const clock = new VirtualClock();
  const app = createApp(new FakeBackend(clock), { clock });
  const res = await app.request(
    "/api/instances/heat/set-primary",
    call("POST"),
  );
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("constantTimeEqual() compares exactly", () => {
  assert.equal(constantTimeEqual("abc", "abc"), true);
  assert.equal(constantTimeEqual("abc", "abd"), false);
  assert.equal(constantTimeEqual("abc", "ab"), false);
  assert.equal(constantTimeEqual("", ""), true);
  assert.equal(constantTimeEqual("é", "e"), false);
});
