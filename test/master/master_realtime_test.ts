/**
 * The master in real time over the simulator's TCP endpoint (like a converter) and its
 * pseudo-terminal endpoint (like a USB converter), through the real transports.
 */
import assert from "node:assert/strict";
import { Master, parseMeterAddress } from "../../src/master/mod.ts";
import {
  SerialTransport,
  TcpTransport,
  type Transport,
} from "../../src/transport/mod.ts";
import { RealClock } from "../../src/util/mod.ts";
import {
  createSimulation,
  startPtyEndpoint,
  startTcpEndpoint,
} from "../../sim/mod.ts";

async function exercise(transport: Transport, clock: RealClock): Promise<void> {
  const master = new Master({
    transport,
    clock,
    idleTimeoutMs: 0,
    requestTimeoutMs: 1000,
    scanTimeoutMs: 80,
  });
  const reading = await master.readMeter(parseMeterAddress("2"));
  assert.equal(reading.telegram.header?.manufacturer, "GWF");
  assert.equal(reading.partial, false);
  const bySecondary = await master.readMeter({
    kind: "secondary",
    secondary: {
      id: reading.telegram.header?.id ?? "",
      manufacturer: "",
      version: 0xff,
      medium: 0xff,
    },
  });
  assert.equal(bySecondary.frame.a, 2);
  const primary = await master.scanPrimary({ from: 0, to: 3 });
  assert.deepEqual(primary.map((m) => m.primary), [1, 2]);
  const secondary = await master.scanSecondary();
  assert.equal(secondary.length, 2);
  assert.ok(secondary.some((m) => /[A-F]/.test(m.id ?? "")));
  assert.equal(await master.ping(parseMeterAddress("3")), false);
  await master.close();
}

Deno.test("Master works in real time over TCP to the simulator", async () => {
  const clock = new RealClock();
  await using endpoint = startTcpEndpoint(createSimulation("hex_id"), {
    port: 0,
  });
  await using transport = await TcpTransport.open(
    endpoint.host,
    endpoint.port,
    { clock },
  );
  await exercise(transport, clock);
});

Deno.test("Master works in real time over a pseudo-terminal to the simulator", async () => {
  const clock = new RealClock();
  await using endpoint = startPtyEndpoint(createSimulation("hex_id"));
  await using transport = await SerialTransport.open(endpoint.path, {
    clock,
    baudRate: 2400,
  });
  await exercise(transport, clock);
});
