/**
 * End to end through the HTTP API against the simulator: values, scale and offset, reads on
 * demand, history, events, metrics, and keys that never leave.
 */
import assert from "node:assert/strict";
import { type Entry, KEY, post, simApi } from "./_sim_api.ts";
import { SseReader } from "./_sse_reader.ts";
import { parsePrometheus } from "./_prometheus.ts";

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
    }&from=${t0}&to=${t.clock.now()}&limit=10000`,
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
