import assert from "node:assert/strict";
import { createApp, METRICS_CONTENT_TYPE } from "../../src/api/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import { FakeBackend } from "./_fake_backend.ts";

/** A sample of the Prometheus text format. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict parser of the text exposition format 0.0.4 (enough for our output). */
export function parsePrometheus(
  text: string,
): { samples: Sample[]; types: Map<string, string> } {
  assert.ok(text.endsWith("\n"), "ends in a newline");
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const helps = new Set<string>();
  for (const line of text.slice(0, -1).split("\n")) {
    if (line.startsWith("# HELP ")) {
      const name = line.split(" ")[2] ?? "";
      assert.ok(!helps.has(name), `one HELP for ${name}`);
      helps.add(name);
      continue;
    }
    if (line.startsWith("# TYPE ")) {
      const [, , name = "", type = ""] = line.split(" ");
      assert.match(type, /^(counter|gauge|summary|histogram|untyped)$/);
      assert.ok(!types.has(name), `one TYPE for ${name}`);
      types.set(name, type);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `sample line: ${line}`);
    const labels: Record<string, string> = {};
    const inner = m[3] ?? "";
    const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
    let consumed = 0;
    for (const l of inner.matchAll(labelRe)) {
      labels[l[1] ?? ""] = (l[2] ?? "").replace(
        /\\(.)/g,
        (_, c) => (c === "n" ? "\n" : c),
      );
      consumed += l[0].length;
    }
    assert.equal(consumed, inner.length, `labels of ${line}`);
    const value = Number(
      m[4] === "+Inf" ? Infinity : m[4] === "-Inf" ? -Infinity : m[4],
    );
    assert.ok(!Number.isNaN(value) || m[4] === "NaN", `value of ${line}`);
    const name = m[1] ?? "";
    const family = name.replace(/_(sum|count|bucket)$/, "");
    assert.ok(types.has(name) || types.has(family), `TYPE before ${name}`);
    samples.push({ name, labels, value });
  }
  return { samples, types };
}

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
