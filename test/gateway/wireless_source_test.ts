import assert from "node:assert/strict";
import { MbusError, VirtualClock } from "../../src/util/mod.ts";
import {
  type FoundWirelessMeter,
  type GatewayConfig,
  openSource,
  parseConfig,
  type ScanProgress,
  WirelessSource,
} from "../../src/gateway/mod.ts";
import {
  connectIm871a,
  createWirelessSimulation,
  startIm871aPty,
  startRtlWmbusTcp,
  type WirelessSimulation,
} from "../../sim/mod.ts";

const KEY = "000102030405060708090A0B0C0D0E0F";
const WRONG = "0F0E0D0C0B0A09080706050403020100";

function instance(serialPort: string, addresses: unknown[]): GatewayConfig {
  const g = parseConfig({
    gateways: [{ name: "radio", type: "wireless", serialPort, addresses }],
  }).gateways[0];
  assert.ok(g);
  return g;
}

/** Resolves once the source has taken in `n` telegrams (duplicates included). */
function telegrams(source: WirelessSource, n: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const stop = source.subscribe(() => {
      if (++seen < n) return;
      stop();
      resolve();
    });
  });
}

function inProcess(
  air: WirelessSimulation,
  clock: VirtualClock,
  addresses: unknown[] = [],
): WirelessSource {
  return new WirelessSource({
    open: () => Promise.resolve(connectIm871a(air, { clock })),
    format: "im871a",
    clock,
    addresses: instance("sim", addresses).addresses,
  });
}

async function value(
  source: WirelessSource,
  id: string,
  quantity: string,
): Promise<unknown> {
  const r = await source.read(id);
  return r.records.find((x) => x.quantity === quantity)?.value;
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e) => e instanceof MbusError && e.code === code);
}

Deno.test("WirelessSource hears the virtual iM871A over a real pty (receiver detected) and decodes each meter", async () => {
  const clock = new VirtualClock();
  const air = createWirelessSimulation({ clock });
  await using pty = startIm871aPty(air);
  const source = await openSource(
    instance(pty.path, [{ name: "31000001" }, {
      name: "31000004",
      key: KEY,
    }]),
    clock,
  );
  try {
    assert.ok(source instanceof WirelessSource);
    assert.equal(await pty.dongle.whenConfigured(), 10, "asks for C1T1");
    const heard = telegrams(source, 5);
    air.transmit();
    await heard;
    assert.equal(await value(source, "31000001", "total"), 123.456);
    assert.equal(await value(source, "31000004", "total"), 54.321);
    assert.equal(await value(source, "31000002", "heat"), 4567);
    const hca = await source.read("31000003");
    assert.equal(hca.header?.manufacturer, "MWU");
    assert.equal(hca.header?.medium.code, 8);
    assert.ok(hca.records.some((r) => r.unit === "HCA"));
    const s = source.wirelessStats();
    assert.equal(s.decoded, 4);
    assert.equal(s.duplicates, 1, "the encrypted meter sends twice");
    assert.equal(s.opens, 1);
  } finally {
    await source.close();
  }
});

Deno.test("WirelessSource reads rtl_wmbus lines over TCP (serialPort tcp://HOST:PORT)", async () => {
  const clock = new VirtualClock();
  const air = createWirelessSimulation({ clock });
  await using tcp = startRtlWmbusTcp(air, { port: 0 });
  const source = await openSource(
    instance(`tcp://127.0.0.1:${tcp.port}`, [{ name: "31000002" }]),
    clock,
  );
  try {
    assert.ok(source instanceof WirelessSource);
    await tcp.whenConnected();
    const heard = telegrams(source, 10);
    air.transmit();
    air.transmit();
    await heard;
    const heat = await source.read("31000002");
    assert.equal(
      heat.records.find((r) => r.quantity === "heat")?.unit,
      "kWh",
    );
    const h = source.heard().find((m) => m.id === "31000003");
    assert.equal(h?.mode, "C1");
    assert.equal(h?.rssi, 97);
    assert.equal(h?.telegrams, 2);
    assert.equal(h?.configured, false);
    await rejectsWith(source.read("31000004"), "NO_KEY");
  } finally {
    await source.close();
  }
});

