// deno-lint-ignore-file no-console
/**
 * The bridge against a real mosquitto: state payloads, plain values, Home Assistant
 * discovery, availability of a meter that goes silent and comes back, statuses.
 */
import assert from "node:assert/strict";
import type { VirtualSlave } from "../../sim/mod.ts";
import { until } from "../_helpers/net.ts";
import { skipReason, startBroker, subscribe } from "./_broker.ts";
import { startBridged } from "./_setup.ts";

const skip = skipReason();
if (skip) console.log(`skipping MQTT broker tests: ${skip}`);

async function tempDb(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-mqtt-test-" });
  return `${dir}/outbox.db`;
}

Deno.test({
  name:
    "mqtt: meter state JSON with every record and the read time, plain values, statuses",
  ignore: skip !== undefined,
  async fn() {
    await using broker = await startBroker();
    const sub = await subscribe(broker.url, ["t1/#"]);
    const gw = await startBridged({
      mqtt: {
        url: broker.url,
        clientId: "gw-a",
        topicPrefix: "t1",
        discovery: { enabled: false },
        storeAndForward: { path: await tempDb() },
      },
    });
    try {
      const state = JSON.parse(
        await sub.waitFor("t1/2/heat/1/state", () => true, "state of meter 1"),
      );
      assert.equal(state.instance, "heat");
      assert.equal(state.cluster, 2);
      assert.equal(state.meter, "1");
      assert.equal(state.path, "%mbus2:1");
      assert.equal(state.manufacturer, "KAM");
      assert.ok(state.records.length > 3, "every record of the meter");
      const energy = state.records.find((r: { quantity: string }) =>
        r.quantity === "Energy"
      );
      assert.ok(energy, "an energy record");
      for (
        const k of ["value", "unit", "function", "storage", "tariff", "subunit"]
      ) {
        assert.ok(k in energy, `record carries ${k}`);
      }
      // The timestamp is the time the meter was read, not the time of publishing.
      const readAts = gw.reads.filter((r) => r.meter === "1").map((r) =>
        new Date(r.readAt).toISOString()
      );
      assert.ok(readAts.includes(state.timestamp), "timestamp of a reading");
      // Plain value of each record, as text.
      const v0 = await sub.waitFor("t1/2/heat/1/0/value", () => true);
      assert.equal(v0, String(state.records[0].value));
      assert.equal(sub.last("t1/gateway/gw-a/status"), "online");
      assert.equal(sub.last("t1/2/heat/status"), "online");
      assert.equal(sub.last("t1/2/heat/1/availability"), "online");
    } finally {
      await gw.close();
    }
    await sub.waitFor("t1/gateway/gw-a/status", (p) => p === "offline");
    assert.equal(sub.last("t1/2/heat/status"), "offline");
    await sub.close();
  },
});

