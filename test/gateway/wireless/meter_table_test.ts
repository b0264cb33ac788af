import assert from "node:assert/strict";
import { fromHex, VirtualClock } from "../../../src/util/mod.ts";
import { parseConfig } from "../../../src/gateway/mod.ts";
import {
  driverRecords,
  telegramHeader,
} from "../../../src/gateway/wireless/driver_records.ts";
import { fieldOfKey } from "../../../src/wmbus/drivers/mod.ts";
import { WirelessMeterTable } from "../../../src/gateway/wireless/meter_table.ts";
import { encryptMode5Telegram, parseTelegram } from "../../../src/wmbus/mod.ts";
import {
  encodeWirelessTelegram,
  VirtualWirelessMeter,
  WIRELESS_METERS,
} from "../../../sim/mod.ts";

const WATER = { id: "31000001", manufacturer: "ITW", version: 0, medium: 7 };

function received(telegram: Uint8Array, at = 0) {
  return { telegram, receivedAt: at };
}

function table(
  addresses: unknown[] = [],
  dedupWindowMs: number | undefined = undefined,
) {
  const g = parseConfig({
    gateways: [{ name: "r", type: "wireless", serialPort: "x", addresses }],
  }).gateways[0];
  assert.ok(g);
  return new WirelessMeterTable({
    clock: new VirtualClock(),
    addresses: g.addresses,
    ...(dedupWindowMs === undefined ? {} : { dedupWindowMs }),
  });
}

for (
  const [field, quantity, unit] of [
    ["total_m3", "total", "m^3"],
    ["heat_kwh", "heat", "kWh"],
    ["flow_temperature_c", "flow_temperature", "°C"],
    ["volume_flow_m3h", "volume_flow", "m^3/h"],
    ["consumption_hca", "consumption", "HCA"],
    ["target_date", "target_date", ""],
    ["status", "status", ""],
    ["_m3", "_m3", ""],
  ] as const
) {
  Deno.test(`driverRecords() writes the typed field "${field}" as "${quantity}" in "${unit}"`, () => {
    const [r] = driverRecords([{ ...fieldOfKey(field), value: 1 }], () => 0);
    assert.equal(r?.quantity, quantity);
    assert.equal(r?.unit, unit);
  });
}

Deno.test("driverRecords() skips the timestamp and turns odd values into text", () => {
  const names: string[] = [];
  const fields = Object.entries({
    timestamp: "x",
    total_m3: 1.5,
    leaking: true,
    list: [1, 2],
    missing: null,
    nan_m3: Number.NaN,
  }).map(([key, value]) => ({ ...fieldOfKey(key), value }));
  const records = driverRecords(fields, (f) => {
    names.push(f);
    return names.length - 1;
  });
  assert.deepEqual(names, ["total_m3", "leaking", "list", "missing", "nan_m3"]);
  assert.deepEqual(records.map((r) => r.value), [
    1.5,
    "true",
    "[1,2]",
    null,
    null,
  ]);
  assert.ok(records.every((r) => r.raw === r.value && r.storage === 0));
});

Deno.test("telegramHeader() takes identity, access number and status from the telegram", () => {
  const t = parseTelegram(
    encodeWirelessTelegram({ ...WATER, id: "3100000a", status: 4 }, [], 0x42),
  );
  assert.ok(t.ok);
  assert.deepEqual(telegramHeader(t.value), {
    id: "3100000A",
    manufacturer: "ITW",
    version: 0,
    medium: { code: 7, name: "Water" },
    accessNumber: 0x42,
    status: 4,
    signature: 0,
  });
});

Deno.test("WirelessMeterTable keeps record indices stable when a meter's fields vary", () => {
  const t = table([{ name: "31000001" }]);
  const volume = { dataType: "int32", vif: "13", raw: 1000 } as const;
  const flow = { dataType: "int16", vif: "3b", raw: 5 } as const;
  t.accept(received(encodeWirelessTelegram(WATER, [volume], 1)));
  t.accept(received(encodeWirelessTelegram(WATER, [flow, volume], 2)));
  const r = t.get("31000001")?.reading;
  assert.ok(r);
  assert.deepEqual(
    r.records.map((x) => [x.index, x.quantity]),
    [[0, "total"], [1, "status"], [2, "volume_flow"]],
    "fields keep the index they got first; new ones come after",
  );
});

Deno.test("WirelessMeterTable counts garbage as undecodable and repeats as duplicates", () => {
  const t = table();
  const frame = encodeWirelessTelegram(WATER, [], 1);
  assert.equal(t.accept(received(fromHex("0102"))).kind, "undecodable");
  assert.equal(t.accept(received(frame)).kind, "decoded");
  assert.equal(t.accept(received(frame)).kind, "duplicate");
  assert.deepEqual(t.counters, {
    telegrams: 3,
    decoded: 1,
    duplicates: 1,
    failed: 0,
    undecodable: 1,
  });
  const keepAll = table([], 0);
  keepAll.accept(received(frame));
  assert.equal(keepAll.accept(received(frame)).kind, "decoded");
  assert.equal(keepAll.get("31000001")?.heard.telegrams, 2);
});

