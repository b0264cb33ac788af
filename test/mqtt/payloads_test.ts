/**
 * Payloads, Home Assistant classes and the `mqtt` schema, without a broker.
 */
import assert from "node:assert/strict";
import {
  GatewayHost,
  History,
  mqttSchema,
  parseConfig,
  redactConfig,
} from "../../src/gateway/mod.ts";
import { ConfigError, VirtualClock } from "../../src/util/mod.ts";
import { FakeSource } from "../gateway/_fake_source.ts";
import {
  haSensorClass,
  meterDiscovery,
  type MeterReading,
  MqttBridge,
  ReadingTap,
  statePayload,
  topicLevel,
  Topics,
} from "../../src/mqtt/mod.ts";

const wireless: MeterReading = {
  instance: "radio",
  cluster: 1,
  wireless: true,
  meter: "31000001",
  path: "%mbus1:31000001",
  description: "Kitchen",
  driver: "multical21",
  reading: {
    header: {
      id: "31000001",
      manufacturer: "KAM",
      version: 27,
      medium: { code: 0x16, name: "Cold water" },
      accessNumber: 1,
      status: 0,
      signature: 0,
    },
    records: [
      {
        index: 0,
        function: "instantaneous",
        storage: 0,
        tariff: 0,
        subunit: 0,
        quantity: "total",
        unit: "m^3",
        value: 6.408,
        raw: 6.408,
      },
      {
        index: 1,
        function: "instantaneous",
        storage: 0,
        tariff: 0,
        subunit: 0,
        quantity: "flow_temperature",
        unit: "°C",
        value: 12,
        raw: 12,
      },
      {
        index: 2,
        function: "instantaneous",
        storage: 0,
        tariff: 0,
        subunit: 0,
        quantity: "status",
        unit: "",
        value: "OK",
        raw: "OK",
      },
    ],
    frames: 1,
    partial: false,
    readAt: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  },
};

Deno.test("a wireless meter's state is in the wmbusmeters JSON shape", () => {
  assert.deepEqual(statePayload(wireless), {
    _: "telegram",
    media: "cold water",
    meter: "multical21",
    name: "Kitchen",
    id: "31000001",
    total_m3: 6.408,
    flow_temperature_c: 12,
    status: "OK",
    timestamp: "2026-01-02T03:04:05Z",
  });
});

Deno.test("wireless discovery reads fields by name, with HA units and stable ids", () => {
  const configs = meterDiscovery(wireless, {
    topics: new Topics("mbusgw", "gw"),
    prefix: "homeassistant",
    clientId: "gw",
  }).map((c) => ({ topic: c.topic, ...JSON.parse(c.payload) }));
  const total = configs[0];
  assert.equal(
    total.topic,
    "homeassistant/sensor/mbusgw_1_radio_31000001/total_m3/config",
  );
  assert.equal(total.unique_id, "mbusgw_1_radio_31000001_total_m3");
  assert.equal(total.value_template, '{{ value_json["total_m3"] }}');
  assert.equal(total.unit_of_measurement, "m³");
  assert.equal(total.device_class, "water");
  assert.equal(total.state_class, "total_increasing");
  assert.equal(total.device.model, "multical21");
  assert.equal(configs[1].unit_of_measurement, "°C");
  assert.equal(configs[1].state_class, "measurement");
  assert.equal(configs[2].unit_of_measurement, undefined, "text has no unit");
  assert.equal(configs[2].state_class, undefined);
});

Deno.test("haSensorClass: counters, historic storages, measurements and unknown units", () => {
  const base = {
    function: "instantaneous",
    storage: 0,
    numeric: true,
    medium: "Heat",
  };
  assert.deepEqual(haSensorClass({ ...base, unit: "Wh" }), {
    unit: "Wh",
    deviceClass: "energy",
    stateClass: "total_increasing",
  });
  assert.deepEqual(haSensorClass({ ...base, unit: "Wh", storage: 1 }), {
    unit: "Wh",
    deviceClass: "energy",
    stateClass: undefined,
  });
  assert.deepEqual(haSensorClass({ ...base, unit: "W" }), {
    unit: "W",
    deviceClass: "power",
    stateClass: "measurement",
  });
  assert.equal(
    haSensorClass({ ...base, unit: "m^3", medium: "Gas" }).deviceClass,
    "gas",
  );
  assert.equal(
    haSensorClass({ ...base, unit: "m^3", medium: "Heat" }).deviceClass,
    "volume",
  );
  assert.equal(haSensorClass({ ...base, unit: "m^3/h" }).unit, "m³/h");
  assert.deepEqual(haSensorClass({ ...base, unit: "Bittimes" }), {
    unit: "Bittimes",
    deviceClass: undefined,
    stateClass: "measurement",
  });
});

