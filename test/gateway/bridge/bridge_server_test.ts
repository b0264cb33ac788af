import assert from "node:assert/strict";
import { BridgeServer } from "../../../src/gateway/bridge/mod.ts";
import { BusArbiter } from "../../../src/gateway/source/arbiter.ts";
import { Master } from "../../../src/master/mod.ts";
import { TcpTransport } from "../../../src/transport/mod.ts";
import { RealClock } from "../../../src/util/mod.ts";
import { createSimulation } from "../../../sim/mod.ts";
import { readLine, until } from "../../_helpers/net.ts";

// These run in real time over loopback sockets (the bridge is a socket server), with short
// timeouts; they assert what crossed the bridge, never how long it took.

interface Rig extends AsyncDisposable {
  bridge: BridgeServer;
  arbiter: BusArbiter;
  port: number;
  busyReason: { text: string | undefined };
}

function startRig(idleLimitMs = 5_000): Rig {
  const clock = new RealClock();
  const bus = createSimulation("demo");
  const transport = bus.connect({ clock, paced: false });
  const arbiter = new BusArbiter();
  const busyReason: { text: string | undefined } = { text: undefined };
  const bridge = BridgeServer.start({
    transport,
    arbiter,
    clock,
    port: 0,
    idleLimitMs,
    busyReason: () => busyReason.text,
  });
  return {
    bridge,
    arbiter,
    port: bridge.address.port,
    busyReason,
    async [Symbol.asyncDispose]() {
      await bridge.close();
      await transport.close();
    },
  };
}

async function openMaster(
  port: number,
): Promise<{ master: Master; close(): Promise<void> }> {
  const clock = new RealClock();
  const transport = await TcpTransport.open("127.0.0.1", port, { clock });
  const master = new Master({
    transport,
    clock,
    requestTimeoutMs: 300,
    idleTimeoutMs: 0,
  });
  return {
    master,
    async close() {
      await master.close();
      await transport.close();
    },
  };
}

Deno.test("BridgeServer carries a primary scan and a multi-frame read, pausing polling meanwhile", async () => {
  await using rig = startRig();
  const client = await openMaster(rig.port);
  try {
    const found = await client.master.scanPrimary({ from: 0, to: 12 });
    assert.deepEqual(found.map((m) => m.primary), [1, 2, 3, 4, 5, 6, 10]);
    assert.ok(
      rig.arbiter.isPaused,
      "polling is paused while a client is connected",
    );
    assert.equal(rig.arbiter.owner?.kind, "bridge");
    const reading = await client.master.readMeter({
      kind: "primary",
      address: 10,
    });
    assert.ok(reading.frames >= 5, `frames ${reading.frames}`);
    assert.ok(reading.telegram.records.length > 150);
    assert.equal(reading.partial, false);
    const session = rig.bridge.state.session;
    assert.ok(session && session.bytesToBus > 0 && session.bytesToClient > 0);
  } finally {
    await client.close();
  }
  await until(
    () => !rig.arbiter.isPaused && rig.arbiter.owner === undefined,
    "resume",
  );
  assert.equal(rig.bridge.state.session, null);
  assert.equal(rig.bridge.state.sessions, 1);
});

Deno.test("BridgeServer refuses a second client and keeps the first", async () => {
  await using rig = startRig();
  const first = await openMaster(rig.port);
  try {
    assert.equal(
      await first.master.ping({ kind: "primary", address: 1 }),
      true,
    );
    const second = await Deno.connect({
      hostname: "127.0.0.1",
      port: rig.port,
    });
    try {
      assert.match(
        await readLine(second),
        /^MBGW BUSY bridge in use by 127\.0\.0\.1:\d+/,
      );
      assert.equal(
        await second.read(new Uint8Array(8)),
        null,
        "refused client is closed",
      );
    } finally {
      second.close();
    }
    assert.equal(
      await first.master.ping({ kind: "primary", address: 2 }),
      true,
    );
    assert.equal(rig.bridge.state.refused, 1);
  } finally {
    await first.close();
  }
});

