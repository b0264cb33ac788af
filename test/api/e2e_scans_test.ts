/**
 * End to end through the HTTP API against the simulator: scans as jobs (progress, DELETE,
 * results) and meter commands with token and confirmation.
 */
import assert from "node:assert/strict";
import { post, simApi } from "./_sim_api.ts";
import { SseReader } from "./_sse_reader.ts";

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
