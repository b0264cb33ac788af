import assert from "node:assert/strict";
import { Master, parseMeterAddress } from "../../src/master/mod.ts";
import { TcpTransport } from "../../src/transport/mod.ts";
import { MbusError, RealClock } from "../../src/util/mod.ts";
import {
  GatewayHost,
  History,
  parseConfig,
  WiredSource,
} from "../../src/gateway/mod.ts";
import { createSimulation } from "../../sim/mod.ts";
import { freePort, until } from "../_helpers/net.ts";
import { bridgedHost } from "./bridge/_bridged_host.ts";

// Real time over loopback (the bridge is a socket server); asserts what happened, not how long.

Deno.test("Gateway with tcpServer hands the bus to a third-party master and pauses polling", async () => {
  const clock = new RealClock();
  const bus = createSimulation("demo");
  const port = freePort();
  await using rig = await bridgedHost(bus, port, 60_000);
  const { host, gateway: g } = rig;
  try {
    host.start();
    assert.equal(g.bridge?.listening, `127.0.0.1:${port}`);
    await until(() => g.metrics().reads === 1, "the first poll");
    const transport = await TcpTransport.open("127.0.0.1", port, { clock });
    const master = new Master({
      transport,
      clock,
      requestTimeoutMs: 300,
      idleTimeoutMs: 0,
    });
    try {
      const reading = await master.readMeter(parseMeterAddress("2"));
      assert.ok(reading.telegram.records.length > 0);
      assert.equal(g.state, "bridged");
      assert.throws(
        () => g.startScan({ kind: "primary" }),
        (e: unknown) => e instanceof MbusError && e.code === "BUS_BUSY",
      );
    } finally {
      await master.close();
      await transport.close();
    }
    await until(() => g.state !== "bridged", "the bridge to release the bus");
  } finally {
    await host.stop();
  }
});

Deno.test("Gateway.start() names the bridge port when it is taken", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const clock = new RealClock();
  const bus = createSimulation("demo");
  const history = new History();
  const host = await GatewayHost.create(
    parseConfig({
      gateways: [{
        name: "b",
        host: "h",
        tcpServer: true,
        tcpServerPort: taken.addr.port,
      }],
    }),
    {
      clock,
      history,
      openSource: (_g, c) =>
        new WiredSource({ transport: bus.connect({ clock: c }), clock: c }),
    },
  );
  try {
    assert.throws(
      () => host.start(),
      (e: unknown) =>
        e instanceof MbusError && e.code === "PORT_BUSY" &&
        e.message.includes(String(taken.addr.port)),
    );
  } finally {
    taken.close();
    await host.stop();
    history.close();
  }
});
