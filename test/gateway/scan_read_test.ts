import assert from "node:assert/strict";
import { MbusError } from "../../src/util/mod.ts";
import { BusArbiter, type GatewayEvent } from "../../src/gateway/mod.ts";
import { fakeHost, oneGateway } from "./_helpers.ts";

Deno.test("Gateway.startScan() reports progress, pauses polling and resumes after", async () => {
  await using t = await fakeHost(oneGateway({ polling: 1000 }), {
    readMs: 10,
    values: { "1": [1], "7": [7] },
  });
  const g = t.host.get("heat");
  assert.ok(g);
  t.host.start();
  await t.clock.advance(500);
  const job = g.startScan({ kind: "primary", from: 0, to: 9 });
  assert.equal(g.state, "scanning");
  await t.clock.advance(100);
  assert.throws(
    () => g.startScan({ kind: "secondary" }),
    (e: unknown) =>
      e instanceof MbusError && e.code === "BUS_BUSY" &&
      e.message.includes("scan 1"),
  );
  await t.clock.drive(job.finished);
  assert.equal(job.status, "done");
  assert.deepEqual(job.result, [{ primary: 1 }, { primary: 7 }]);
  assert.equal(job.progress?.done, 10);
  await t.clock.advance(1000);
  const log = t.sources.get("heat")?.log ?? [];
  const t0 = log[0]?.at ?? 0;
  // scan ran from 500 to 1500: the tick at 1000 was skipped, polling resumed at 2000
  assert.deepEqual(log.map((l) => l.at - t0), [0, 2000]);
  assert.equal(g.state, "idle");
  const progress = t.events.filter((e) => e.type === "scanProgress");
  assert.equal(progress.length, 10);
  const fin = t.events.find((
    e,
  ): e is Extract<GatewayEvent, { type: "scanFinished" }> =>
    e.type === "scanFinished"
  );
  assert.equal(fin?.status, "done");
  assert.deepEqual(JSON.parse(JSON.stringify(job)).status, "done");
  assert.equal(g.scan("1"), job);
  assert.equal(g.scans().length, 1);
});

Deno.test("ScanJob.cancel() ends a scan as cancelled and polling resumes", async () => {
  await using t = await fakeHost(oneGateway({ polling: 1000 }), {
    readMs: 10,
    values: { "1": [1] },
  });
  const g = t.host.get("heat");
  assert.ok(g);
  t.host.start();
  await t.clock.advance(100);
  const job = g.startScan({ kind: "primary" });
  await t.clock.advance(350);
  job.cancel();
  await t.clock.drive(job.finished);
  assert.equal(job.status, "cancelled");
  assert.equal(job.error?.code, "ABORTED");
  const before = t.sources.get("heat")?.log.length ?? 0;
  await t.clock.advance(1000);
  assert.equal(t.sources.get("heat")?.log.length, before + 1);
});

Deno.test("Gateway.startScan() refuses bad parameters before touching the bus", async () => {
  await using t = await fakeHost(oneGateway());
  const g = t.host.get("heat");
  assert.ok(g);
  const cases: [unknown, string][] = [
    [{ kind: "primary", from: 10, to: 5 }, "BAD_ADDRESS"],
    [{ kind: "primary", to: 251 }, "BAD_ADDRESS"],
    [{ kind: "secondary", mask: "12345" }, "BAD_MASK"],
    [{ kind: "wireless", durationMs: 1000 }, "UNSUPPORTED"],
  ];
  for (const [params, code] of cases) {
    assert.throws(
      () => g.startScan(params as never),
      (e: unknown) => e instanceof MbusError && e.code === code,
    );
  }
  assert.equal(g.scans().length, 0);
});

Deno.test("Gateway.read() during polling goes ahead of the queued polls", async () => {
  await using t = await fakeHost(
    oneGateway({ polling: 10_000 }, [{ name: "1" }, { name: "2" }, {
      name: "3",
    }]),
    {
      readMs: 100,
      values: { "1": [1], "2": [2], "3": [3], "9": [9] },
    },
  );
  const g = t.host.get("heat");
  assert.ok(g);
  t.host.start();
  await t.clock.advance(50);
  const read = g.read("009");
  const node = await t.clock.drive(read);
  assert.equal(node.path, "%mbus:9");
  assert.equal(node.records[0]?.value, 9);
  await t.clock.advance(1000);
  const log = t.sources.get("heat")?.log ?? [];
  assert.deepEqual(log.map((l) => l.meter), ["1", "9", "2", "3"]);
  assert.equal(t.sources.get("heat")?.maxActive, 1);
});

Deno.test("Gateway.read() of a silent meter rejects and marks the node", async () => {
  await using t = await fakeHost(oneGateway({}, [{ name: "4" }]));
  const g = t.host.get("heat");
  assert.ok(g);
  await assert.rejects(
    t.clock.drive(g.read("4")),
    (e: unknown) => e instanceof MbusError && e.code === "NO_RESPONSE",
  );
  const node = t.host.lookup("%mbus:4");
  assert.ok(node && "records" in node);
  assert.equal(node.error?.code, "NO_RESPONSE");
  assert.ok(t.events.some((e) => e.type === "readFailed"));
  await assert.rejects(
    g.read("300"),
    (e: unknown) => e instanceof MbusError && e.code === "BAD_ADDRESS",
  );
});