Deno.test("WirelessMeterTable reports an unknown configured driver as the meter's error", () => {
  const t = table([{ name: "31000001", driver: "nosuch" }]);
  const out = t.accept(received(encodeWirelessTelegram(WATER, [], 1)));
  assert.equal(out.kind, "failed");
  assert.equal(t.get("31000001")?.heard.error?.code, "UNKNOWN_DRIVER");
  assert.equal(t.get("31000001")?.reading, null);
});

Deno.test("WirelessMeterTable forgets the oldest unconfigured meter beyond its bound", () => {
  const t = new WirelessMeterTable({
    clock: new VirtualClock(),
    maxUnconfigured: 2,
  });
  for (const [i, id] of ["31000011", "31000012", "31000013"].entries()) {
    t.accept(received(encodeWirelessTelegram({ ...WATER, id }, [], 1), i));
  }
  assert.deepEqual(t.heard().map((h) => h.id), ["31000012", "31000013"]);
});

Deno.test("WirelessMeterTable decodes the encrypted fixture with its key under its driver", () => {
  const fixture = WIRELESS_METERS.minomess_encrypted_water;
  assert.ok(fixture?.key);
  const meter = new VirtualWirelessMeter(fixture);
  const t = table([{ name: meter.id, key: meter.key }]);
  assert.equal(t.accept(received(meter.nextTelegram())).kind, "decoded");
  const h = t.get(meter.id)?.heard;
  assert.equal(h?.driver, "minomess");
  assert.equal(h?.encrypted, true);
  assert.equal(h?.configured, true);
});

Deno.test("WirelessMeterTable applies a changed key and driver from the next telegram (setAddresses)", () => {
  const key = "000102030405060708090A0B0C0D0E0F";
  const plain = encodeWirelessTelegram(
    { ...WATER, id: "31000077" },
    [{ vif: "13", dataType: "int32", raw: 5000 }],
    7,
  );
  const secret = encryptMode5Telegram(plain, fromHex(key));
  const t = table([{ name: "31000077" }], 0);
  const first = t.accept(received(secret, 1));
  assert.equal(first.kind, "failed");
  assert.equal(first.kind === "failed" ? first.error.code : "", "NO_KEY");
  const g = parseConfig({
    gateways: [{
      name: "r",
      type: "wireless",
      serialPort: "x",
      addresses: [{ name: "31000077", key, driver: "generic" }],
    }],
  }).gateways[0];
  assert.ok(g);
  t.setAddresses(g.addresses);
  assert.equal(t.accept(received(secret, 2)).kind, "decoded");
  const r = t.get("31000077");
  assert.equal(r?.heard.driver, "generic");
  assert.equal(r?.heard.error, null);
  assert.ok(r?.reading?.records.some((x) => x.value === 5 && x.unit === "m^3"));
  t.setAddresses([]);
  assert.equal(t.get("31000077")?.heard.configured, false);
});

Deno.test("WirelessMeterTable: each meter decodes with its own key; a changed key applies from the next telegram, a wrong one is WRONG_KEY", () => {
  const keyA = "000102030405060708090A0B0C0D0E0F";
  const keyB = "F0E0D0C0B0A090807060504030201000";
  const secret = (id: string, key: string, raw: number) =>
    encryptMode5Telegram(
      encodeWirelessTelegram(
        { ...WATER, id },
        [{ vif: "13", dataType: "int32", raw }],
        raw & 0xff,
      ),
      fromHex(key),
    );
  const addresses = (a: string, b: string) => {
    const g = parseConfig({
      gateways: [{
        name: "r",
        type: "wireless",
        serialPort: "x",
        addresses: [
          { name: "31000081", key: a, driver: "generic" },
          { name: "31000082", key: b, driver: "generic" },
        ],
      }],
    }).gateways[0];
    assert.ok(g);
    return g.addresses;
  };
  const t = new WirelessMeterTable({
    clock: new VirtualClock(),
    addresses: addresses(keyA, keyB),
    dedupWindowMs: 0,
  });
  const code = (o: ReturnType<typeof t.accept>) =>
    o.kind === "failed" ? o.error.code : o.kind;
  for (let i = 1; i <= 3; i++) {
    assert.equal(
      code(t.accept(received(secret("31000081", keyA, i), i))),
      "decoded",
    );
    assert.equal(
      code(t.accept(received(secret("31000082", keyB, i), i))),
      "decoded",
    );
  }
  const value = (id: string) =>
    t.get(id)?.reading?.records.find((x) => x.unit === "m^3")?.value;
  assert.equal(value("31000081"), 0.003);
  t.setAddresses(addresses(keyB, keyB));
  assert.equal(
    code(t.accept(received(secret("31000081", keyA, 4), 4))),
    "WRONG_KEY",
  );
  assert.equal(
    code(t.accept(received(secret("31000081", keyB, 5), 5))),
    "decoded",
  );
  assert.equal(value("31000081"), 0.005);
  assert.equal(
    code(t.accept(received(secret("31000082", keyB, 6), 6))),
    "decoded",
  );
  t.setAddresses(addresses(keyA.toLowerCase(), keyB));
  assert.equal(
    code(t.accept(received(secret("31000081", keyA, 7), 7))),
    "decoded",
  );
  assert.equal(value("31000081"), 0.007);
});
