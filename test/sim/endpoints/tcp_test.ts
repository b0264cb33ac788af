import assert from "node:assert/strict";
import { decodeFrame } from "../../../src/link/mod.ts";
import { TcpTransport } from "../../../src/transport/mod.ts";
import { toHex } from "../../../src/util/mod.ts";
import { transportConformance } from "../../_conformance/transport_conformance.ts";
import {
  createSimulation,
  startTcpEndpoint,
  VirtualBus,
} from "../../../sim/mod.ts";
import { reqUd2, sndNke } from "../_helpers.ts";
import { exchangeReal } from "./_read_frame.ts";

Deno.test("startTcpEndpoint() serves the bus over a real socket", async () => {
  const bus = createSimulation("demo");
  await using tcp = startTcpEndpoint(bus, { port: 0 });
  assert.equal(tcp.host, "127.0.0.1");
  await using port = await TcpTransport.open(tcp.host, tcp.port);
  assert.equal(toHex(await exchangeReal(port, sndNke(1))), "e5");
  const rsp = decodeFrame(await exchangeReal(port, reqUd2(1, true)));
  assert.ok(rsp.ok && rsp.value.type === "long");
  assert.equal(rsp.value.a, 1);
  assert.equal((await exchangeReal(port, sndNke(77), 200)).length, 0);
  const s = bus.stats();
  assert.equal(s.requests, 3);
  assert.equal(s.silentProbes, 1);
  assert.equal(tcp.clientsServed, 1);
});

Deno.test("startTcpEndpoint() serves one client at a time", async () => {
  await using tcp = startTcpEndpoint(createSimulation("demo"), { port: 0 });
  await using first = await TcpTransport.open(tcp.host, tcp.port);
  const second = await Deno.connect({ hostname: tcp.host, port: tcp.port });
  try {
    const n = await second.read(new Uint8Array(8));
    assert.equal(n, null, "the second client is disconnected");
  } finally {
    second.close();
  }
  assert.equal(toHex(await exchangeReal(first, sndNke(2))), "e5");
});

Deno.test("startTcpEndpoint() serves a client that reconnects right after hanging up", async () => {
  await using tcp = startTcpEndpoint(createSimulation("demo"), { port: 0 });
  for (let i = 0; i < 5; i++) {
    await using port = await TcpTransport.open(tcp.host, tcp.port);
    assert.equal(
      toHex(await exchangeReal(port, sndNke(1))),
      "e5",
      `client ${i}`,
    );
  }
  assert.equal(tcp.clientsServed, 5);
});

Deno.test("startTcpEndpoint() close() lets go of a client waiting for its turn", async () => {
  const tcp = startTcpEndpoint(createSimulation("demo"), {
    port: 0,
    handoverMs: 60_000,
  });
  try {
    await using first = await TcpTransport.open(tcp.host, tcp.port);
    assert.equal(toHex(await exchangeReal(first, sndNke(1))), "e5");
    const second = await Deno.connect({ hostname: tcp.host, port: tcp.port });
    try {
      // Closed by the endpoint (null), or reset if it was still in the listen backlog.
      const read = second.read(new Uint8Array(8)).catch(() => null);
      await tcp.close();
      assert.equal(await read, null, "the waiting client is disconnected");
    } finally {
      second.close();
    }
    assert.equal(tcp.clientsServed, 1);
  } finally {
    await tcp.close();
  }
});

Deno.test("startTcpEndpoint() real-time mode paces the answer", async () => {
  await using tcp = startTcpEndpoint(
    createSimulation("demo", { baudRate: 38_400 }),
    {
      port: 0,
      realtime: true,
    },
  );
  await using port = await TcpTransport.open(tcp.host, tcp.port);
  const rsp = decodeFrame(await exchangeReal(port, reqUd2(1, true)));
  assert.ok(rsp.ok);
});

Deno.test("startTcpEndpoint() echo sends the request back first", async () => {
  await using tcp = startTcpEndpoint(createSimulation("demo"), {
    port: 0,
    echo: true,
  });
  await using port = await TcpTransport.open(tcp.host, tcp.port);
  assert.equal(toHex(await exchangeReal(port, sndNke(1))), "1040014116e5");
});

Deno.test("startTcpEndpoint() reassembles a request split over TCP segments", async () => {
  await using tcp = startTcpEndpoint(createSimulation("demo"), { port: 0 });
  const conn = await Deno.connect({ hostname: tcp.host, port: tcp.port });
  try {
    conn.setNoDelay(true);
    await conn.write(Uint8Array.of(0x10, 0x40));
    await new Promise((r) => setTimeout(r, 30));
    await conn.write(Uint8Array.of(0x01, 0x41, 0x16));
    const buf = new Uint8Array(8);
    const n = await conn.read(buf);
    assert.equal(toHex(buf.subarray(0, n ?? 0)), "e5");
  } finally {
    conn.close();
  }
});

Deno.test("startTcpEndpoint() reports a busy port as PORT_BUSY", async () => {
  await using tcp = startTcpEndpoint(new VirtualBus(), { port: 0 });
  assert.throws(
    () => startTcpEndpoint(new VirtualBus(), { port: tcp.port }),
    (e) => e instanceof Error && "code" in e && e.code === "PORT_BUSY",
  );
});

transportConformance(
  "TcpTransport to the simulator's TCP endpoint (bus monitor as peer)",
  async () => {
    const bus = new VirtualBus({ baudRate: 38_400 });
    const tcp = startTcpEndpoint(bus, { port: 0 });
    const monitor = bus.monitor();
    const transport = await TcpTransport.open(tcp.host, tcp.port);
    return {
      transport,
      peer: {
        write: (b) => monitor.write(b),
        read: (m, t) => monitor.read(m, t),
        close: async () => {
          await monitor.close();
          await tcp.close();
        },
      },
    };
  },
);
