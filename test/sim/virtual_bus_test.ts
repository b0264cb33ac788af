import assert from "node:assert/strict";
import { classifyReception, decodeFrame } from "../../src/link/mod.ts";
import { fromHex, toHex, VirtualClock } from "../../src/util/mod.ts";
import { mergeAnswers, VirtualBus, VirtualSlave } from "../../sim/mod.ts";
import { control, exchange, reqUd2, select, sndNke } from "./_helpers.ts";

function meter(id: string, primaryAddress: number, answerDelayMs?: number) {
  return new VirtualSlave({
    id,
    manufacturer: "KAM",
    version: 1,
    medium: 4,
    primaryAddress,
    telegrams: [Uint8Array.of(0x04, 0x13, 1, 2, 3, 4)],
    ...(answerDelayMs === undefined ? {} : { answerDelayMs }),
  });
}

Deno.test("mergeAnswers() passes one answer through with byte times", () => {
  const m = mergeAnswers(
    [{ startMs: 10, bytes: Uint8Array.of(0xe5, 0x16) }],
    2400,
  );
  assert.equal(toHex(m.bytes), "e516");
  assert.ok(Math.abs((m.times[0] ?? 0) - (10 + 11000 / 2400)) < 1e-9);
});

Deno.test("mergeAnswers() of bit-aligned identical E5s gives one clean E5", () => {
  const m = mergeAnswers([
    { startMs: 5, bytes: Uint8Array.of(0xe5) },
    { startMs: 5, bytes: Uint8Array.of(0xe5) },
  ], 2400);
  assert.equal(toHex(m.bytes), "e5");
});

Deno.test("mergeAnswers() ANDs simultaneous different bytes", () => {
  const m = mergeAnswers([
    { startMs: 0, bytes: Uint8Array.of(0xf0) },
    { startMs: 0, bytes: Uint8Array.of(0x3c) },
  ], 2400);
  assert.equal(toHex(m.bytes), "30");
});

Deno.test("mergeAnswers() of E5s a few bits apart garbles them", () => {
  const bitMs = 1000 / 2400;
  const m = mergeAnswers([
    { startMs: 0, bytes: Uint8Array.of(0xe5) },
    { startMs: 3 * bitMs, bytes: Uint8Array.of(0xe5) },
  ], 2400);
  assert.notEqual(toHex(m.bytes), "e5");
});

Deno.test("VirtualBus: two meters at one primary address collide and the answer fails to decode", async () => {
  const bus = new VirtualBus();
  bus.addSlave(meter("11111111", 7));
  bus.addSlave(meter("22222222", 7));
  const clock = new VirtualClock();
  await using port = bus.connect({ clock });
  const got = await exchange(port, clock, reqUd2(7, true));
  assert.ok(got.length > 0);
  assert.ok(!decodeFrame(got).ok, toHex(got));
  assert.equal(classifyReception(got).kind === "frame", false);
  const s = bus.stats();
  assert.equal(s.collisions, 1);
  assert.equal(s.answers, 2);
});

Deno.test("VirtualBus: a wildcard select that matches two meters collides, a precise one does not", async () => {
  const bus = new VirtualBus();
  bus.addSlave(meter("12345670", 1));
  bus.addSlave(meter("12345671", 2));
  const clock = new VirtualClock();
  await using port = bus.connect({ clock });
  const both = await exchange(
    port,
    clock,
    select(fromHex("ff 56 34 12 ff ff ff ff")),
  );
  assert.notEqual(toHex(both), "e5");
  const one = await exchange(
    port,
    clock,
    select(fromHex("71 56 34 12 ff ff ff ff")),
  );
  assert.equal(toHex(one), "e5");
  const rsp = decodeFrame(await exchange(port, clock, reqUd2(0xfd, true)));
  assert.ok(rsp.ok && rsp.value.type === "long");
  assert.equal(rsp.value.a, 2);
  assert.equal(bus.stats().collisions, 1);
});

