import assert from "node:assert/strict";
import {
  CollisionError,
  Master,
  NoResponseError,
  parseMeterAddress,
} from "../../src/master/mod.ts";
import { meter, rig, telegram } from "./_sim.ts";

const P5 = parseMeterAddress("5");

Deno.test("Master.readMeter() reads a meter by primary address", async () => {
  await using r = rig([meter("12345678", 5)], { idleTimeoutMs: 0 });
  const reading = await r.run(r.master.readMeter(P5));
  assert.equal(reading.telegram.header?.id, "12345678");
  assert.equal(reading.telegram.records.length, 2);
  assert.equal(reading.telegram.records[0]?.raw, 50);
  assert.equal(reading.frames, 1);
  assert.equal(reading.partial, false);
  assert.equal(reading.frame.a, 5);
  const s = r.bus.stats();
  assert.equal(s.requestsByType.sndNke, 1);
  assert.equal(s.requestsByType.reqUd2, 1);
});

Deno.test("Master.readMeter() reads by secondary address (select, then 253)", async () => {
  await using r = rig([meter("12345678", 5), meter("87654321", 6)], {
    idleTimeoutMs: 0,
  });
  const reading = await r.run(
    r.master.readMeter(parseMeterAddress("87654321")),
  );
  assert.equal(reading.telegram.header?.id, "87654321");
  assert.equal(reading.frame.a, 6);
  // select, SND_NKE to 253 (FCB reset, deselects), select again, REQ_UD2 to 253
  const byType = r.bus.stats().requestsByType;
  assert.equal(byType.select, 2);
  assert.equal(byType.sndNke, 1);
  assert.equal(byType.reqUd2, 1);
});

Deno.test("Master.readMeter() follows multi-telegram answers with toggled FCB and numbers records", async () => {
  const telegrams = [telegram(1), telegram(2), telegram(3)];
  await using r = rig([meter("12345678", 5, { telegrams })], {
    idleTimeoutMs: 0,
  });
  const reading = await r.run(r.master.readMeter(P5));
  assert.equal(reading.frames, 3);
  assert.deepEqual(reading.telegram.records.map((x) => x.index), [
    0,
    1,
    2,
    3,
    4,
    5,
  ]);
  assert.deepEqual(
    reading.telegram.records.filter((_, i) => i % 2 === 0).map((x) => x.raw),
    [1, 2, 3],
  );
  assert.equal(reading.telegram.moreRecordsFollow, false);
  // A second readout starts again at the first telegram (SND_NKE resets the FCB state).
  const again = await r.run(r.master.readMeter(P5));
  assert.equal(again.telegram.records[0]?.raw, 1);
});

Deno.test("Master.readMeter() honours maxFrames and maxRecords", async () => {
  const telegrams = [telegram(1), telegram(2), telegram(3)];
  await using r = rig([meter("12345678", 5, { telegrams })], {
    idleTimeoutMs: 0,
  });
  const two = await r.run(r.master.readMeter(P5, { maxFrames: 2 }));
  assert.equal(two.frames, 2);
  assert.equal(two.telegram.moreRecordsFollow, true);
  assert.equal(two.partial, false);
  const three = await r.run(r.master.readMeter(P5, { maxRecords: 3 }));
  assert.equal(three.telegram.records.length, 3);
  assert.equal(three.frames, 2);
});

Deno.test("Master.readMeter() gives a partial reading when the meter goes silent mid-sequence", async () => {
  const telegrams = [telegram(1), telegram(2), telegram(3)];
  await using r = rig([meter("12345678", 5, { telegrams })], {
    idleTimeoutMs: 0,
    requestTimeoutMs: 500,
    retry: 1,
  });
  const slave = r.bus.slaves[0];
  assert.ok(slave);
  const reading = r.master.readMeter(P5);
  // Let the first telegram arrive (answers: E5, RSP_UD), then pull the meter off the bus.
  while (r.master.stats.answers < 2) await r.clock.advance(1);
  r.bus.removeSlave(slave);
  const result = await r.run(reading);
  assert.equal(result.partial, true);
  assert.equal(result.frames, 1);
  assert.equal(result.telegram.moreRecordsFollow, true);
  assert.ok(r.master.stats.retries >= 1);
});

Deno.test("Master.readMeter() throws NoResponseError after 1 + retry attempts", async () => {
  await using r = rig([], {
    idleTimeoutMs: 0,
    retry: 2,
    requestTimeoutMs: 400,
  });
  const start = r.clock.now();
  await assert.rejects(r.run(r.master.readMeter(P5)), (e) => {
    assert.ok(e instanceof NoResponseError);
    assert.equal(e.code, "NO_RESPONSE");
    assert.equal(e.attempts, 3);
    return true;
  });
  const s = r.master.stats;
  assert.equal(s.requests, 3);
  assert.equal(s.timeouts, 3);
  assert.equal(s.retries, 2);
  // Three full answer timeouts elapsed on the virtual clock.
  assert.ok(r.clock.now() - start >= 3 * 400);
});

