import assert from "node:assert/strict";
import { Master } from "../../../src/master/mod.ts";
import { SerialTransport, TcpTransport } from "../../../src/transport/mod.ts";
import { RealClock } from "../../../src/util/mod.ts";
import {
  createSimulation,
  startPtyEndpoint,
  startTcpEndpoint,
} from "../../../sim/mod.ts";

Deno.test("Master reads the RVD controller's telegrams through the TCP endpoint", async () => {
  const bus = createSimulation("rvd_multiframe", { baudRate: 9600 });
  await using tcp = startTcpEndpoint(bus, { port: 0 });
  await using transport = await TcpTransport.open(tcp.host, tcp.port, {
    baudRate: 9600,
  });
  const master = new Master({
    transport,
    clock: new RealClock(),
    requestTimeoutMs: 1000,
  });
  try {
    const reading = await master.readMeter({ kind: "primary", address: 1 });
    assert.equal(reading.frames, 7);
    assert.ok(reading.telegram.records.length > 150);
    assert.equal(reading.partial, false);
  } finally {
    await master.close();
  }
  const s = bus.stats();
  assert.equal(s.requestsByType.reqUd2, 7);
  assert.equal(s.collisions, 0);
});

Deno.test("Master scans primary addresses of a bus through the pseudo-terminal endpoint", async () => {
  const bus = createSimulation("duplicate_primary", { baudRate: 38_400 });
  await using pty = startPtyEndpoint(bus);
  await using transport = await SerialTransport.open(pty.path, {
    baudRate: 38_400,
  });
  const master = new Master({
    transport,
    clock: new RealClock(),
    scanTimeoutMs: 60,
  });
  try {
    const found = await master.scanPrimary({ from: 4, to: 7 });
    const at5 = found.filter((m) => m.primary === 5);
    assert.equal(at5.length, 2, JSON.stringify(found));
    assert.deepEqual(at5.map((m) => m.id).sort(), ["11002200", "43210987"]);
    assert.ok(found.some((m) => m.primary === 6 && !m.collision));
  } finally {
    await master.close();
  }
  assert.ok(bus.stats().collisions >= 1);
});