Deno.test("VirtualBus.stats() counts requests, silent probes and bus time", async () => {
  const bus = new VirtualBus({ baudRate: 2400 });
  bus.addSlave(meter("12345678", 5, 20));
  const clock = new VirtualClock();
  await using port = bus.connect({ clock });
  await exchange(port, clock, sndNke(5), 300); // answered
  await port.write(sndNke(6)); // silent
  assert.equal((await clock.drive(port.read(1, 300))).length, 0);
  const s = bus.stats();
  const charMs = 11000 / 2400;
  assert.equal(s.requests, 2);
  assert.equal(s.requestsByType.sndNke, 2);
  assert.equal(s.silentProbes, 1);
  assert.equal(s.answers, 1);
  assert.equal(s.bytesToSlaves, 10);
  assert.equal(s.bytesFromSlaves, 1);
  assert.ok(Math.abs(s.wireMs - 11 * charMs) < 1e-3, String(s.wireMs));
  assert.ok(Math.abs(s.answerWaitMs - 20) < 1e-3);
  // the read timeout started when the request was handed over, the wait at its end
  const silent = 300 - 5 * charMs;
  assert.ok(Math.abs(s.silentWaitMs - silent) < 1e-3, String(s.silentWaitMs));
  assert.ok(Math.abs(s.busTimeMs - (11 * charMs + 20 + silent)) < 1e-3);
  assert.equal(s.meters.length, 1);
  assert.equal(s.meters[0]?.secondaryAddress, "123456782D2C0104");
  bus.resetStats();
  assert.equal(bus.stats().requests, 0);
});

Deno.test("VirtualBus ignores garbage and bad checksums from the master", async () => {
  const bus = new VirtualBus();
  bus.addSlave(meter("12345678", 5));
  const clock = new VirtualClock();
  await using port = bus.connect({ clock });
  assert.equal((await exchange(port, clock, fromHex("00 ff 12"))).length, 0);
  assert.equal(
    (await exchange(port, clock, fromHex("10 40 05 46 16"))).length,
    0,
  );
  const s = bus.stats();
  assert.equal(s.requests, 0);
  assert.equal(s.garbageBytes, 8);
});

Deno.test("VirtualBus.stats(): turnaround runs from an answer to the next request, capped", async () => {
  const bus = new VirtualBus({ baudRate: 2400, maxWaitMs: 1000 });
  bus.addSlave(meter("12345678", 5, 20));
  const clock = new VirtualClock();
  await using port = bus.connect({ clock });
  await exchange(port, clock, sndNke(5), 100); // answer, then a 100 ms quiet read
  await clock.advance(400);
  await exchange(port, clock, sndNke(5), 100);
  await clock.advance(5000);
  await exchange(port, clock, sndNke(5), 100);
  const s = bus.stats();
  assert.equal(s.silentProbes, 0);
  assert.equal(s.silentWaitMs, 0);
  assert.ok(
    Math.abs(s.turnaroundMs - (500 + 1000)) < 1e-3,
    String(s.turnaroundMs),
  );
  assert.ok(s.elapsedMs > 1500);
});

Deno.test("VirtualBus: baud switch acknowledged at the old rate, then the meter hears only the new", async () => {
  const bus = new VirtualBus({ baudRate: 2400 });
  bus.addSlave(meter("12345678", 5));
  bus.addSlave(meter("87654321", 6));
  const clock = new VirtualClock();
  await using port = bus.connect({ clock });
  assert.equal(toHex(await exchange(port, clock, control(5, 0xbd))), "e5");
  assert.equal(
    (await exchange(port, clock, sndNke(5))).length,
    0,
    "5 left 2400",
  );
  await port.setBaudRate(9600);
  assert.equal(bus.baudRate, 9600);
  assert.equal(toHex(await exchange(port, clock, sndNke(5))), "e5");
  assert.equal(
    (await exchange(port, clock, sndNke(6))).length,
    0,
    "6 stayed at 2400",
  );
  const s = bus.stats();
  assert.equal(s.baudRate, 9600);
  assert.deepEqual(s.meters.map((m) => m.baudRate), [9600, 2400]);
});