Deno.test({
  name:
    "mqtt: Home Assistant discovery: a device per meter, a sensor per record, HA units and classes",
  ignore: skip !== undefined,
  async fn() {
    await using broker = await startBroker();
    const sub = await subscribe(broker.url, ["homeassistant/#", "t2/#"]);
    const gw = await startBridged({
      mqtt: {
        url: broker.url,
        clientId: "gw-b",
        topicPrefix: "t2",
        storeAndForward: { path: await tempDb() },
      },
      addresses: ["1", "2"],
    });
    try {
      await sub.waitFor("t2/2/heat/1/state", () => true);
      await sub.waitFor("t2/2/heat/2/state", () => true);
      const configs = sub.seen.filter((s) =>
        s.topic.startsWith("homeassistant/sensor/t2_2_heat_1/") &&
        s.payload !== ""
      ).map((s) => JSON.parse(s.payload));
      const state = JSON.parse(sub.last("t2/2/heat/1/state") as string);
      assert.equal(
        new Set(configs.map((c) => c.unique_id)).size,
        state.records.length,
        "one sensor per record",
      );
      const energy = configs.find((c) => c.device_class === "energy");
      assert.ok(energy, "an energy sensor");
      assert.equal(energy.state_class, "total_increasing");
      assert.ok(
        ["Wh", "kWh", "MWh", "J", "MJ", "GJ"].includes(
          energy.unit_of_measurement,
        ),
      );
      assert.equal(energy.state_topic, "t2/2/heat/1/state");
      assert.match(
        energy.value_template,
        /^\{\{ value_json\.records\[\d+\]\.value \}\}$/,
      );
      const temp = configs.find((c) => c.device_class === "temperature");
      assert.ok(temp, "a temperature sensor");
      assert.ok(["°C", "K"].includes(temp.unit_of_measurement));
      assert.equal(temp.state_class, "measurement");
      assert.equal(energy.device.manufacturer, "KAM");
      assert.equal(energy.device.name, "Heat meter flat 1");
      assert.deepEqual(energy.device.via_device, "t2_gateway_gw-b");
      assert.ok(energy.device.identifiers.includes("t2_2_heat_1"));
      assert.deepEqual(
        energy.availability.map((a: { topic: string }) => a.topic),
        [
          "t2/gateway/gw-b/status",
          "t2/2/heat/status",
          "t2/2/heat/1/availability",
        ],
      );
      assert.equal(energy.availability_mode, "all");
      // The value the template picks is the record's value in the state.
      const position = Number(
        /records\[(\d+)\]/.exec(energy.value_template)?.[1],
      );
      assert.equal(state.records[position].quantity, "Energy");
      assert.equal(state.records[position].storage, 0);
      // The water meter's volume is a water sensor in m³.
      const water = sub.seen.filter((s) =>
        s.topic.startsWith("homeassistant/sensor/t2_2_heat_2/") &&
        s.payload !== ""
      ).map((s) => JSON.parse(s.payload)).find((c) =>
        c.unit_of_measurement === "m³"
      );
      assert.ok(water, "a volume sensor in m³");
      assert.equal(water.device_class, "water");
      assert.equal(water.state_class, "total_increasing");
      // The gateway device.
      const gwConfig = JSON.parse(
        await sub.waitFor(
          "homeassistant/binary_sensor/t2_gateway_gw-b/status/config",
          () => true,
        ),
      );
      assert.equal(gwConfig.state_topic, "t2/gateway/gw-b/status");
      assert.equal(gwConfig.device_class, "connectivity");
    } finally {
      await gw.close();
    }
    await sub.close();
  },
});

Deno.test({
  name:
    "mqtt: a meter that goes silent goes offline after missedReads, and back online",
  ignore: skip !== undefined,
  async fn() {
    await using broker = await startBroker();
    const sub = await subscribe(broker.url, ["t3/#"]);
    const gw = await startBridged({
      mqtt: {
        url: broker.url,
        clientId: "gw-c",
        topicPrefix: "t3",
        missedReads: 2,
        discovery: { enabled: false },
        storeAndForward: { path: await tempDb() },
      },
      addresses: ["1", "2"],
      polling: 200,
    });
    try {
      await sub.waitFor("t3/2/heat/2/availability", (p) => p === "online");
      const meter = gw.bus.slaves.find((s) =>
        s.primaryAddress === 2
      ) as VirtualSlave;
      gw.bus.removeSlave(meter);
      await sub.waitFor(
        "t3/2/heat/2/availability",
        (p) => p === "offline",
        "meter 2 offline",
      );
      assert.equal(
        sub.last("t3/2/heat/1/availability"),
        "online",
        "meter 1 stays online",
      );
      gw.bus.addSlave(meter);
      await sub.waitFor(
        "t3/2/heat/2/availability",
        (p) => p === "online",
        "meter 2 back",
      );
      const av = sub.seen.filter((s) => s.topic === "t3/2/heat/2/availability")
        .map((s) => s.payload);
      assert.deepEqual(av.slice(-3), ["online", "offline", "online"]);
    } finally {
      await gw.close();
    }
    await sub.close();
  },
});

