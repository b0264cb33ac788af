import assert from "node:assert/strict";
import { fromHex, VirtualClock } from "../../../src/util/mod.ts";
import {
  decodeIm871aDeviceInfo,
  detectReceiver,
  HciDecoder,
  im871aDeviceInfoRequest,
  im871aLinkModeRequest,
  parseTelegram,
  type ReceivedTelegram,
  receiveFromStream,
  WmbusReceiver,
} from "../../../src/wmbus/mod.ts";
import {
  createMeterState,
  decodeWithDriver,
} from "../../../src/wmbus/drivers/mod.ts";
import {
  connectIm871a,
  createWirelessSimulation,
  encodeWirelessTelegram,
  rtlWmbusStream,
  serveWirelessSimulation,
  VirtualIm871a,
  VirtualWirelessMeter,
  WIRELESS_METERS,
} from "../../../sim/wmbus/mod.ts";
import {
  openSource,
  parseConfig,
  WirelessSource,
} from "../../../src/gateway/mod.ts";

const EXPECTED_DRIVER: Record<string, string> = {
  "itron_water": "itron",
  "ultraheat_heat": "ultraheat",
  "metrona_hca": "metronahca",
  "minomess_encrypted_water": "minomess",
};

for (const [name, fixture] of Object.entries(WIRELESS_METERS)) {
  Deno.test(`VirtualWirelessMeter builds telegrams of ${name} that the driver ${EXPECTED_DRIVER[name]} decodes`, () => {
    const meter = new VirtualWirelessMeter(fixture);
    const key = fixture.key ? fromHex(fixture.key) : undefined;
    const r = parseTelegram(meter.nextTelegram(), key ? { key } : {});
    assert.ok(r.ok, r.ok ? "" : r.error.message);
    assert.equal(r.value.id, fixture.id.toLowerCase());
    assert.equal(r.value.encrypted, key !== undefined);
    assert.equal(r.value.decrypted || !r.value.encrypted, true);
    const d = decodeWithDriver(r.value, { state: createMeterState() });
    assert.ok(d.ok, d.error?.message);
    assert.equal(d.driver, EXPECTED_DRIVER[name]);
    const numbers = Object.values(d.json).filter((v) => typeof v === "number");
    assert.ok(numbers.length >= 2, JSON.stringify(d.json));
  });
}

Deno.test("VirtualWirelessMeter counts access numbers and grows live values", () => {
  const fixture = WIRELESS_METERS.itron_water;
  assert.ok(fixture);
  const meter = new VirtualWirelessMeter(fixture, { liveValues: true });
  const totals: unknown[] = [];
  const access: (number | undefined)[] = [];
  for (let i = 0; i < 3; i++) {
    const r = parseTelegram(meter.nextTelegram());
    assert.ok(r.ok);
    access.push(r.value.tpl?.accessNumber);
    totals.push(decodeWithDriver(r.value).json.total_m3);
  }
  assert.deepEqual(totals, [123.456, 123.463, 123.47]);
  assert.equal(access[1], ((access[0] ?? 0) + 1) & 0xff);
  assert.equal(meter.sent, 3);
});

Deno.test("encodeWirelessTelegram() rejects an ID that is not 8 hex digits", () => {
  assert.throws(
    () =>
      encodeWirelessTelegram(
        { id: "123", manufacturer: "ITW", version: 0, medium: 7 },
        [],
        0,
      ),
    RangeError,
  );
});

Deno.test("createWirelessSimulation() rejects an unknown fixture", () => {
  assert.throws(
    () => createWirelessSimulation({ meters: ["nope"] }),
    /Cannot find wireless meter "nope"/,
  );
});

