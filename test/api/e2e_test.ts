/**
 * End to end through the HTTP API: the real gateway (WiredSource over the Master) on the
 * simulated demo bus, on a virtual clock; route logic through `app.request()`.
 */
import assert from "node:assert/strict";
import { createApp } from "../../src/api/mod.ts";
import {
  type GatewayConfig,
  GatewayHost,
  History,
  parseConfig,
  WiredSource,
} from "../../src/gateway/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import { createSimulation, type VirtualBus } from "../../sim/mod.ts";
import { parsePrometheus } from "./_prometheus.ts";
import { SseReader } from "./_sse_reader.ts";

const KEY = "000102030405060708090A0B0C0D0E0F";

/** A host whose every instance has its own simulated demo bus, and the API app over it. */
async function simApi(
  gateways: Record<string, unknown>[],
  options: { token?: string } = {},
) {
  const clock = new VirtualClock();
  const buses = new Map<string, VirtualBus>();
  const history = new History();
  const config = parseConfig({
    gateways: gateways.map((g) => ({
      host: "127.0.0.1",
      idleTimeout: 0,
      requestTimeout: 300,
      ...g,
    })),
  });
  const host = await GatewayHost.create(config, {
    clock,
    history,
    tz: "UTC",
    openSource: (g: GatewayConfig, c) => {
      const bus = createSimulation("demo");
      buses.set(g.name, bus);
      return new WiredSource({
        transport: bus.connect({ clock: c }),
        clock: c,
        requestTimeoutMs: g.requestTimeout,
        idleTimeoutMs: g.idleTimeout,
        retry: g.retry,
      });
    },
  });
  const stop = new AbortController();
  const app = createApp(host, {
    clock,
    signal: stop.signal,
    heartbeatMs: 3_600_000,
    ...options,
  });
  /** A request whose handler may wait on the virtual clock. */
  function request(path: string, init?: RequestInit): Promise<Response> {
    return clock.drive(Promise.resolve(app.request(path, init)));
  }
  return {
    host,
    clock,
    buses,
    history,
    app,
    request,
    async [Symbol.asyncDispose]() {
      stop.abort();
      await host.stop();
      history.close();
    },
  };
}

function post(body: unknown, token?: string): RequestInit {
  return {
    method: "POST",
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    body: JSON.stringify(body),
  };
}

interface Entry {
  path: string;
  record: number;
  value: number | string | null;
  unit?: string;
  timestamp: string;
}

Deno.test("e2e: polled values appear in the API, with scale and offset applied", async () => {
  await using t = await simApi([
    { name: "raw", polling: 10_000, addresses: [{ name: "1" }, { name: "2" }] },
    {
      name: "scaled",
      cluster: 1,
      polling: 10_000,
      addresses: [{ name: "1", scale: 0.5, offset: 10 }, { name: "2" }],
    },
  ]);
  t.host.start();
  await t.clock.advance(5_000);
  const raw = await (await t.request("/api/instances/raw/values?address=1"))
    .json();
  const scaled =
    await (await t.request("/api/instances/scaled/values?address=1")).json();
  assert.ok(raw.values.length > 3, `values: ${raw.values.length}`);
  assert.equal(scaled.values.length, raw.values.length);
  let numeric = 0;
  for (const [i, r] of (raw.values as Entry[]).entries()) {
    const s = (scaled.values as Entry[])[i];
    assert.ok(s);
    assert.equal(s.record, r.record);
    if (typeof r.value === "number") {
      numeric++;
      assert.ok(
        Math.abs((s.value as number) - (r.value * 0.5 + 10)) < 1e-9,
        `${r.path}: ${r.value} → ${s.value}`,
      );
    }
  }
  assert.ok(numeric > 0);
  const two = await (await t.request("/api/instances/raw/values?address=2"))
    .json();
  assert.ok(two.values.length > 0);
  const first = (raw.values as Entry[])[0];
  assert.ok(first);
  const one = await t.request(
    `/api/values/${encodeURIComponent("%mbus:raw/1/0/value")}`,
  );
  assert.equal(one.status, 200);
  const oneBody = await one.json();
  assert.equal(oneBody.instance, "raw");
});

