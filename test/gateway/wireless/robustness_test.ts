import assert from "node:assert/strict";
import {
  MbusError,
  TransportError,
  VirtualClock,
} from "../../../src/util/mod.ts";
import { parseConfig, WirelessSource } from "../../../src/gateway/mod.ts";
import { WirelessMeterTable } from "../../../src/gateway/wireless/meter_table.ts";
import {
  connectIm871a,
  createWirelessSimulation,
  type InProcessDongle,
  VirtualWirelessMeter,
  WIRELESS_METERS,
} from "../../../sim/mod.ts";

const KEY = "000102030405060708090A0B0C0D0E0F";

/** Small seeded generator (xorshift32). */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const KINDS = new Set(["decoded", "failed", "duplicate", "undecodable"]);

Deno.test("WirelessMeterTable.accept() never throws on prefixes and mutations of the fixtures", () => {
  const addresses = parseConfig({
    gateways: [{
      name: "r",
      type: "wireless",
      serialPort: "x",
      addresses: Object.values(WIRELESS_METERS).map((f) => ({
        name: f.id,
        ...(f.key ? { key: f.key } : {}),
      })),
    }],
  }).gateways[0]?.addresses;
  const table = new WirelessMeterTable({
    clock: new VirtualClock(),
    dedupWindowMs: 0,
    ...(addresses ? { addresses } : {}),
  });
  const rnd = random(7);
  let accepted = 0;
  for (const fixture of Object.values(WIRELESS_METERS)) {
    const t = new VirtualWirelessMeter(fixture).nextTelegram();
    const inputs: Uint8Array[] = [];
    for (let n = 0; n <= t.length; n++) inputs.push(t.subarray(0, n));
    for (let i = 0; i < 300; i++) {
      const m = t.slice();
      const flips = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < flips; k++) {
        m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256);
      }
      inputs.push(m);
    }
    for (const input of inputs) {
      const out = table.accept({ telegram: input, receivedAt: 0 });
      assert.ok(KINDS.has(out.kind));
      accepted++;
    }
  }
  assert.equal(table.counters.telegrams, accepted);
  assert.ok(table.heard().length <= 1000);
});

Deno.test("WirelessSource retries a receiver that cannot be opened and says so until then", async () => {
  const clock = new VirtualClock();
  const air = createWirelessSimulation({ clock, meters: ["itron_water"] });
  let attempts = 0;
  const source = new WirelessSource({
    open: () => {
      attempts++;
      if (attempts === 1) {
        return Promise.reject(
          new TransportError("PORT_NOT_FOUND", "Cannot open /dev/ttyUSB9"),
        );
      }
      return Promise.resolve(connectIm871a(air, { clock }));
    },
    format: "im871a",
    clock,
    initialBackoffMs: 1000,
  });
  try {
    await clock.advance(0);
    await assert.rejects(
      source.read("31000001"),
      (e) =>
        e instanceof MbusError && e.code === "NO_RESPONSE" &&
        /cannot open: Cannot open \/dev\/ttyUSB9/.test(e.message),
    );
    await clock.advance(1_000);
    assert.equal(source.wirelessStats().opens, 1);
    assert.equal(source.wirelessStats().receiver, null);
    air.transmit();
    await clock.advance(0);
    assert.equal((await source.read("31000001")).header?.id, "31000001");
  } finally {
    await source.close();
  }
});

Deno.test("WirelessSource reopens a receiver that was lost and keeps the readings", async () => {
  const clock = new VirtualClock();
  const air = createWirelessSimulation({
    clock,
    meters: ["minomess_encrypted_water"],
  });
  const ports: InProcessDongle[] = [];
  const events: string[] = [];
  const addresses = parseConfig({
    gateways: [{
      name: "r",
      type: "wireless",
      serialPort: "x",
      addresses: [{ name: "31000004", key: KEY }],
    }],
  }).gateways[0]?.addresses ?? [];
  const source = new WirelessSource({
    open: () => {
      const port = connectIm871a(air, { clock });
      ports.push(port);
      return Promise.resolve(port);
    },
    format: "im871a",
    clock,
    addresses,
    onReceiverEvent: (e) => events.push(e.type),
  });
  try {
    await clock.advance(0);
    air.transmit();
    await clock.advance(0);
    const before = await source.read("31000004");
    await ports[0]?.close();
    await clock.advance(5_000);
    assert.deepEqual(events, ["opened", "lost", "opened"]);
    assert.equal(ports[1]?.dongle.linkMode, 10, "link mode set again");
    assert.deepEqual(await source.read("31000004"), before, "reading kept");
    air.transmit();
    await clock.advance(0);
    const after = await source.read("31000004");
    assert.ok(after.readAt > before.readAt);
    assert.equal(source.wirelessStats().opens, 2);
  } finally {
    await source.close();
  }
});