Deno.test("Master.readMeter() reports two meters on one primary address as a collision", async () => {
  await using r = rig([meter("12345678", 5), meter("87654321", 5)], {
    idleTimeoutMs: 0,
  });
  await assert.rejects(
    r.run(r.master.readMeter(P5)),
    (e) => e instanceof CollisionError && e.code === "COLLISION",
  );
  assert.ok(r.master.stats.collisions >= 1);
});

Deno.test("Master keeps the idle pause between operations", async () => {
  await using r = rig([meter("12345678", 5)], { idleTimeoutMs: 1000 });
  await r.run(r.master.readMeter(P5));
  const t1 = r.clock.now();
  await r.run(r.master.readMeter(P5));
  assert.ok(r.clock.now() - t1 >= 1000);
});

Deno.test("Master.readMeter() retries a bad checksum with the same FCB", async () => {
  await using r = rig(
    [meter("12345678", 5, {
      failure: { mode: "badChecksum" },
    })],
    { idleTimeoutMs: 0, retry: 1 },
  );
  await assert.rejects(r.run(r.master.readMeter(P5)));
  const s = r.master.stats;
  assert.equal(s.badFrames, 2);
  assert.equal(s.retries, 1);
});

Deno.test("Master.readMeter() rejects with the abort reason", async () => {
  await using r = rig([meter("12345678", 5)], { idleTimeoutMs: 0 });
  const c = new AbortController();
  const reason = new Error("cancelled");
  c.abort(reason);
  await assert.rejects(
    r.run(r.master.readMeter(P5, { signal: c.signal })),
    (e) => e === reason,
  );
});

Deno.test("Master.readMeter() by secondary address starts at the first telegram, also from a fresh master", async () => {
  const telegrams = [telegram(1), telegram(2), telegram(3)];
  await using r = rig([meter("12345678", 5, { telegrams })], {
    idleTimeoutMs: 0,
  });
  const address = parseMeterAddress("12345678");
  const first = await r.run(r.master.readMeter(address, { maxFrames: 2 }));
  assert.equal(first.telegram.records[0]?.raw, 1);
  // A new master (a new CLI run) knows nothing of the meter's FCB state.
  const fresh = new Master({
    transport: r.port,
    clock: r.clock,
    idleTimeoutMs: 0,
  });
  const again = await r.run(fresh.readMeter(address));
  assert.equal(again.frames, 3);
  assert.deepEqual(
    again.telegram.records.filter((_, i) => i % 2 === 0).map((x) => x.raw),
    [1, 2, 3],
  );
});

Deno.test("Master passes a transport failure on as the transport's error", async () => {
  await using r = rig([meter("12345678", 5)], { idleTimeoutMs: 0 });
  await r.port.close();
  await assert.rejects(
    r.run(r.master.readMeter(P5)),
    (e) => e instanceof Error && "code" in e && e.code === "CLOSED",
  );
  // The master's queue is not stuck: the next operation fails the same way.
  await assert.rejects(r.run(r.master.ping(P5)), /closed/);
});

for (const mode of ["truncated", "noise", "badChecksum"] as const) {
  Deno.test(`Master.readMeter() gives a typed error for a meter whose answers are always ${mode}`, async () => {
    await using r = rig(
      [meter("12345678", 5, { failure: { mode, probability: 1 } })],
      { idleTimeoutMs: 0, retry: 2, requestTimeoutMs: 500 },
    );
    await assert.rejects(r.run(r.master.readMeter(P5)), (e) => {
      assert.ok(e instanceof Error && "code" in e);
      assert.ok(
        ["BAD_ANSWER", "NO_RESPONSE", "COLLISION"].includes(String(e.code)),
        String(e.code),
      );
      return true;
    });
    const s = r.master.stats;
    assert.equal(
      s.requests,
      s.answers + s.timeouts + s.collisions + s.badFrames,
    );
  });
}

Deno.test("Master.readMeter() recovers from occasional noise by retrying", async () => {
  await using r = rig(
    [meter("12345678", 5, {
      failure: { mode: "noise", probability: 0.5 },
      seed: 3,
    })],
    { idleTimeoutMs: 0, retry: 5 },
  );
  for (let i = 0; i < 5; i++) {
    const reading = await r.run(r.master.readMeter(P5));
    assert.equal(reading.telegram.header?.id, "12345678");
  }
  assert.ok(r.master.stats.retries > 0);
});

Deno.test("Master.readMeter() yields between telegrams when yieldWhen() asks, and the next readout starts afresh", async () => {
  const telegrams = [telegram(1), telegram(2), telegram(3)];
  await using r = rig([meter("12345678", 5, { telegrams })], {
    idleTimeoutMs: 0,
  });
  let asked = 0;
  const reading = await r.run(
    r.master.readMeter(P5, { yieldWhen: () => ++asked >= 2 }),
  );
  assert.equal(reading.frames, 2, "stopped after the second telegram");
  assert.equal(reading.yielded, true);
  assert.equal(reading.partial, true);
  // Never asked after the last telegram: a whole readout is not "yielded".
  const whole = await r.run(
    r.master.readMeter(P5, { yieldWhen: () => false }),
  );
  assert.equal(whole.frames, 3);
  assert.equal(whole.yielded, undefined);
  assert.equal(whole.telegram.records[0]?.raw, 1);
});
