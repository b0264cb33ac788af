import assert from "node:assert/strict";
import { History, type HistoryRow } from "../../src/gateway/mod.ts";

const T0 = Date.UTC(2026, 0, 1);

function rows(): HistoryRow[] {
  const out: HistoryRow[] = [];
  for (let i = 0; i < 10; i++) {
    const t = T0 + i * 60_000;
    out.push({ instance: "a", path: "%mbus:5/0", t, value: i });
    out.push({ instance: "a", path: "%mbus:5/1", t, value: `text ${i}` });
    out.push({ instance: "a", path: "%mbus:50/0", t, value: null });
    out.push({ instance: "b", path: "%mbus2:5/0", t, value: i * 10 });
  }
  return out;
}

Deno.test("History.query() filters by record path, meter path, instance form and bare meter", () => {
  using h = new History();
  h.append(rows());
  assert.equal(h.query({ address: "%mbus:5/0" }).length, 10);
  assert.equal(h.query({ address: "%mbus:5" }).length, 20);
  assert.equal(h.query({ address: "%mbus:50" }).length, 10);
  assert.equal(h.query({ address: "%mbus2:5" }).length, 10);
  assert.equal(h.query({ address: "%mbus:b/5/0" }).length, 10);
  assert.equal(h.query({ address: "%mbus:a/5" }).length, 20);
  assert.equal(h.query({ address: "5" }).length, 30);
  assert.equal(h.query({ address: "005" }).length, 30);
  assert.equal(h.query({ instance: "b" }).length, 10);
  assert.equal(h.query({ address: "%mbus:7" }).length, 0);
});

Deno.test("History.query() returns a time range oldest first, with values of every kind", () => {
  using h = new History();
  h.append(rows());
  const r = h.query({
    address: "%mbus:5",
    from: T0 + 120_000,
    to: T0 + 180_000,
  });
  assert.deepEqual(r.map((x) => x.value), [2, "text 2", 3, "text 3"]);
  assert.deepEqual(r.map((x) => x.t), [
    T0 + 120_000,
    T0 + 120_000,
    T0 + 180_000,
    T0 + 180_000,
  ]);
  assert.equal(h.query({ address: "%mbus:50/0" })[0]?.value, null);
  assert.equal(h.query({ limit: 3 }).length, 3);
});

Deno.test("History buffers rows until flush, query or close", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-history-" });
  try {
    const path = `${dir}/h.db`;
    {
      using h = new History({ path, maxBuffered: 1000 });
      h.append(rows());
      assert.equal(h.count(), 40);
      h.append([{ instance: "a", path: "%mbus:9/0", t: T0, value: 1 }]);
    }
    using again = new History({ path });
    assert.equal(again.count(), 41);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("History.prune() deletes rows older than the retention period", () => {
  using h = new History({ retentionDays: 1 });
  h.append([
    { instance: "a", path: "%mbus:1/0", t: T0, value: 1 },
    { instance: "a", path: "%mbus:1/0", t: T0 + 86_400_000, value: 2 },
    { instance: "a", path: "%mbus:1/0", t: T0 + 2 * 86_400_000, value: 3 },
  ]);
  assert.equal(h.prune(T0 + 2 * 86_400_000), 1);
  assert.deepEqual(h.query().map((r) => r.value), [2, 3]);
  h.close();
  h.close();
  assert.deepEqual(h.query(), []);
});
