import assert from "node:assert/strict";
import { parseMeterAddress, type ScanProgress } from "../../src/master/mod.ts";
import { meter, rig } from "./_sim.ts";
import { randomMeters } from "./_oracle.ts";

Deno.test("Master.scanPrimary() finds meters with their secondary addresses and reports progress", async () => {
  await using r = rig([meter("12345678", 3), meter("87654321", 7)], {
    idleTimeoutMs: 0,
  });
  const progress: ScanProgress[] = [];
  const found = await r.run(
    r.master.scanPrimary({
      from: 0,
      to: 10,
      onProgress: (p) => progress.push(p),
    }),
  );
  assert.deepEqual(found.map((m) => m.primary), [3, 7]);
  assert.equal(found[0]?.id, "12345678");
  assert.equal(found[0]?.manufacturer, "KAM");
  assert.equal(found[0]?.medium, 7);
  assert.equal(found[0]?.secondary?.length, 16);
  assert.equal(progress.length, 11);
  assert.deepEqual(progress.at(-1), {
    kind: "primary",
    done: 11,
    total: 11,
    found: 2,
    current: "10",
  });
});

Deno.test("Master.scanPrimary() reports two meters sharing an address and identifies both", async () => {
  await using r = rig([
    meter("12345678", 5),
    meter("87654321", 5),
    meter("11112222", 9),
  ], { idleTimeoutMs: 0 });
  const found = await r.run(r.master.scanPrimary({ from: 0, to: 12 }));
  const at5 = found.filter((m) => m.primary === 5);
  assert.equal(at5.length, 2);
  assert.ok(at5.every((m) => m.collision === true));
  assert.deepEqual(at5.map((m) => m.id).sort(), ["12345678", "87654321"]);
  assert.equal(found.filter((m) => m.primary === 9).length, 1);
});

Deno.test("Master.scanPrimary() without resolution reports the shared address once", async () => {
  await using r = rig([meter("12345678", 5), meter("87654321", 5)], {
    idleTimeoutMs: 0,
  });
  const found = await r.run(
    r.master.scanPrimary({ from: 4, to: 6, resolveCollisions: false }),
  );
  assert.deepEqual(found, [{ primary: 5, collision: true }]);
});

Deno.test("Master.scanPrimary() rejects with the abort reason mid-scan", async () => {
  await using r = rig([meter("12345678", 5)], { idleTimeoutMs: 0 });
  const c = new AbortController();
  const reason = new Error("stop");
  const done: number[] = [];
  await assert.rejects(
    r.run(r.master.scanPrimary({
      signal: c.signal,
      onProgress: (p) => {
        done.push(p.done);
        if (p.done === 20) c.abort(reason);
      },
    })),
    (e) => e === reason,
  );
  assert.equal(done.at(-1), 20);
  assert.ok(r.bus.stats().requests <= 21);
});

Deno.test("Master.scanSecondary() finds every meter of a 50-meter bus", async () => {
  const ids = randomMeters(50, 11);
  await using r = rig(ids.map((m, i) => meter(m.id, i + 1)), {
    idleTimeoutMs: 0,
  });
  const found = await r.run(r.master.scanSecondary());
  assert.deepEqual(found.map((m) => m.id).sort(), ids.map((m) => m.id).sort());
  assert.ok(found.every((m) => m.primary !== undefined));
  const stats = r.master.lastScanStats;
  assert.ok(stats.probes > 50 && stats.silent > 0);
});

Deno.test("Master.scanSecondary() finds hex IDs and equal IDs of different manufacturers", async () => {
  const slaves = [
    meter("1234567A", 1),
    meter("12345678", 2),
    meter("12345679", 3),
    meter("55555555", 4, { manufacturer: "KAM" }),
    meter("55555555", 5, { manufacturer: "EFE" }),
    meter("C0FFEE00", 6, { manufacturer: "SEN", medium: 4 }),
  ];
  await using r = rig(slaves, { idleTimeoutMs: 0 });
  const found = await r.run(r.master.scanSecondary());
  assert.deepEqual(
    found.map((m) => `${m.id}/${m.manufacturer}`).sort(),
    slaves.map((s) => `${s.id}/${s.manufacturer}`).sort(),
  );
});

