import assert from "node:assert/strict";
import { decodeFrame } from "../../src/link/mod.ts";
import { toHex, VirtualClock } from "../../src/util/mod.ts";
import { createSimulation, FAILURE_MODES } from "../../sim/mod.ts";
import { exchange, reqUd2, sndNke } from "./_helpers.ts";

Deno.test("faulty_meters: the late meter's answer misses the timeout and arrives later", async () => {
  const bus = createSimulation("faulty_meters");
  const clock = new VirtualClock();
  await using port = bus.connect({ clock });
  await port.write(sndNke(4));
  assert.equal((await clock.drive(port.read(10, 300))).length, 0);
  await clock.advance(2000);
  assert.equal(toHex(await clock.drive(port.read(10, 0))), "e5");
});

Deno.test("faulty_meters: the silent meter never answers, the slow one answers late but in time", async () => {
  const bus = createSimulation("faulty_meters");
  const clock = new VirtualClock();
  await using port = bus.connect({ clock });
  assert.equal((await exchange(port, clock, sndNke(3), 2000)).length, 0);
  await port.write(sndNke(1));
  const t0 = clock.now();
  assert.equal(toHex(await clock.drive(port.read(1, 300))), "e5");
  assert.ok(clock.now() - t0 > 180);
});

Deno.test("faulty_meters: the intermittent meter misses some requests, deterministically", async () => {
  const outcomes: string[] = [];
  for (let run = 0; run < 2; run++) {
    const bus = createSimulation("faulty_meters");
    const clock = new VirtualClock();
    await using port = bus.connect({ clock, paced: false });
    let seq = "";
    for (let i = 0; i < 40; i++) {
      await port.write(sndNke(5));
      seq += (await clock.drive(port.read(1, 0))).length > 0 ? "1" : "0";
    }
    outcomes.push(seq);
  }
  assert.equal(outcomes[0], outcomes[1], "same seed, same misses");
  const ones = (outcomes[0] ?? "").split("").filter((c) => c === "1").length;
  assert.ok(ones > 8 && ones < 32, outcomes[0]);
});

Deno.test("faulty_meters: truncated and bad-checksum meters sometimes send undecodable frames", async () => {
  for (const address of [6, 7]) {
    const bus = createSimulation("faulty_meters");
    const clock = new VirtualClock();
    await using port = bus.connect({ clock, paced: false });
    let bad = 0;
    let good = 0;
    for (let i = 0; i < 30; i++) {
      const got = await exchange(port, clock, reqUd2(address, i % 2 === 0), 50);
      if (decodeFrame(got).ok) good++;
      else bad++;
    }
    assert.ok(
      bad > 0 && good > 0,
      `address ${address}: ${good} good, ${bad} bad`,
    );
  }
});

Deno.test("faulty_meters: the noisy meter's answers carry extra bytes half of the time", async () => {
  const bus = createSimulation("faulty_meters");
  const clock = new VirtualClock();
  await using port = bus.connect({ clock, paced: false });
  let noisy = 0;
  for (let i = 0; i < 30; i++) {
    const got = await exchange(port, clock, sndNke(2), 50);
    if (toHex(got) !== "e5") noisy++;
  }
  assert.ok(noisy > 3 && noisy < 27, `${noisy} of 30`);
});

Deno.test("FAILURE_MODES lists the six modes", () => {
  assert.deepEqual([...FAILURE_MODES].sort(), [
    "badChecksum",
    "intermittent",
    "late",
    "noise",
    "silent",
    "truncated",
  ]);
});