Deno.test("VirtualIm871a answers device info and set config, then indicates telegrams heard in its mode", () => {
  const dongle = new VirtualIm871a({ uniqueId: 0xcafe });
  const hci = new HciDecoder();
  const [info] = dongle.receive(im871aDeviceInfoRequest()).flatMap((b) =>
    hci.push(b)
  );
  assert.equal(info?.messageId, 0x10);
  const decoded = decodeIm871aDeviceInfo(info?.payload ?? new Uint8Array(0));
  assert.equal(decoded?.model, "iM871A");
  assert.equal(decoded?.uniqueId, 0xcafe);
  const telegram = fromHex("0b44b7265634120031077a");
  assert.equal(dongle.indicate(telegram, "T1"), null, "no link mode yet");
  const [ack] = dongle.receive(im871aLinkModeRequest("T1")).flatMap((b) =>
    hci.push(b)
  );
  assert.equal(ack?.messageId, 0x04);
  assert.deepEqual([...(ack?.payload ?? [])], [0]);
  assert.equal(dongle.linkMode, 3);
  assert.equal(dongle.indicate(telegram, "C1"), null, "C1 not heard in T1");
  const ind = dongle.indicate(telegram, "T1");
  assert.ok(ind);
  const [m] = hci.push(ind);
  assert.equal(m?.endpoint, 2);
  assert.deepEqual([...(m?.payload ?? [])], [...telegram.subarray(1)]);
  assert.equal(dongle.requests, 2);
  assert.equal(dongle.indications, 1);
});

Deno.test("detectReceiver() identifies the in-process virtual iM871A", async () => {
  const clock = new VirtualClock();
  const air = createWirelessSimulation({ clock });
  await using port = connectIm871a(air);
  const found = await clock.drive(detectReceiver(port, { clock }));
  assert.equal(found.format, "im871a");
  assert.match(found.description, /iM871A firmware 0x15/);
});

Deno.test("WmbusReceiver hears periodic transmissions through the in-process iM871A", async () => {
  const clock = new VirtualClock();
  const air = createWirelessSimulation({ clock });
  const got: ReceivedTelegram[] = [];
  const receiver = new WmbusReceiver(
    () => Promise.resolve(connectIm871a(air)),
    { format: "im871a", clock, readTimeoutMs: 500 },
  );
  const reading = (async () => {
    for await (const t of receiver) got.push(t);
  })();
  air.start();
  await clock.advance(5_000);
  await air.stop();
  await receiver.close();
  await reading;
  // 4 meters, the encrypted one sends each telegram twice
  assert.equal(got.length, 5);
  assert.ok(got.every((t) => t.rssi !== undefined));
  const ids = got.map((t) => {
    const r = parseTelegram(t.telegram, { tryDefaultKeys: false });
    return r.ok ? r.value.id : "?";
  });
  assert.deepEqual(
    [...new Set(ids)].sort(),
    ["31000001", "31000002", "31000003", "31000004"],
  );
});

Deno.test("rtlWmbusStream() carries the telegrams as rtl_wmbus lines", async () => {
  const air = createWirelessSimulation({
    meters: ["itron_water", "metrona_hca"],
  });
  const stop = new AbortController();
  const stream = rtlWmbusStream(air, stop.signal);
  const sent = [...air.transmit(), ...air.transmit("31000003")];
  stop.abort();
  const got: ReceivedTelegram[] = [];
  for await (const t of receiveFromStream(stream, { format: "rtlwmbus" })) {
    got.push(t);
  }
  assert.deepEqual(got.map((t) => t.mode), ["T1", "C1", "C1"]);
  assert.deepEqual(
    got.map((t) => [...t.telegram]),
    sent.map((t) => [...t.telegram]),
  );
});

for (const via of ["rtlwmbus", "im871a", "amb8465"] as const) {
  Deno.test(`serveWirelessSimulation() via ${via} feeds a gateway instance opened by openSource()`, async () => {
    const clock = new VirtualClock();
    const air = createWirelessSimulation({ clock, meters: ["itron_water"] });
    await using radio = serveWirelessSimulation(air, { via });
    const config = parseConfig({
      gateways: [{
        name: "radio",
        type: "wireless",
        serialPort: radio.serialPort,
        addresses: air.addressConfig(),
      }],
    }).gateways[0];
    assert.ok(config);
    const source = await openSource(config, clock);
    try {
      assert.ok(source instanceof WirelessSource);
      await radio.whenReady();
      const heard = new Promise<void>((resolve) =>
        source.subscribe(() => resolve())
      );
      air.transmit();
      await heard;
      const r = await source.read("31000001");
      assert.equal(r.header?.manufacturer, "ITW");
    } finally {
      await source.close();
    }
  });
}
