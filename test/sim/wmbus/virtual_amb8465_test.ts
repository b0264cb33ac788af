import assert from "node:assert/strict";
import { VirtualClock } from "../../../src/util/mod.ts";
import {
  Amb8465Codec,
  AMBER_COMMAND,
  amberSetModeRequest,
  detectReceiver,
  encodeAmberFrame,
  type ReceivedTelegram,
  WmbusReceiver,
} from "../../../src/wmbus/mod.ts";
import {
  connectAmb8465,
  createWirelessSimulation,
  VirtualAmb8465,
} from "../../../sim/wmbus/mod.ts";

function frames(bytes: Uint8Array[]) {
  const codec = new Amb8465Codec();
  for (const b of bytes) codec.push(b, 0);
  return codec.takeFrames();
}

Deno.test("VirtualAmb8465 confirms the mode and answers firmware and serial number requests", async () => {
  const amber = new VirtualAmb8465({ serialNumber: 0x01020304 });
  const configured = amber.whenConfigured();
  const answers = frames([
    ...amber.receive(amberSetModeRequest("C1")),
    ...amber.receive(encodeAmberFrame(AMBER_COMMAND.firmwareVersion)),
    ...amber.receive(encodeAmberFrame(AMBER_COMMAND.serialNumber)),
  ]);
  assert.deepEqual(
    answers.map((f) => [f.command, [...f.payload]]),
    [[0x84, [0]], [0x8c, [1, 7, 0]], [0x8b, [1, 2, 3, 4]]],
  );
  assert.equal(await configured, 0x0e);
  assert.equal(amber.requests, 3);
});

Deno.test("VirtualAmb8465 reports only telegrams heard in its mode", () => {
  const air = createWirelessSimulation({ meters: ["itron_water"] });
  const [t] = air.transmit();
  assert.ok(t);
  const amber = new VirtualAmb8465();
  assert.equal(amber.indicate(t.telegram, "T1"), null, "no mode yet");
  amber.receive(amberSetModeRequest("C1"));
  assert.equal(amber.indicate(t.telegram, "T1"), null, "T1 not heard in C1");
  amber.receive(amberSetModeRequest("C1T1"));
  const ind = amber.indicate(t.telegram, "T1");
  assert.ok(ind);
  const codec = new Amb8465Codec();
  const [got] = codec.push(ind, 0);
  assert.deepEqual([...(got?.telegram ?? [])], [...t.telegram]);
  assert.equal(got?.rssi, 0x14 / 2 - 74);
});

Deno.test("detectReceiver() identifies the in-process virtual AMB8465 after the iM871A probe times out", async () => {
  const clock = new VirtualClock();
  const air = createWirelessSimulation({ clock });
  await using port = connectAmb8465(air);
  const found = await clock.drive(detectReceiver(port, { clock }));
  assert.equal(found.format, "amb8465");
  assert.equal(found.description, "AMB8465 firmware 1.7.0");
  assert.equal(port.baudRate, 9600);
});

Deno.test("WmbusReceiver hears the simulation through the in-process AMB8465", async () => {
  const clock = new VirtualClock();
  const air = createWirelessSimulation({ clock });
  const got: ReceivedTelegram[] = [];
  const receiver = new WmbusReceiver(
    () => Promise.resolve(connectAmb8465(air)),
    { format: "amb8465", clock, readTimeoutMs: 500 },
  );
  const reading = (async () => {
    for await (const t of receiver) got.push(t);
  })();
  air.start();
  await clock.advance(5_000);
  await air.stop();
  await receiver.close();
  await reading;
  assert.equal(got.length, 5);
  assert.ok(got.every((t) => t.rssi === -64));
});
