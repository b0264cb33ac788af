import assert from "node:assert/strict";
import { isLoopback, serveApi } from "../../src/api/mod.ts";
import { ConfigError, VirtualClock } from "../../src/util/mod.ts";
import { FakeBackend } from "./_fake_backend.ts";
import { SseReader } from "./_sse_reader.ts";

Deno.test("serveApi() serves on 127.0.0.1 port 0 and answers fetch", async () => {
  const clock = new VirtualClock();
  const backend = new FakeBackend(clock);
  await using server = serveApi(backend, {
    hostname: "127.0.0.1",
    port: 0,
    token: "t0k",
  });
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(server.port > 0);
  const res = await fetch(`${server.url}/api/instances`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).instances.length, 2);
  const denied = await fetch(`${server.url}/api/instances/heat/set-primary`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ address: 1, newAddress: 2, confirm: true }),
  });
  assert.equal(denied.status, 401);
  await denied.body?.cancel();
  const allowed = await fetch(`${server.url}/api/instances/heat/set-primary`, {
    method: "POST",
    headers: {
      Authorization: "Bearer t0k",
      "Content-Type": "application/json",
    },
    body: JSON.stringify({ address: 1, newAddress: 2, confirm: true }),
  });
  assert.equal(allowed.status, 200);
  await allowed.body?.cancel();
});

Deno.test("serveApi() refuses a non-loopback address without a token", () => {
  const backend = new FakeBackend(new VirtualClock());
  for (const hostname of ["0.0.0.0", "::", "192.168.1.10", "example.com"]) {
    assert.throws(
      () => serveApi(backend, { hostname, port: 0 }),
      (e: unknown) =>
        e instanceof ConfigError && e.code === "INVALID_CONFIG" &&
        e.path === "api.host",
      hostname,
    );
  }
});

Deno.test("serveApi() listens on 0.0.0.0 when a token is set", async () => {
  const backend = new FakeBackend(new VirtualClock());
  await using server = serveApi(backend, {
    hostname: "0.0.0.0",
    port: 0,
    token: "t",
  });
  const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("serveApi() reports a taken port as a ConfigError", async () => {
  const backend = new FakeBackend(new VirtualClock());
  await using first = serveApi(backend, { port: 0 });
  assert.throws(
    () => serveApi(backend, { port: first.port }),
    (e: unknown) => e instanceof ConfigError && e.path === "api.port",
  );
});

Deno.test("serveApi() streams events over a real socket and shuts down with a stream open", async () => {
  const backend = new FakeBackend(new VirtualClock());
  const heat = backend.instances[0];
  assert.ok(heat);
  const server = serveApi(backend, { port: 0 });
  const res = await fetch(`${server.url}/events`);
  assert.equal(res.headers.get("Content-Type"), "text/event-stream");
  assert.ok(res.body);
  const sse = new SseReader(res.body);
  assert.match((await sse.next())?.comment ?? "", /^mbusgw events/);
  heat.emit({
    type: "valueChanged",
    instance: "heat",
    path: "%mbus:1/0/value",
    value: 5,
  });
  const e = await sse.nextEvent();
  assert.equal(e?.event, "valueChanged");
  assert.equal(JSON.parse(e?.data ?? "").value, 5);
  await server.shutdown();
  assert.equal(await sse.next(), undefined);
});

Deno.test("serveApi() stops when its signal aborts", async () => {
  const stop = new AbortController();
  const server = serveApi(new FakeBackend(new VirtualClock()), {
    port: 0,
    signal: stop.signal,
  });
  stop.abort();
  await server.finished;
});

Deno.test("isLoopback() knows the loopback names", () => {
  for (
    const h of [
      "127.0.0.1",
      "127.1.2.3",
      "localhost",
      "::1",
      "[::1]",
      "::ffff:127.0.0.1",
      "LOCALHOST",
    ]
  ) {
    assert.equal(isLoopback(h), true, h);
  }
  for (
    const h of [
      "0.0.0.0",
      "::",
      "10.0.0.1",
      "128.0.0.1",
      "127.0.0.1.example.com",
      "",
    ]
  ) {
    assert.equal(isLoopback(h), false, h);
  }
});
