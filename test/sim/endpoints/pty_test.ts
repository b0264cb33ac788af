import assert from "node:assert/strict";
import { decodeFrame } from "../../../src/link/mod.ts";
import { SerialTransport } from "../../../src/transport/mod.ts";
import { toHex } from "../../../src/util/mod.ts";
import { transportConformance } from "../../_conformance/transport_conformance.ts";
import {
  createSimulation,
  startPtyEndpoint,
  VirtualBus,
} from "../../../sim/mod.ts";
import { control, reqUd2, sndNke } from "../_helpers.ts";
import { exchangeReal } from "./_read_frame.ts";

Deno.test("startPtyEndpoint() carries bytes both ways through a real file descriptor", async () => {
  const bus = createSimulation("demo");
  await using pty = startPtyEndpoint(bus);
  assert.match(pty.path, /^\/dev\/pts\/\d+$/);
  await using port = await SerialTransport.open(pty.path, { baudRate: 2400 });
  assert.equal(toHex(await exchangeReal(port, sndNke(1))), "e5");
  const rsp = decodeFrame(await exchangeReal(port, reqUd2(1, true)));
  assert.ok(rsp.ok && rsp.value.type === "long");
  assert.equal(rsp.value.a, 1);
  assert.equal(bus.stats().requests, 2);
});

Deno.test("startPtyEndpoint() follows an acknowledged baud switch", async () => {
  const bus = createSimulation("demo");
  await using pty = startPtyEndpoint(bus);
  await using port = await SerialTransport.open(pty.path, { baudRate: 2400 });
  assert.equal(toHex(await exchangeReal(port, control(2, 0xbd))), "e5");
  assert.equal(bus.baudRate, 9600);
  await port.setBaudRate(9600);
  assert.equal(toHex(await exchangeReal(port, sndNke(2))), "e5");
  assert.equal(
    (await exchangeReal(port, sndNke(1), 300)).length,
    0,
    "meter 1 is still at 2400",
  );
});

transportConformance(
  "SerialTransport over the simulator's pseudo-terminal (bus monitor as peer)",
  async () => {
    const bus = new VirtualBus({ baudRate: 38_400 });
    const pty = startPtyEndpoint(bus);
    const monitor = bus.monitor();
    const transport = await SerialTransport.open(pty.path, {
      baudRate: 38_400,
    });
    return {
      transport,
      peer: {
        write: (b) => monitor.write(b),
        read: (m, t) => monitor.read(m, t),
        close: async () => {
          await monitor.close();
          await pty.close();
        },
      },
    };
  },
);
