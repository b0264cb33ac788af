import assert from "node:assert/strict";
import { VirtualClock } from "../../src/util/mod.ts";
import { createApp } from "../../src/api/mod.ts";
import { History } from "../../src/gateway/mod.ts";
import { FakeBackend } from "./_fake_backend.ts";

/** The API over a real in-memory history store: 5 records of meter 1 at each of 6 times. */
function setup() {
  const clock = new VirtualClock();
  const backend = new FakeBackend(clock);
  const history = new History({ path: ":memory:" });
  const rows = [];
  for (let t = 1; t <= 6; t++) {
    for (let rec = 0; rec < 5; rec++) {
      rows.push({
        instance: "heat",
        path: `%mbus:1/${rec}`,
        t: t * 1000,
        value: t * 10 + rec,
      });
    }
  }
  history.append(rows);
  (backend as { history: unknown }).history = history;
  return { app: createApp(backend, { clock }), history };
}

async function page(app: ReturnType<typeof setup>["app"], query: string) {
  const res = await app.request(`/api/history?from=0&to=10000&${query}`);
  const body = await res.json();
  return { status: res.status, body };
}

Deno.test("GET /api/history pages through rows of equal times with `next` and `after`, each row once, in order", async () => {
  const { app, history } = setup();
  for (const limit of [7, 5, 30, 1]) {
    const seen: number[] = [];
    let after = "";
    let pages = 0;
    for (;;) {
      const { status, body } = await page(app, `limit=${limit}&after=${after}`);
      assert.equal(status, 200);
      assert.ok(body.rows.length <= limit);
      seen.push(...body.rows.map((r: { value: number }) => r.value));
      pages++;
      if (body.next === null) break;
      assert.ok(pages < 40, "paging ends");
      assert.equal(body.rows.length, limit, "only a full page has a next");
      after = encodeURIComponent(body.next);
    }
    const all = [];
    for (let t = 1; t <= 6; t++) {
      for (let rec = 0; rec < 5; rec++) all.push(t * 10 + rec);
    }
    assert.deepEqual(seen, all, `limit ${limit}`);
    // A page count of ceil(30 / limit), plus an empty one when the last page was full.
    assert.equal(pages, Math.floor(30 / limit) + 1, `limit ${limit}`);
  }
  history.close();
});

Deno.test("GET /api/history refuses a limit beyond 10000 and a malformed cursor with a one-line 400", async () => {
  const { app, history } = setup();
  for (
    const [query, pattern] of [
      ["limit=10001", /"limit": "10001" .*1 to 10000/],
      ["limit=100000", /"limit": "100000" .*1 to 10000/],
      ["after=abc", /"after": "abc" .*`next` of a previous page/],
      ["after=5", /"after"/],
      ["after=1-99999999999999999", /"after"/],
    ] as const
  ) {
    const { status, body } = await page(app, query);
    assert.equal(status, 400, query);
    assert.equal(body.error.code, "BAD_REQUEST");
    assert.match(body.error.message, pattern);
    assert.ok(!body.error.message.includes("\n"));
  }
  assert.equal((await page(app, "limit=10000")).status, 200);
  history.close();
});
