import assert from "node:assert/strict";
import { createApp } from "../../../src/api/mod.ts";
import {
  type GatewayEvent,
  GatewayHost,
  History,
  openSource,
  parseConfig,
} from "../../../src/gateway/mod.ts";
import { Master, parseMeterAddress } from "../../../src/master/mod.ts";
import { TcpTransport } from "../../../src/transport/mod.ts";
import { RealClock } from "../../../src/util/mod.ts";
import {
  createSimulation,
  startPtyEndpoint,
  startTcpEndpoint,
} from "../../../sim/mod.ts";
import { freePort, readLine, until } from "../../_helpers/net.ts";

// The bridge in a running gateway, over both real back ends (a serial port on the
// simulator's pseudo-terminal, a TCP converter on its TCP endpoint). Real time on loopback:
// the tests assert what happened (polling stopped, then went on), never how long it took.

type Backend = "serial" | "tcp";

async function bridgeThroughGateway(backend: Backend): Promise<void> {
  const clock = new RealClock();
  const bus = createSimulation("demo");
  const pty = backend === "serial"
    ? startPtyEndpoint(bus, { clock })
    : undefined;
  const tcp = backend === "tcp"
    ? startTcpEndpoint(bus, { port: 0, clock })
    : undefined;
  const bridgePort = freePort();
  const history = new History();
  const config = parseConfig({
    gateways: [{
      name: "b",
      type: backend,
      ...(pty ? { serialPort: pty.path } : {}),
      ...(tcp ? { host: tcp.host, port: tcp.port } : {}),
      tcpServer: true,
      tcpServerPort: bridgePort,
      polling: 100,
      requestTimeout: 300,
      idleTimeout: 0,
      addresses: [{ name: "1" }, { name: "2" }],
    }],
  });
  const host = await GatewayHost.create(config, { clock, history, openSource });
  const g = host.get("b");
  assert.ok(g);
  const events: GatewayEvent[] = [];
  const unsubscribe = g.events.subscribe((e) => events.push(e));
  const app = createApp(host);
  try {
    host.start();
    await until(() => g.metrics().reads >= 2, "polling");

    // a bridging tool asks first, then talks raw M-Bus through the same connection
    const conn = await Deno.connect({
      hostname: "127.0.0.1",
      port: bridgePort,
    });
    try {
      await conn.write(new TextEncoder().encode("MBGW WAIT 5000\n"));
      assert.equal(await readLine(conn), "MBGW READY\n");
      assert.equal(g.state, "bridged");
      const readsWhileBridged = g.metrics().reads;
      const detail = await (await app.request("/api/instances/b")).json();
      assert.equal(detail.state, "bridged");
      assert.equal(detail.bridge.session.holdsBus, true);
      assert.match(detail.bridge.session.client, /^127\.0\.0\.1:\d+$/);
      // SND_NKE to 2 → E5, through the bridge to the real back end and back
      await conn.write(Uint8Array.of(0x10, 0x40, 0x02, 0x42, 0x16));
      const buf = new Uint8Array(16);
      assert.equal(await conn.read(buf), 1);
      assert.equal(buf[0], 0xe5);
      // several polling periods pass: no poll reaches the bus meanwhile
      await new Promise((r) => setTimeout(r, 350));
      assert.equal(g.metrics().reads, readsWhileBridged);
    } finally {
      conn.close();
    }
    const before = g.metrics().reads;
    await until(() => g.metrics().reads > before, "polling to resume");
    assert.notEqual(g.state, "bridged");
    const metrics = await (await app.request("/metrics")).text();
    assert.match(metrics, /mbusgw_bridge_sessions_total\{instance="b"\} 1\n/);
    assert.match(
      metrics,
      /mbusgw_bridge_bytes_to_bus_total\{instance="b"\} 5\n/,
    );
    const bridgeEvents = events.filter((e) => e.type === "bridgeState");
    assert.ok(bridgeEvents.length >= 2, "connect and disconnect are events");
  } finally {
    unsubscribe();
    await host.stop();
    history.close();
    await pty?.close();
    await tcp?.close().catch(() => {});
  }
}

Deno.test("the bridge pauses and resumes polling over a serial port (pty back end)", async () => {
  await bridgeThroughGateway("serial");
});

Deno.test("the bridge pauses and resumes polling over a TCP converter back end", async () => {
  await bridgeThroughGateway("tcp");
});

Deno.test("a third-party master reads the multi-frame controller through a gateway's bridge", async () => {
  const clock = new RealClock();
  const bus = createSimulation("rvd_multiframe");
  const tcp = startTcpEndpoint(bus, { port: 0, clock });
  const bridgePort = freePort();
  const history = new History();
  const host = await GatewayHost.create(
    parseConfig({
      gateways: [{
        name: "b",
        host: tcp.host,
        port: tcp.port,
        tcpServer: true,
        tcpServerPort: bridgePort,
        polling: 60_000,
        requestTimeout: 300,
        idleTimeout: 0,
        addresses: [{ name: "1" }],
      }],
    }),
    { clock, history, openSource },
  );
  try {
    host.start();
    const transport = await TcpTransport.open("127.0.0.1", bridgePort, {
      clock,
    });
    const master = new Master({
      transport,
      clock,
      requestTimeoutMs: 500,
      idleTimeoutMs: 0,
    });
    try {
      const found = await master.scanPrimary({ from: 0, to: 3 });
      assert.deepEqual(found.map((m) => m.primary), [1]);
      const reading = await master.readMeter(parseMeterAddress("1"));
      assert.ok(reading.frames >= 5, `frames ${reading.frames}`);
      assert.ok(reading.telegram.records.length > 150);
    } finally {
      await master.close();
      await transport.close();
    }
  } finally {
    await host.stop();
    history.close();
    await tcp.close().catch(() => {});
  }
});