Deno.test("GatewayHost.resolve() finds instances by cluster and by name", async () => {
  await using t = await fakeHost({
    gateways: [
      { name: "a", host: "h", addresses: [{ name: "1" }] },
      { name: "b", host: "h", cluster: 3, addresses: [{ name: "1" }] },
    ],
  });
  assert.equal(t.host.resolve("%mbus:1/0").gateway.name, "a");
  assert.equal(t.host.resolve("%mbus3:1/0").gateway.name, "b");
  assert.equal(t.host.resolve("%mbus:b/1").gateway.name, "b");
  assert.throws(
    () => t.host.resolve("%mbus7:1"),
    (e: unknown) => e instanceof MbusError && e.code === "NOT_FOUND",
  );
  assert.throws(
    () => t.host.resolve("%mbus:x/1"),
    (e: unknown) => e instanceof MbusError && e.code === "NOT_FOUND",
  );
  assert.throws(
    () => t.host.resolve("mbus:1"),
    (e: unknown) => e instanceof MbusError && e.code === "BAD_PATH",
  );
});

Deno.test("Gateway.config redacts meter keys", async () => {
  await using t = await fakeHost({
    gateways: [{
      name: "w",
      type: "wireless",
      serialPort: "/dev/null",
      addresses: [{
        name: "12345678",
        key: "000102030405060708090A0B0C0D0E0F",
      }],
    }],
  });
  const text = JSON.stringify([t.host.config, t.host.get("w")?.config]);
  assert.ok(!text.includes("0A0B0C"));
  assert.ok(text.includes("********"));
});

Deno.test("BusArbiter refuses without waiting and names the holder", async () => {
  const a = new BusArbiter();
  const lease = await a.acquire({ kind: "scan", label: "scan 4" });
  await assert.rejects(
    a.acquire({ kind: "read", label: "read of 5" }, { wait: false }),
    (e: unknown) =>
      e instanceof MbusError && e.code === "BUS_BUSY" &&
      e.message.includes("scan 4"),
  );
  const ac = new AbortController();
  const waiting = a.acquire({ kind: "poll", label: "poll" }, {
    signal: ac.signal,
  });
  ac.abort(new Error("gone"));
  await assert.rejects(waiting, /gone/);
  const order: string[] = [];
  const p1 = a.acquire({ kind: "poll", label: "p" }).then((l) => {
    order.push("poll");
    l.release();
  });
  const p2 = a.acquire({ kind: "read", label: "r" }).then((l) => {
    order.push("read");
    l.release();
  });
  lease.release();
  lease.release();
  await Promise.all([p1, p2]);
  assert.deepEqual(order, ["read", "poll"]);
  assert.equal(a.owner, undefined);
});

Deno.test("Gateway.get() answers only for its own instance and cluster", async () => {
  await using t = await fakeHost({
    gateways: [
      { name: "a", host: "h", polling: 1000, addresses: [{ name: "1" }] },
      {
        name: "b",
        host: "h",
        cluster: 2,
        polling: 1000,
        addresses: [{ name: "1" }],
      },
    ],
  }, { readMs: 10, values: { "1": [5] } });
  t.host.start();
  await t.clock.advance(100);
  const a = t.host.get("a");
  const b = t.host.get("b");
  assert.ok(a && b);
  assert.equal(a.get("%mbus:1/0")?.path, "%mbus:1/0");
  assert.equal(a.get("%mbus:a/1/0")?.path, "%mbus:1/0");
  assert.equal(a.get("%mbus:b/1/0"), undefined);
  assert.equal(a.get("%mbus2:1/0"), undefined);
  assert.equal(b.get("%mbus2:1/0")?.path, "%mbus2:1/0");
  assert.equal(b.get("%mbus:1/0")?.path, "%mbus2:1/0");
  assert.equal(b.get("nonsense"), undefined);
});

Deno.test("a stopped Gateway refuses reads, commands and scans with STOPPED", async () => {
  await using t = await fakeHost(oneGateway(), { values: { "1": [1] } });
  const g = t.host.get("heat");
  assert.ok(g);
  t.host.start();
  await t.host.stop();
  assert.equal(g.state, "stopped");
  const stopped = (e: unknown) =>
    e instanceof MbusError && e.code === "STOPPED";
  await assert.rejects(g.read("1"), stopped);
  await assert.rejects(g.setPrimaryAddress("1", 2), stopped);
  await assert.rejects(g.setBaudRate("1", 9600), stopped);
  assert.throws(() => g.startScan({ kind: "primary" }), stopped);
  assert.equal(t.sources.get("heat")?.closed, true);
});
