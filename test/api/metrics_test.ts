import assert from "node:assert/strict";
import { createApp, METRICS_CONTENT_TYPE } from "../../src/api/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import { parsePrometheus } from "./_prometheus.ts";
import { FakeBackend } from "./_fake_backend.ts";

Deno.test("GET /metrics is parseable Prometheus text with bus counters per instance", async () => {
  const clock = new VirtualClock();
  const backend = new FakeBackend(clock);
  const app = createApp(backend, { clock });
  await (await app.request("/api/instances")).body?.cancel();
  await (await app.request("/api/instances/nope")).body?.cancel();
  const res = await app.request("/metrics");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Content-Type"), METRICS_CONTENT_TYPE);
  const { samples, types } = parsePrometheus(await res.text());
  const get = (name: string, labels: Record<string, string>) =>
    samples.find((s) =>
      s.name === name &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v)
    )?.value;
  for (const instance of ["heat", "water"]) {
    assert.equal(get("mbusgw_bus_requests_total", { instance }), 10);
    assert.equal(get("mbusgw_bus_answers_total", { instance }), 8);
    assert.equal(get("mbusgw_bus_timeouts_total", { instance }), 2);
    assert.equal(get("mbusgw_bus_collisions_total", { instance }), 1);
    assert.equal(get("mbusgw_bus_retries_total", { instance }), 3);
    assert.equal(get("mbusgw_bus_busy_seconds_total", { instance }), 1.5);
    assert.equal(get("mbusgw_instance_state", { instance, state: "idle" }), 1);
  }
  assert.equal(types.get("mbusgw_bus_requests_total"), "counter");
  assert.equal(
    get("mbusgw_http_requests_total", {
      method: "GET",
      route: "/api/instances",
      status: "200",
    }),
    1,
  );
  assert.equal(
    get("mbusgw_http_requests_total", {
      method: "GET",
      route: "/api/instances/:name",
      status: "404",
    }),
    1,
  );
});

Deno.test("GET /metrics escapes label values and exposes unknown counters as gauges", async () => {
  const clock = new VirtualClock();
  const backend = new FakeBackend(clock, ['we"ird\\name']);
  const gw = backend.instances[0];
  assert.ok(gw);
  gw.metricsValue = {
    requests: 1,
    queueDepth: 4,
    nested: { lastCycleMs: 12 },
    label: "text",
  };
  const app = createApp(backend, { clock });
  const { samples } = parsePrometheus(
    await (await app.request("/metrics")).text(),
  );
  const depth = samples.find((s) => s.name === "mbusgw_queue_depth");
  assert.equal(depth?.value, 4);
  assert.equal(depth?.labels.instance, 'we"ird\\name');
  assert.equal(
    samples.find((s) => s.name === "mbusgw_nested_last_cycle_ms")?.value,
    12,
  );
});