Deno.test("WirelessSource decodes an encrypted meter with its key and keeps WRONG_KEY / NO_KEY errors", async () => {
  const clock = new VirtualClock();
  const air = createWirelessSimulation({
    clock,
    meters: ["minomess_encrypted_water", "itron_water"],
  });
  const good = inProcess(air, clock, [{ name: "31000004", key: KEY }]);
  const wrong = inProcess(air, clock, [{ name: "31000004", key: WRONG }]);
  const none = inProcess(air, clock, [{ name: "31000004" }]);
  try {
    await clock.advance(0);
    air.transmit();
    await clock.advance(0);
    assert.equal(await value(good, "31000004", "total"), 54.321);
    await rejectsWith(wrong.read("31000004"), "WRONG_KEY");
    await rejectsWith(none.read("31000004"), "NO_KEY");
    const w = wrong.heard().find((m) => m.id === "31000004");
    assert.equal(w?.error?.code, "WRONG_KEY");
    assert.equal(w?.encrypted, true);
    assert.equal(wrong.wirelessStats().failed, 1);
    // the plain meter is unaffected by the others' keys
    assert.equal(await value(wrong, "31000001", "total"), 123.456);
  } finally {
    await Promise.all([good.close(), wrong.close(), none.close()]);
  }
});

Deno.test("WirelessSource.read() reports NO_RESPONSE before a meter is heard and honours maxRecords", async () => {
  const clock = new VirtualClock();
  const air = createWirelessSimulation({ clock, meters: ["itron_water"] });
  const source = inProcess(air, clock, [{ name: "31000001" }]);
  try {
    await rejectsWith(source.read("31000001"), "NO_RESPONSE");
    await clock.advance(0);
    air.transmit();
    await clock.advance(0);
    const all = await source.read("31000001");
    assert.ok(all.records.length >= 4);
    assert.equal(all.readAt, clock.now());
    assert.equal(all.header?.id, "31000001");
    const two = await source.read("31000001", { maxRecords: 2 });
    assert.equal(two.records.length, 2);
    const stats = source.stats();
    assert.deepEqual(
      [stats.requests, stats.answers, stats.timeouts],
      [3, 2, 1],
    );
    await rejectsWith(source.setPrimaryAddress("31000001", 5), "UNSUPPORTED");
    await rejectsWith(source.setBaudRate("31000001", 2400), "UNSUPPORTED");
    await rejectsWith(source.scan({ kind: "primary" }), "UNSUPPORTED");
  } finally {
    await source.close();
  }
});

Deno.test("WirelessSource.scan() listens for durationMs and lists every meter with its detected driver", async () => {
  const clock = new VirtualClock();
  const air = createWirelessSimulation({ clock });
  const source = inProcess(air, clock, [{ name: "31000004", key: KEY }]);
  try {
    air.start();
    const progress: ScanProgress[] = [];
    const found = await clock.drive(
      source.scan({ kind: "wireless", durationMs: 10_000 }, {
        onProgress: (p) => progress.push(p),
      }),
    ) as FoundWirelessMeter[];
    await air.stop();
    assert.deepEqual(
      found.map((m) => [m.id, m.driver, m.configured, m.error?.code ?? null]),
      [
        ["31000001", "itron", false, null],
        ["31000002", "ultraheat", false, null],
        ["31000003", "metronahca", false, null],
        ["31000004", "minomess", true, null],
      ],
    );
    assert.ok(found.every((m) => m.telegrams === 1 && m.rssi !== undefined));
    assert.equal(progress.at(-1)?.done, 10_000);
    assert.equal(progress.at(-1)?.found, 4);
    assert.ok(progress.length >= 10);
  } finally {
    await source.close();
  }
});

Deno.test("WirelessSource.scan() is cancelled by its signal", async () => {
  const clock = new VirtualClock();
  const air = createWirelessSimulation({ clock });
  const source = inProcess(air, clock);
  try {
    const stop = new AbortController();
    const scan = source.scan({ kind: "wireless", durationMs: 60_000 }, {
      signal: stop.signal,
    });
    await clock.advance(2_000);
    stop.abort(new DOMException("cancelled", "AbortError"));
    await assert.rejects(scan, /cancelled/);
  } finally {
    await source.close();
  }
});