Deno.test("e2e: a read on demand during polling answers with the meter's records", async () => {
  await using t = await simApi([
    {
      name: "demo",
      polling: 1_000,
      addresses: [{ name: "1" }, { name: "2" }, { name: "3" }, { name: "10" }],
    },
  ]);
  t.host.start();
  await t.clock.advance(500);
  const reads = t.host.get("demo")?.metrics().reads ?? 0;
  const res = await t.request("/api/instances/demo/read", post({ address: 4 }));
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.address, "4");
  assert.ok(body.reading.records.length > 0);
  assert.ok(
    (t.host.get("demo")?.metrics().reads ?? 0) > reads,
    "polling went on",
  );
  const silent = await t.request(
    "/api/instances/demo/read",
    post({ address: 77 }),
  );
  assert.equal(silent.status, 504);
  assert.equal((await silent.json()).error.code, "NO_RESPONSE");
  const bad = await t.request(
    "/api/instances/demo/read",
    post({ address: "zz" }),
  );
  assert.equal(bad.status, 400);
});

Deno.test("e2e: POST /api/values/:path/read reads the meter now; cluster paths resolve", async () => {
  await using t = await simApi([
    { name: "raw", polling: 600_000, addresses: [{ name: "1" }] },
    {
      name: "scaled",
      cluster: 1,
      polling: 600_000,
      addresses: [{ name: "1", scale: 2 }],
    },
  ]);
  const before = t.host.get("scaled")?.metrics().reads ?? 0;
  const res = await t.request(
    `/api/values/${encodeURIComponent("%mbus1:1/0/value")}/read`,
    { method: "POST" },
  );
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.instance, "scaled");
  assert.equal(typeof body.value.value, "number");
  assert.equal(t.host.get("scaled")?.metrics().reads, before + 1);
  const got = await (await t.request(
    `/api/values/${encodeURIComponent("%mbus1:1/0/value")}`,
  )).json();
  assert.deepEqual(got.value, body.value);
  assert.equal(got.instance, "scaled");
  const named = await (await t.request(
    `/api/values/${encodeURIComponent("%mbus:scaled/1/0/value")}`,
  )).json();
  assert.equal(named.value.value, body.value.value);
  const silent = await t.request(
    `/api/values/${encodeURIComponent("%mbus:77")}/read`,
    { method: "POST" },
  );
  assert.equal(silent.status, 504);
  await silent.body?.cancel();
  const unknown = await t.request(
    `/api/values/${encodeURIComponent("%mbus:nope/1")}`,
  );
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});

Deno.test("e2e: a primary scan runs as a job with progress and is cancelled with DELETE", async () => {
  await using t = await simApi([{
    name: "demo",
    polling: 60_000,
    addresses: [{ name: "1" }],
  }]);
  t.host.start();
  const sse = new SseReader(
    (await t.app.request("/events?types=scanProgress,scanFinished"))
      .body as ReadableStream<Uint8Array>,
  );
  try {
    const res = await t.request(
      "/api/instances/demo/scans",
      post({ kind: "primary", from: 0, to: 250 }),
    );
    assert.equal(res.status, 202);
    const job = await res.json();
    const location = res.headers.get("Location") ?? "";
    assert.equal(job.status, "running");
    await t.clock.advance(3_000);
    const mid = await (await t.request(location)).json();
    assert.equal(mid.status, "running");
    assert.ok(
      mid.progress.done > 0 && mid.progress.done < 251,
      `done ${mid.progress.done}`,
    );
    const busy = await t.request(
      "/api/instances/demo/scans",
      post({ kind: "primary" }),
    );
    assert.equal(busy.status, 409);
    assert.equal((await busy.json()).error.code, "BUS_BUSY");
    const progress = await sse.nextEvent();
    assert.equal(progress?.event, "scanProgress");
    assert.equal(JSON.parse(progress?.data ?? "").instance, "demo");
    assert.equal((await t.request(location, { method: "DELETE" })).status, 200);
    await t.clock.advance(2_000);
    const end = await (await t.request(location)).json();
    assert.equal(end.status, "cancelled");
    for (;;) {
      const e = await sse.nextEvent();
      if (e?.event === "scanFinished") {
        assert.equal(JSON.parse(e.data ?? "").status, "cancelled");
        break;
      }
      assert.ok(e);
    }
  } finally {
    await sse.cancel();
  }
});