Deno.test("topic levels never carry wildcards or separators", () => {
  assert.equal(topicLevel("a/b+c#d"), "a_b_c_d");
  assert.equal(new Topics("p", "x/y").gatewayStatus(), "p/gateway/x_y/status");
});

Deno.test("the mqtt section: defaults, bounds and one-line errors naming the key", () => {
  const c = mqttSchema.parse({ url: "mqtt://127.0.0.1:1883" });
  assert.equal(c.topicPrefix, "mbusgw");
  assert.equal(c.qos, 1);
  assert.equal(c.retain, true);
  assert.equal(c.commands, false);
  assert.equal(c.discovery.enabled, true);
  assert.equal(c.discovery.prefix, "homeassistant");
  assert.equal(c.tls.verify, true);
  assert.equal(c.storeAndForward.maxMessages, 100_000);
  assert.equal(c.protocolVersion, 4);
  const gateways = [{ name: "a", host: "127.0.0.1", addresses: [] }];
  for (
    const [mqtt, key] of [
      [{ url: "http://x" }, "mqtt.url"],
      [{ url: "mqtt://x", qos: 2 }, "mqtt.qos"],
      [{ url: "mqtt://x", topicPrefix: "a/#" }, "mqtt.topicPrefix"],
      [{ url: "mqtt://x", topicPrefix: "/a" }, "mqtt.topicPrefix"],
      [
        { url: "mqtt://x", storeAndForward: { maxMessages: 0 } },
        "mqtt.storeAndForward.maxMessages",
      ],
      [{ url: "mqtt://x", colour: 1 }, "mqtt"],
    ] as const
  ) {
    assert.throws(
      () => parseConfig({ gateways, mqtt }),
      (e: Error) => e.message.includes(key) && !e.message.includes("\n"),
      JSON.stringify(mqtt),
    );
  }
  for (const url of ["mqtts://b:8883", "ws://b:9001/mqtt", "wss://b/mqtt"]) {
    assert.equal(parseConfig({ gateways, mqtt: { url } }).mqtt?.url, url);
  }
  const secret = parseConfig({
    gateways,
    mqtt: { url: "mqtt://b", password: "hunter22" },
  });
  assert.equal(redactConfig(secret).mqtt?.password, "********");
  const inUrl = parseConfig({
    gateways,
    mqtt: { url: "mqtts://gw:hunter22@b:8883" },
  });
  assert.equal(redactConfig(inUrl).mqtt?.url, "mqtts://gw:********@b:8883");
  assert.equal(
    parseConfig({ gateways }).mqtt,
    undefined,
    "no section, no MQTT",
  );
});

Deno.test("an unreadable TLS file or outbox path is a config error naming the key", async () => {
  const clock = new VirtualClock();
  await using host = await GatewayHost.create(
    parseConfig({
      gateways: [{ name: "a", host: "127.0.0.1", addresses: [] }],
    }),
    { clock, history: new History(), openSource: () => new FakeSource(clock) },
  );
  const tap = new ReadingTap();
  const cases = [
    [
      { url: "mqtts://127.0.0.1:1", tls: { ca: "/nonexistent/ca.pem" } },
      "mqtt.tls.ca",
    ],
    [
      {
        url: "mqtt://127.0.0.1:1",
        storeAndForward: { path: "/nonexistent/dir/o.db" },
      },
      "mqtt.storeAndForward.path",
    ],
  ] as const;
  for (const [mqtt, key] of cases) {
    await assert.rejects(
      MqttBridge.start(mqttSchema.parse(mqtt), { host, tap, clock }),
      (e: unknown) =>
        e instanceof ConfigError && e.path === key &&
        e.message.includes("/nonexistent/"),
    );
  }
});
