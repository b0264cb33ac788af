import assert from "node:assert/strict";
import { createApp } from "../../src/api/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import { FakeBackend } from "./_fake_backend.ts";

function setup() {
  const clock = new VirtualClock();
  const backend = new FakeBackend(clock);
  const heat = backend.instances[0];
  assert.ok(heat);
  heat.entries.push(
    { path: "%mbus:1/0/value", value: 12.5, unit: "m3" },
    { path: "%mbus:1/1/value", value: 3, unit: "W" },
    { path: "%mbus:2/0/value", value: 7, unit: "m3" },
  );
  const app = createApp(backend, { clock });
  return { clock, backend, heat, app };
}

function post(body: unknown, token?: string): RequestInit {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
  };
  if (token) headers.Authorization = `Bearer ${token}`;
  return { method: "POST", headers, body: JSON.stringify(body) };
}

Deno.test("GET /api/instances lists every instance with its config", async () => {
  const { app } = setup();
  const res = await app.request("/api/instances");
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.deepEqual(body.instances.map((i: { name: string }) => i.name), [
    "heat",
    "water",
  ]);
  assert.equal(body.instances[0].state, "idle");
});

Deno.test("GET /api/instances/:name answers 404 NOT_FOUND for an unknown instance", async () => {
  const { app } = setup();
  const res = await app.request("/api/instances/nope");
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), {
    error: { code: "NOT_FOUND", message: 'No instance named "nope"' },
  });
});

Deno.test("GET /api/instances/:name/values filters by address and text", async () => {
  const { app } = setup();
  const all = await (await app.request("/api/instances/heat/values")).json();
  assert.equal(all.values.length, 3);
  const one = await (await app.request("/api/instances/heat/values?address=1"))
    .json();
  assert.equal(one.values.length, 2);
  const q = await (await app.request("/api/instances/heat/values?q=W")).json();
  assert.deepEqual(q.values.map((v: { path: string }) => v.path), [
    "%mbus:1/1/value",
  ]);
});

Deno.test("GET /api/values/:path finds a URL-encoded %mbus: path, with or without instance", async () => {
  const { app } = setup();
  const enc = encodeURIComponent("%mbus:1/0/value");
  const res = await app.request(`/api/values/${enc}`);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.instance, "heat");
  assert.equal(body.value.value, 12.5);
  const named = await app.request(
    `/api/values/${encodeURIComponent("%mbus:heat/2/0/value")}`,
  );
  assert.equal((await named.json()).value.value, 7);
  const missing = await app.request(
    `/api/values/${encodeURIComponent("%mbus:9/0/value")}`,
  );
  assert.equal(missing.status, 404);
  const other = await app.request(`/api/values/${enc}?instance=water`);
  assert.equal(other.status, 404);
});

Deno.test("POST /api/instances/:name/read returns the reading without keys", async () => {
  const { app, clock, heat } = setup();
  const res = await clock.drive(
    Promise.resolve(
      app.request("/api/instances/heat/read", post({ address: 5 })),
    ),
  );
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.address, "5");
  assert.equal(body.reading.records[0].unit, "m3");
  assert.equal(body.reading.key, undefined);
  assert.equal(body.reading.hasKey, true);
  assert.deepEqual(heat.calls, ["read 5"]);
});

Deno.test("POST read maps NO_RESPONSE to 504 and BUS_BUSY to 409", async () => {
  const { app } = setup();
  const silent = await app.request(
    "/api/instances/heat/read",
    post({ address: "99" }),
  );
  assert.equal(silent.status, 504);
  assert.equal((await silent.json()).error.code, "NO_RESPONSE");
  const busy = await app.request(
    "/api/instances/heat/read",
    post({ address: "busy" }),
  );
  assert.equal(busy.status, 409);
  assert.equal((await busy.json()).error.code, "BUS_BUSY");
});

Deno.test("POST read rejects bad JSON and a missing address with 400", async () => {
  const { app } = setup();
  const bad = await app.request("/api/instances/heat/read", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: "{nope",
  });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.code, "BAD_REQUEST");
  const none = await app.request("/api/instances/heat/read", post({}));
  assert.equal(none.status, 400);
  const arr = await app.request("/api/instances/heat/read", post([1]));
  assert.equal(arr.status, 400);
});

Deno.test("POST set-primary needs confirm: true and a new address in 0..250", async () => {
  const { app, heat } = setup();
  const unconfirmed = await app.request(
    "/api/instances/heat/set-primary",
    post({ address: 1, newAddress: 7 }),
  );
  assert.equal(unconfirmed.status, 400);
  assert.equal((await unconfirmed.json()).error.code, "CONFIRMATION_REQUIRED");
  const range = await app.request(
    "/api/instances/heat/set-primary",
    post({ address: 1, newAddress: 251, confirm: true }),
  );
  assert.equal(range.status, 400);
  assert.deepEqual(heat.calls, []);
  const ok = await app.request(
    "/api/instances/heat/set-primary",
    post({ address: 1, newAddress: 7, confirm: true }),
  );
  assert.equal(ok.status, 200);
  assert.deepEqual(heat.calls, ["set-primary 1 7"]);
});

