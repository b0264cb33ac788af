import assert from "node:assert/strict";
import { toHex, TransportError, VirtualClock } from "../../../src/util/mod.ts";
import { VirtualBus, VirtualSlave } from "../../../sim/mod.ts";
import { reqUd2, sndNke } from "../_helpers.ts";

function busWithMeter(): VirtualBus {
  const bus = new VirtualBus({ baudRate: 2400 });
  bus.addSlave(
    new VirtualSlave({
      id: "12345678",
      manufacturer: "KAM",
      version: 1,
      medium: 4,
      primaryAddress: 5,
      answerDelayMs: 30,
    }),
  );
  return bus;
}

Deno.test("InProcessEndpoint delivers the E5 after request wire time plus answer delay", async () => {
  const clock = new VirtualClock();
  await using port = busWithMeter().connect({ clock });
  const t0 = clock.now();
  await port.write(sndNke(5));
  const got = await clock.drive(port.read(10, 1000));
  assert.equal(toHex(got), "e5");
  const expected = 6 * 11000 / 2400 + 30;
  assert.ok(Math.abs(clock.now() - t0 - expected) < 1e-3);
  assert.equal(port.stats.bytesOut, 5);
  assert.equal(port.stats.bytesIn, 1);
});

Deno.test("InProcessEndpoint read times out on the clock with an empty array", async () => {
  const clock = new VirtualClock();
  await using port = busWithMeter().connect({ clock });
  await port.write(sndNke(9));
  const t0 = clock.now();
  const got = await clock.drive(port.read(10, 250));
  assert.equal(got.length, 0);
  assert.equal(clock.now() - t0, 250);
});

Deno.test("InProcessEndpoint fast mode makes answers readable at once", async () => {
  const clock = new VirtualClock();
  await using port = busWithMeter().connect({ clock, paced: false });
  await port.write(reqUd2(5, true));
  const got = await port.read(300, 0);
  assert.equal(got[0], 0x68);
  assert.equal(got.length, 12 + 9);
});

Deno.test("InProcessEndpoint purge drops arrived bytes only", async () => {
  const clock = new VirtualClock();
  await using port = busWithMeter().connect({ clock });
  await port.write(reqUd2(5, true));
  assert.equal(await port.purge(), 0, "nothing arrived yet");
  await clock.advance(1000);
  assert.equal(await port.purge(), 21);
  assert.equal(port.stats.bytesPurged, 21);
});

Deno.test("InProcessEndpoint close rejects a pending read with CLOSED", async () => {
  const clock = new VirtualClock();
  const port = busWithMeter().connect({ clock });
  const pending = port.read(1, 1000);
  await port.close();
  await assert.rejects(
    pending,
    (e) => e instanceof TransportError && e.code === "CLOSED",
  );
  await assert.rejects(port.write(sndNke(5)), TransportError);
  await port.close();
});

Deno.test("InProcessEndpoint setBaudRate reaches only slaves at that rate", async () => {
  const clock = new VirtualClock();
  await using port = busWithMeter().connect({ clock });
  await port.setBaudRate(9600);
  await port.write(sndNke(5));
  assert.equal((await clock.drive(port.read(1, 300))).length, 0);
  await assert.rejects(port.setBaudRate(1234), RangeError);
});

Deno.test("InProcessEndpoint latencyMs hands over a burst in one read", async () => {
  const clock = new VirtualClock();
  await using port = busWithMeter().connect({ clock, latencyMs: 16 });
  await port.write(reqUd2(5, true));
  const first = await clock.drive(port.read(300, 1000));
  assert.ok(first.length > 1, `${first.length} bytes`);
  assert.equal(first[0], 0x68);
});

Deno.test("InProcessEndpoint echo hands the request back before the answer", async () => {
  const clock = new VirtualClock();
  await using port = busWithMeter().connect({
    clock,
    echo: true,
    latencyMs: 100,
  });
  await port.write(sndNke(5));
  const got = await clock.drive(port.read(10, 1000));
  assert.equal(toHex(got), "1040054516e5");
});