Deno.test("Master.scanSecondary() honours a partial mask", async () => {
  const slaves = [
    meter("12345678", 1),
    meter("12345677", 2, { medium: 4 }),
    meter("22345678", 3),
  ];
  await using r = rig(slaves, { idleTimeoutMs: 0 });
  const a = await r.run(r.master.scanSecondary({ mask: "1234567FFFFFFFFF" }));
  assert.deepEqual(a.map((m) => m.id).sort(), ["12345677", "12345678"]);
  const b = await r.run(r.master.scanSecondary({ mask: "FFFFFFFFFFFFFF04" }));
  assert.deepEqual(b.map((m) => m.id), ["12345677"]);
});

Deno.test("Master.scanSecondary() stops on abort and reports progress per probe", async () => {
  const ids = randomMeters(20, 5);
  await using r = rig(ids.map((m, i) => meter(m.id, i + 1)), {
    idleTimeoutMs: 0,
  });
  const c = new AbortController();
  const seen: ScanProgress[] = [];
  await assert.rejects(
    r.run(r.master.scanSecondary({
      signal: c.signal,
      onProgress: (p) => {
        seen.push(p);
        if (p.done === 7) c.abort(new Error("enough"));
      },
    })),
    /enough/,
  );
  assert.equal(seen.length, 7);
  assert.ok(
    seen.every((p) => p.kind === "secondary" && p.current.length === 16),
  );
});

Deno.test("Master.ping() and applicationReset() and setPrimaryAddress() with read-back", async () => {
  await using r = rig([meter("12345678", 5), meter("87654321", 6)], {
    idleTimeoutMs: 0,
  });
  assert.equal(await r.run(r.master.ping(parseMeterAddress("5"))), true);
  assert.equal(await r.run(r.master.ping(parseMeterAddress("7"))), false);
  assert.equal(
    await r.run(r.master.ping(parseMeterAddress("87654321"))),
    true,
  );
  await r.run(r.master.applicationReset(parseMeterAddress("5")));
  await r.run(r.master.setPrimaryAddress(parseMeterAddress("5"), 42));
  assert.equal(r.bus.slaves[0]?.primaryAddress, 42);
  await r.run(
    r.master.setPrimaryAddress(parseMeterAddress("87654321"), 43),
  );
  assert.equal(r.bus.slaves[1]?.primaryAddress, 43);
  await assert.rejects(
    r.run(r.master.setPrimaryAddress(parseMeterAddress("42"), 43)),
    /another meter answers/,
  );
  await assert.rejects(
    r.run(r.master.setPrimaryAddress(parseMeterAddress("42"), 251)),
    (e) => e instanceof Error && "code" in e && e.code === "BAD_ADDRESS",
  );
});

Deno.test("Master.setBaudRate() switches the meter and the master, and verifies", async () => {
  await using r = rig([meter("12345678", 5)], { idleTimeoutMs: 0 });
  await r.run(r.master.setBaudRate(parseMeterAddress("5"), 9600));
  assert.equal(r.bus.slaves[0]?.baudRate, 9600);
  assert.equal(r.port.baudRate, 9600);
  const reading = await r.run(r.master.readMeter(parseMeterAddress("5")));
  assert.equal(reading.frames, 1);
  await assert.rejects(
    r.run(r.master.setBaudRate(parseMeterAddress("5"), 1234)),
    RangeError,
  );
});

Deno.test("Master.setPrimaryAddress() verifies a meter that a secondary scan just read", async () => {
  // The scan's REQ_UD2 leaves the meter ready to repeat its answer (old A field) for an
  // unchanged FCB; the read-back must start with SND_NKE.
  await using r = rig([meter("12345678", 2), meter("87654321", 1)], {
    idleTimeoutMs: 0,
  });
  await r.run(r.master.scanSecondary());
  await r.run(r.master.setPrimaryAddress(parseMeterAddress("2"), 7));
  assert.equal(r.bus.slaves[0]?.primaryAddress, 7);
});
