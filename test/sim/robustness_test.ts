import assert from "node:assert/strict";
import { decodeFrame } from "../../src/link/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import { createSimulation } from "../../sim/mod.ts";
import { createRandom } from "../../sim/_random.ts";
import { control, reqUd2, select, setAddress, sndNke } from "./_helpers.ts";

function validRequests(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const a of [0, 1, 2, 5, 10, 253, 254, 255]) {
    out.push(sndNke(a), reqUd2(a, true), reqUd2(a, false));
    out.push(control(a, 0x50), control(a, 0xbb), control(a, 0x99));
    out.push(setAddress(a, (a + 1) % 250));
  }
  out.push(
    select(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)),
  );
  out.push(
    select(Uint8Array.of(0x67, 0x45, 0x23, 0x71, 0xff, 0xff, 0xff, 0xff)),
  );
  return out;
}

Deno.test("VirtualBus survives seeded random and mutated input without throwing or hanging", async () => {
  const bus = createSimulation("all_meters");
  const clock = new VirtualClock();
  await using port = bus.connect({ clock, paced: false });
  const random = createRandom(42);
  const requests = validRequests();
  let sent = 0;
  for (let i = 0; i < 3000; i++) {
    const base = requests[Math.floor(random() * requests.length)] ?? sndNke(1);
    let chunk: Uint8Array;
    const kind = random();
    if (kind < 0.3) chunk = base;
    else if (kind < 0.6) {
      chunk = base.slice();
      chunk[Math.floor(random() * chunk.length)] = Math.floor(random() * 256);
    } else if (kind < 0.8) {
      chunk = base.subarray(0, Math.floor(random() * base.length));
    } else {chunk = Uint8Array.from(
        { length: 1 + Math.floor(random() * 40) },
        () => Math.floor(random() * 256),
      );}
    await port.write(chunk);
    sent += chunk.length;
    await port.purge();
  }
  const s = bus.stats();
  assert.equal(s.bytesToSlaves, sent);
  assert.ok(s.requests > 500);
  assert.ok(s.garbageBytes > 0);
  assert.equal(s.meters.length, 16);
});

Deno.test("VirtualSlave answers to single-addressed requests always decode as frames", async () => {
  const bus = createSimulation("demo");
  const clock = new VirtualClock();
  await using port = bus.connect({ clock, paced: false });
  let answers = 0;
  for (const a of [0, 1, 2, 3, 4, 5, 6, 10]) {
    for (
      const request of [
        sndNke(a),
        reqUd2(a, true),
        reqUd2(a, false),
        control(a, 0x50),
      ]
    ) {
      await port.write(request);
      const got = await clock.drive(port.read(1000, 0));
      if (got.length === 0) continue;
      answers++;
      assert.ok(decodeFrame(got).ok, `answer of address ${a}`);
    }
  }
  assert.equal(answers, 7 * 4);
});