Deno.test("BridgeServer handshake answers READY when the bus is free", async () => {
  await using rig = startRig();
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: rig.port });
  try {
    await conn.write(new TextEncoder().encode("MBGW STATUS\r\n"));
    assert.equal(await readLine(conn), "MBGW READY\n");
    assert.equal(
      rig.arbiter.owner?.kind,
      "bridge",
      "a connected client holds the bus",
    );
    await conn.write(new TextEncoder().encode("MBGW FETCH\n"));
    assert.match(await readLine(conn), /^MBGW ERROR unknown request "FETCH"/);
  } finally {
    conn.close();
  }
  await until(
    () => !rig.arbiter.isPaused && rig.arbiter.owner === undefined,
    "release",
  );
});

Deno.test("BridgeServer handshake answers BUSY with the scan's progress, and waits for READY", async () => {
  await using rig = startRig();
  const scan = await rig.arbiter.acquire({ kind: "scan", label: "scan 1" });
  rig.busyReason.text = "scan secondary 12/100 found 3";
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: rig.port });
  try {
    const enc = new TextEncoder();
    await conn.write(enc.encode("MBGW STATUS\n"));
    assert.equal(
      await readLine(conn),
      "MBGW BUSY scan secondary 12/100 found 3\n",
    );
    assert.ok(rig.arbiter.isPaused, "polling pauses while the client waits");
    await conn.write(enc.encode("MBGW WAIT 50\n"));
    assert.equal(
      await readLine(conn),
      "MBGW BUSY scan secondary 12/100 found 3\n",
    );
    await conn.write(enc.encode("MBGW WAIT 5000\n"));
    const answer = readLine(conn);
    rig.busyReason.text = undefined;
    scan.release();
    assert.equal(await answer, "MBGW READY\n");
    assert.equal(rig.arbiter.owner?.kind, "bridge");
    // raw bytes follow the handshake on the same connection: SND_NKE to 1 → E5
    await conn.write(Uint8Array.of(0x10, 0x40, 0x01, 0x41, 0x16));
    const buf = new Uint8Array(8);
    assert.equal(await conn.read(buf), 1);
    assert.equal(buf[0], 0xe5);
  } finally {
    conn.close();
  }
  await until(() => !rig.arbiter.isPaused, "resume after close");
});

Deno.test("BridgeServer survives an abrupt disconnect in the middle of a frame", async () => {
  await using rig = startRig();
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: rig.port });
  await conn.write(Uint8Array.of(0x68, 0x1f, 0x1f, 0x68, 0x53)); // half a long frame
  await until(
    () => rig.arbiter.owner?.kind === "bridge",
    "bridge takes the bus",
  );
  conn.close();
  await until(
    () => rig.bridge.state.session === null && !rig.arbiter.isPaused,
    "release",
  );
  // a real slave drops a partial frame once the line idles; the simulator's gap is 500 ms
  await new Promise((r) => setTimeout(r, 600));
  const client = await openMaster(rig.port);
  try {
    const reading = await client.master.readMeter({
      kind: "primary",
      address: 1,
    });
    assert.ok(reading.telegram.records.length > 0);
  } finally {
    await client.close();
  }
});

Deno.test("BridgeServer gives the bus back to polling when a client stays silent", async () => {
  await using rig = startRig(60);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: rig.port });
  try {
    await until(() => rig.arbiter.isPaused, "pause on connect");
    await until(() => !rig.arbiter.isPaused, "resume after the idle limit");
    assert.ok(
      rig.bridge.state.session !== null,
      "the connection itself stays open",
    );
    // speaking again takes the bus again
    await conn.write(Uint8Array.of(0x10, 0x40, 0x02, 0x42, 0x16));
    const buf = new Uint8Array(8);
    assert.equal(await conn.read(buf), 1);
    assert.equal(buf[0], 0xe5);
  } finally {
    conn.close();
  }
});
