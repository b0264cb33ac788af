import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { type ApiBackend, createApp } from "../../src/api/mod.ts";
import { History } from "../../src/gateway/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";

function metric(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  return m ? Number(m[1]) : undefined;
}

Deno.test("GET /metrics shows the history writer: rows written, queued and dropped while the database is locked", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-history-metrics-" });
  const clock = new VirtualClock(0);
  const history = new History({
    path: `${dir}/h.db`,
    clock,
    maxQueuedRows: 3,
  });
  const other = new DatabaseSync(`${dir}/h.db`);
  try {
    const backend: ApiBackend = {
      instances: [],
      get: () => undefined,
      history,
    };
    const app = createApp(backend, { clock });
    const row = (t: number) => ({
      instance: "a",
      path: "%mbus:1/0",
      t,
      value: t,
    });
    history.append([row(1), row(2)]);
    history.flush();
    other.exec("BEGIN EXCLUSIVE");
    history.append([row(3), row(4), row(5), row(6)]);
    history.flush();
    const text = await (await app.request("/metrics")).text();
    assert.equal(metric(text, "mbusgw_history_written_rows_total"), 2);
    assert.equal(metric(text, "mbusgw_history_queued_rows"), 3);
    assert.equal(metric(text, "mbusgw_history_dropped_rows_total"), 1);
    assert.equal(metric(text, "mbusgw_history_failed_commits_total"), 1);
    assert.match(text, /^# TYPE mbusgw_history_dropped_rows_total counter$/m);
    other.exec("ROLLBACK");
    await clock.advance(1000);
    const after = await (await app.request("/metrics")).text();
    assert.equal(metric(after, "mbusgw_history_written_rows_total"), 5);
    assert.equal(metric(after, "mbusgw_history_queued_rows"), 0);
  } finally {
    other.close();
    history.close();
    await Deno.remove(dir, { recursive: true });
  }
});