Deno.test("POST set-baudrate needs confirm: true and an EN 13757-2 baud rate", async () => {
  const { app, heat } = setup();
  const bad = await app.request(
    "/api/instances/heat/set-baudrate",
    post({ address: 1, baudRate: 1000, confirm: true }),
  );
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.code, "BAD_BAUD_RATE");
  const unconfirmed = await app.request(
    "/api/instances/heat/set-baudrate",
    post({ address: 1, baudRate: 9600 }),
  );
  assert.equal((await unconfirmed.json()).error.code, "CONFIRMATION_REQUIRED");
  const ok = await app.request(
    "/api/instances/heat/set-baudrate",
    post({ address: 1, baudRate: 9600, confirm: true }),
  );
  assert.equal(ok.status, 200);
  assert.deepEqual(heat.calls, ["set-baudrate 1 9600"]);
});

Deno.test("scans: POST answers 202 with Location, GET shows progress, DELETE cancels", async () => {
  const { app, clock } = setup();
  const res = await app.request(
    "/api/instances/heat/scans",
    post({ kind: "primary", from: 0, to: 20 }),
  );
  assert.equal(res.status, 202);
  const job = await res.json();
  assert.equal(job.status, "running");
  const location = res.headers.get("Location");
  assert.equal(location, `/api/instances/heat/scans/${job.id}`);
  await clock.advance(260);
  const mid = await (await app.request(location)).json();
  assert.equal(mid.progress.done, 5);
  assert.equal(mid.progress.total, 21);
  const del = await app.request(location, { method: "DELETE" });
  assert.equal(del.status, 200);
  await clock.runUntilIdle();
  const end = await (await app.request(location)).json();
  assert.equal(end.status, "cancelled");
  assert.equal(end.progress.done, 5);
  const list = await (await app.request("/api/instances/heat/scans")).json();
  assert.equal(list.scans.length, 1);
  assert.equal((await app.request("/api/instances/heat/scans/77")).status, 404);
});

Deno.test("scans: bad kinds, ranges and durations are refused with 400", async () => {
  const { app } = setup();
  for (
    const body of [
      { kind: "tertiary" },
      { kind: "primary", from: 10, to: 5 },
      { kind: "primary", from: -1 },
      { kind: "secondary", mask: 5 },
      { kind: "wireless" },
      { kind: "wireless", durationMs: 0 },
    ]
  ) {
    const res = await app.request("/api/instances/heat/scans", post(body));
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal((await res.json()).error.code, "BAD_REQUEST");
  }
});

Deno.test("GET /api/history returns rows in the time range", async () => {
  const { app, backend } = setup();
  for (let i = 0; i < 10; i++) {
    backend.rows.push({ path: "%mbus:1/0/value", t: 1000 * i, value: i });
  }
  const res = await app.request(
    "/api/history?address=%25mbus%3A1&from=2000&to=5000",
  );
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.deepEqual(body.rows.map((r: { value: number }) => r.value), [
    2,
    3,
    4,
    5,
  ]);
  const iso = await app.request(
    `/api/history?from=${new Date(0).toISOString()}&to=1000&limit=1`,
  );
  assert.equal((await iso.json()).rows.length, 1);
  assert.equal((await app.request("/api/history?from=5&to=1")).status, 400);
  assert.equal((await app.request("/api/history?from=yesterday")).status, 400);
  assert.equal((await app.request("/api/history?limit=0")).status, 400);
});

Deno.test("GET /healthz and an unknown route", async () => {
  const { app } = setup();
  assert.deepEqual(await (await app.request("/healthz")).json(), {
    status: "ok",
    instances: 2,
  });
  const res = await app.request("/api/nothing");
  assert.equal(res.status, 404);
  assert.equal((await res.json()).error.code, "NOT_FOUND");
});

Deno.test("POST with a body over 64 KiB is refused with 413 PAYLOAD_TOO_LARGE", async () => {
  const { app, heat } = setup();
  const res = await app.request(
    "/api/instances/heat/read",
    post({ address: 1, pad: "x".repeat(70_000) }),
  );
  assert.equal(res.status, 413);
  assert.equal((await res.json()).error.code, "PAYLOAD_TOO_LARGE");
  assert.deepEqual(heat.calls, []);
});

Deno.test("GET / serves the self-contained web page with a strict CSP", async () => {
  const { app } = setup();
  const res = await app.request("/");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("Content-Type") ?? "", /^text\/html/);
  assert.match(
    res.headers.get("Content-Security-Policy") ?? "",
    /default-src 'none'/,
  );
  const html = await res.text();
  assert.match(html, /new EventSource\("\/events"\)/);
  assert.ok(!/\b(src|href)="https?:/.test(html), "no external resources");
  // The web console (src/web) is inlined; its script is admitted by its hash alone
  // (test/web/bundle_stale_test.ts checks the hash and that src/web sets no innerHTML).
  assert.doesNotMatch(
    res.headers.get("Content-Security-Policy") ?? "",
    /script-src[^;]*unsafe-inline/,
  );
  const script = /<script type="module">([\s\S]*)<\/script>/.exec(html)?.[1] ??
    "";
  assert.ok(script.length > 100);
  new Function(script); // parses: no syntax error in the page's script
});

Deno.test("POST /api/values/:path/read answers 422 UNSUPPORTED without backend.readPath", async () => {
  const { app } = setup();
  const res = await app.request(
    `/api/values/${encodeURIComponent("%mbus:1")}/read`,
    { method: "POST" },
  );
  assert.equal(res.status, 422);
  assert.equal((await res.json()).error.code, "UNSUPPORTED");
});