Deno.test("e2e: a finished primary scan over a range lists the meters it found", async () => {
  await using t = await simApi([{
    name: "demo",
    polling: 600_000,
    addresses: [{ name: "1" }],
  }]);
  const res = await t.request(
    "/api/instances/demo/scans",
    post({ kind: "primary", from: 0, to: 12 }),
  );
  const location = res.headers.get("Location") ?? "";
  await t.clock.advance(60_000);
  const job = await (await t.request(location)).json();
  assert.equal(job.status, "done");
  assert.deepEqual(job.result.map((m: { primary: number }) => m.primary), [
    1,
    2,
    3,
    4,
    5,
    6,
    10,
  ]);
});

Deno.test("e2e: a secondary scan with a mask finds the meters under it", async () => {
  await using t = await simApi([{
    name: "demo",
    polling: 600_000,
    addresses: [{ name: "1" }],
  }]);
  const bus = t.buses.get("demo");
  assert.ok(bus);
  const bad = await t.request(
    "/api/instances/demo/scans",
    post({ kind: "secondary", mask: "xyz" }),
  );
  assert.equal(bad.status, 400);
  const res = await t.request(
    "/api/instances/demo/scans",
    post({ kind: "secondary", mask: "FFFFFFFFFFFFFFFF" }),
  );
  assert.equal(res.status, 202);
  const location = res.headers.get("Location") ?? "";
  let job = await (await t.request(location)).json();
  for (let i = 0; i < 100 && job.status === "running"; i++) {
    await t.clock.advance(60_000);
    job = await (await t.request(location)).json();
  }
  assert.equal(job.status, "done", JSON.stringify(job.error));
  assert.equal(job.result.length, bus.slaves.length);
  assert.ok(
    job.result.every((m: { secondary?: string }) =>
      /^[0-9A-F]{16}$/i.test(m.secondary ?? "")
    ),
  );
});