Deno.test({
  name:
    "mqtt: discovery configs of a meter that left the configuration are removed after a restart",
  ignore: skip !== undefined,
  async fn() {
    await using broker = await startBroker();
    const sub = await subscribe(broker.url, [
      "homeassistant/sensor/#",
      "t10/#",
    ]);
    const path = await tempDb();
    const mqtt = {
      url: broker.url,
      clientId: "gw-t10",
      topicPrefix: "t10",
      storeAndForward: { path },
    };
    const first = await startBridged({ mqtt, addresses: ["1", "2"] });
    try {
      await sub.waitFor("t10/2/heat/2/state", () => true);
      await first.bridge.flush();
    } finally {
      await first.close();
    }
    const uniqueIds = (meter: string) =>
      sub.seen.filter((s) =>
        s.topic.startsWith(`homeassistant/sensor/t10_2_heat_${meter}/`) &&
        s.payload !== ""
      ).map((s) => JSON.parse(s.payload).unique_id);
    const firstIds = new Set(uniqueIds("1"));
    const meter2 = () =>
      [...new Set(sub.seen.map((s) => s.topic))].filter((t) =>
        t.startsWith("homeassistant/sensor/t10_2_heat_2/")
      );
    assert.ok(meter2().length > 3, "meter 2 had sensors");
    const second = await startBridged({ mqtt, addresses: ["1"] });
    try {
      await until(
        () => meter2().every((t) => sub.last(t) === ""),
        "meter 2's configs emptied",
      );
      assert.ok(
        second.logs.some((l) =>
          l.includes("removed the discovery configs of 1 meter")
        ),
      );
      await sub.waitFor("t10/2/heat/1/state", () => true);
      await second.bridge.flush();
      // The same unique ids after the restart: Home Assistant keeps the same entities.
      assert.deepEqual(new Set(uniqueIds("1")), firstIds);
      // Meter 1 keeps its sensors.
      const m1 = sub.seen.filter((s) =>
        s.topic.startsWith("homeassistant/sensor/t10_2_heat_1/")
      );
      assert.ok(m1.length > 0 && m1.every((s) => s.payload !== ""));
    } finally {
      await second.close();
    }
    await sub.close();
  },
});

Deno.test({
  name:
    "mqtt: when Home Assistant announces itself online, the discovery configs are sent again",
  ignore: skip !== undefined,
  async fn() {
    await using broker = await startBroker();
    const gw = await startBridged({
      mqtt: {
        url: broker.url,
        clientId: "gw-t11",
        topicPrefix: "t11",
        storeAndForward: { path: ":memory:" },
      },
      addresses: ["1"],
      polling: 60_000,
    });
    try {
      const sub = await subscribe(broker.url, ["t11/2/heat/1/state"]);
      await sub.waitFor("t11/2/heat/1/state", () => true);
      await gw.bridge.flush();
      await sub.close();
      // MQTT 5 retain handling 2: the retained configs are not replayed on subscribing.
      const ha = await subscribe(broker.url, [], {
        client: { protocolVersion: 5 },
      });
      await ha.client.subscribeAsync("homeassistant/sensor/#", {
        rh: 2,
        qos: 1,
      });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(
        ha.seen.length,
        0,
        "nothing without Home Assistant's birth message",
      );
      await ha.client.publishAsync("homeassistant/status", "online");
      await until(() => ha.seen.length > 3, "configs sent again");
      assert.ok(
        ha.seen.every((s) =>
          s.topic.startsWith("homeassistant/sensor/t11_2_heat_1/")
        ),
      );
      await ha.close();
    } finally {
      await gw.close();
    }
  },
});

Deno.test({
  name:
    "mqtt: a meter removed from the configuration while running loses its discovery configs",
  ignore: skip !== undefined,
  async fn() {
    await using broker = await startBroker();
    const sub = await subscribe(broker.url, [
      "homeassistant/sensor/#",
      "t13/#",
    ]);
    const dir = await Deno.makeTempDir();
    const gw = await startBridged({
      mqtt: {
        url: broker.url,
        clientId: "gw-t13",
        topicPrefix: "t13",
        storeAndForward: { path: ":memory:" },
      },
      addresses: ["1", "2"],
      configFile: `${dir}/config.json`,
    });
    try {
      await sub.waitFor("t13/2/heat/2/state", () => true);
      const topics = () =>
        [...new Set(sub.seen.map((s) => s.topic))].filter((t) =>
          t.startsWith("homeassistant/sensor/t13_2_heat_2/")
        );
      await until(() => topics().length > 3, "meter 2's configs");
      await gw.host.updateConfig((raw) => {
        const g = (raw as { gateways: { addresses: { name: string }[] }[] })
          .gateways[0];
        if (g) g.addresses = g.addresses.filter((a) => a.name !== "2");
      });
      await until(
        () => topics().every((t) => sub.last(t) === ""),
        "meter 2's configs emptied",
      );
      assert.ok(
        sub.seen.some((s) =>
          s.topic.startsWith("homeassistant/sensor/t13_2_heat_1/") &&
          s.payload !== ""
        ),
      );
    } finally {
      await gw.close();
      await sub.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