Deno.test("e2e: SSE delivers valueChanged events from polling", async () => {
  await using t = await simApi([{
    name: "demo",
    polling: 5_000,
    addresses: [{ name: "2" }],
  }]);
  const sse = new SseReader(
    (await t.app.request("/events?instance=demo&types=valueChanged,busState"))
      .body as ReadableStream<Uint8Array>,
  );
  try {
    t.host.start();
    await t.clock.advance(2_000);
    const state = await sse.nextEvent();
    assert.equal(state?.event, "busState");
    assert.equal(typeof JSON.parse(state?.data ?? "").state, "string");
    let e = await sse.nextEvent();
    while (e?.event === "busState") e = await sse.nextEvent();
    assert.equal(e?.event, "valueChanged");
    const data = JSON.parse(e?.data ?? "");
    assert.equal(data.instance, "demo");
    assert.match(data.path, /^%mbus:(demo\/)?2\//);
  } finally {
    await sse.cancel();
  }
});

Deno.test("e2e: history by time range", async () => {
  await using t = await simApi([{
    name: "demo",
    polling: 60_000,
    addresses: [{ name: "1", log: "always" }],
  }]);
  const t0 = t.clock.now();
  t.host.start();
  await t.clock.advance(60_000 * 3 + 5_000);
  const all = await (await t.request(
    `/api/history?address=${
      encodeURIComponent("%mbus:1")
    }&from=${t0}&to=${t.clock.now()}&limit=100000`,
  )).json();
  const times = [...new Set((all.rows as { t: number }[]).map((r) => r.t))]
    .sort();
  assert.ok(times.length >= 4, `reads logged: ${times.length}`);
  const second = times[1] as number;
  const third = times[2] as number;
  const window = await (await t.request(
    `/api/history?address=${
      encodeURIComponent("%mbus:1")
    }&from=${second}&to=${third}`,
  )).json();
  assert.ok(window.rows, JSON.stringify(window));
  const inWindow = (window.rows as { t: number }[]).map((r) => r.t);
  assert.ok(inWindow.length > 0);
  assert.ok(inWindow.every((x) => x >= second && x <= third));
  assert.deepEqual([...new Set(inWindow)].sort(), [second, third]);
  const iso = await t.request(
    `/api/history?from=${new Date(Math.floor(second)).toISOString()}&to=${
      new Date(Math.ceil(second) + 1).toISOString()
    }&limit=1`,
  );
  assert.equal((await iso.json()).rows.length, 1);
});

Deno.test("e2e: set-primary needs the token and a confirmation, then the meter answers at its new address", async () => {
  const token = "e2e-token";
  await using t = await simApi([{
    name: "demo",
    polling: 600_000,
    addresses: [{ name: "1" }],
  }], { token });
  const body = { address: 5, newAddress: 60, confirm: true };
  assert.equal(
    (await t.request("/api/instances/demo/set-primary", post(body))).status,
    401,
  );
  const unconfirmed = await t.request(
    "/api/instances/demo/set-primary",
    post({ ...body, confirm: false }, token),
  );
  assert.equal((await unconfirmed.json()).error.code, "CONFIRMATION_REQUIRED");
  const ok = await t.request(
    "/api/instances/demo/set-primary",
    post(body, token),
  );
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  const moved = await t.request(
    "/api/instances/demo/read",
    post({ address: 60 }, token),
  );
  assert.equal(moved.status, 200);
  await moved.body?.cancel();
  const gone = await t.request(
    "/api/instances/demo/read",
    post({ address: 5 }, token),
  );
  assert.equal(gone.status, 504);
  await gone.body?.cancel();
  const open = await t.request("/api/instances/demo/values");
  assert.equal(open.status, 200, "GET stays open");
  await open.body?.cancel();
});

Deno.test("e2e: meter keys are never returned by instances, values or events", async () => {
  await using t = await simApi([{
    name: "demo",
    polling: 5_000,
    addresses: [{ name: "1", key: KEY }],
  }]);
  t.host.start();
  await t.clock.advance(3_000);
  const texts = [];
  for (
    const path of [
      "/api/instances",
      "/api/instances/demo",
      "/api/instances/demo/values",
      "/openapi.json",
      "/metrics",
    ]
  ) {
    texts.push(await (await t.request(path)).text());
  }
  texts.push(
    await (await t.request("/api/instances/demo/read", post({ address: 1 })))
      .text(),
  );
  const instance = JSON.parse(texts[1] ?? "");
  const address = instance.config.addresses[0];
  assert.equal(address.key, undefined);
  for (const text of texts) {
    assert.ok(!text.toUpperCase().includes(KEY), "key leaked");
  }
});

Deno.test("e2e: /metrics reports the bus counters of the real gateway", async () => {
  await using t = await simApi([{
    name: "demo",
    polling: 5_000,
    addresses: [{ name: "1" }, { name: "77" }],
  }]);
  t.host.start();
  await t.clock.advance(3_000);
  const { samples, types } = parsePrometheus(
    await (await t.request("/metrics")).text(),
  );
  const value = (name: string) =>
    samples.find((x) => x.name === name && x.labels.instance === "demo")
      ?.value ?? Number.NaN;
  assert.ok(value("mbusgw_bus_requests_total") >= 2);
  assert.ok(value("mbusgw_bus_answers_total") >= 1);
  assert.ok(value("mbusgw_bus_timeouts_total") >= 1);
  assert.ok(value("mbusgw_bus_busy_seconds_total") > 0);
  assert.ok(value("mbusgw_poll_cycles_total") >= 1);
  assert.equal(types.get("mbusgw_bus_requests_total"), "counter");
  assert.ok(
    samples.some((x) =>
      x.name === "mbusgw_instance_state" && x.labels.instance === "demo"
    ),
  );
});
