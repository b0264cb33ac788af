/**
 * Home Assistant MQTT discovery: one device per meter (identified by the gateway's topic
 * path and, when the meter reports one, its manufacturer and ID), one sensor per record,
 * reading the meter's state topic through a `value_template`. Sensors are available only
 * while the gateway, its instance and the meter are all online. The gateway itself is a
 * device with one connectivity sensor that every meter points at with `via_device`.
 *
 * Ids are built from the topic prefix, cluster, instance, meter and record (position for
 * wired meters, field name for wireless ones), so they are the same after a restart.
 *
 * @module
 */
import { haSensorClass } from "./ha_units.ts";
import { mediumOf, type MeterReading, wirelessField } from "./payloads.ts";
import { objectId, type Topics } from "./topics.ts";

/** One retained discovery config. */
export interface DiscoveryMessage {
  /** Config topic. */
  topic: string;
  /** The config as JSON text. */
  payload: string;
}

/** What discovery needs besides the reading. */
export interface DiscoveryContext {
  /** Topic builder. */
  topics: Topics;
  /** Discovery prefix, e.g. `homeassistant`. */
  prefix: string;
  /** The MQTT client id (names the gateway device). */
  clientId: string;
}

/**
 * The id of a meter's device (and the owner key of its discovery topics).
 *
 * @param topicPrefix Topic prefix.
 * @param cluster Cluster.
 * @param instance Instance.
 * @param meter Meter name.
 * @returns The id.
 */
export function meterNodeId(
  topicPrefix: string,
  cluster: number,
  instance: string,
  meter: string,
): string {
  return objectId(`${topicPrefix}_${cluster}_${instance}_${meter}`);
}

/**
 * The id of the gateway's device.
 *
 * @param topicPrefix Topic prefix.
 * @param clientId MQTT client id.
 * @returns The id.
 */
export function gatewayNodeId(topicPrefix: string, clientId: string): string {
  return objectId(`${topicPrefix}_gateway_${clientId}`);
}

/**
 * The gateway's device and its connectivity sensor.
 *
 * @param ctx Topics, prefix, client id.
 * @returns The config message.
 */
export function gatewayDiscovery(ctx: DiscoveryContext): DiscoveryMessage {
  const node = gatewayNodeId(ctx.topics.prefix, ctx.clientId);
  return {
    topic: `${ctx.prefix}/binary_sensor/${node}/status/config`,
    payload: JSON.stringify({
      name: "Connection",
      "unique_id": `${node}_status`,
      "state_topic": ctx.topics.gatewayStatus(),
      "payload_on": "online",
      "payload_off": "offline",
      "device_class": "connectivity",
      "entity_category": "diagnostic",
      device: {
        identifiers: [node],
        name: `mbusgw ${ctx.clientId}`,
        manufacturer: "mbusgw",
        model: "M-Bus gateway",
      },
      origin: { name: "mbusgw" },
    }),
  };
}

function titleCase(text: string): string {
  return text.length === 0 ? text : text[0]?.toUpperCase() + text.slice(1);
}

/** A readable sensor name of a wired record: quantity with its qualifiers. */
function wiredName(r: MeterReading["reading"]["records"][number]): string {
  const parts = [r.quantity || `Record ${r.index}`];
  if (r.function !== "instantaneous") parts.push(r.function);
  if (r.storage !== 0) parts.push(`storage ${r.storage}`);
  if (r.tariff !== 0) parts.push(`tariff ${r.tariff}`);
  if (r.subunit !== 0) parts.push(`subunit ${r.subunit}`);
  return parts.join(", ");
}

/**
 * The discovery configs of one meter: one sensor per record of the reading.
 *
 * @param m The reading.
 * @param ctx Topics, prefix, client id.
 * @returns Config messages, in record order.
 */
export function meterDiscovery(
  m: MeterReading,
  ctx: DiscoveryContext,
): DiscoveryMessage[] {
  const t = ctx.topics;
  const node = meterNodeId(t.prefix, m.cluster, m.instance, m.meter);
  const base = t.meter(m.cluster, m.instance, m.meter);
  const h = m.reading.header;
  const medium = mediumOf(m.reading);
  const identifiers = [node];
  if (h && h.id !== "" && h.manufacturer !== "") {
    identifiers.push(objectId(`mbus_${h.manufacturer}_${h.id}`));
  }
  const device: Record<string, unknown> = {
    identifiers,
    name: m.description || `M-Bus ${m.instance} ${m.meter}`,
    model: m.driver ?? (medium || "M-Bus meter"),
    "via_device": gatewayNodeId(t.prefix, ctx.clientId),
  };
  if (h?.manufacturer) device.manufacturer = h.manufacturer;
  if (h?.id) device.serial_number = h.id;
  const availability = [
    { topic: t.gatewayStatus() },
    { topic: t.instanceStatus(m.cluster, m.instance) },
    { topic: `${base}/availability` },
  ];
  return m.reading.records.map((r, position) => {
    const field = m.wireless ? wirelessField(r) : `r${position}`;
    const cls = haSensorClass({
      unit: r.unit,
      function: r.function,
      storage: r.storage,
      numeric: typeof r.value === "number",
      medium,
    });
    const config: Record<string, unknown> = {
      name: m.wireless
        ? titleCase(r.quantity.replaceAll("_", " "))
        : wiredName(r),
      "unique_id": `${node}_${objectId(field)}`,
      "state_topic": `${base}/state`,
      "value_template": m.wireless
        ? `{{ value_json[${JSON.stringify(field)}] }}`
        : `{{ value_json.records[${position}].value }}`,
      availability,
      "availability_mode": "all",
      device,
      origin: { name: "mbusgw" },
    };
    if (cls.unit !== undefined) config["unit_of_measurement"] = cls.unit;
    if (cls.deviceClass !== undefined) config["device_class"] = cls.deviceClass;
    if (cls.stateClass !== undefined) config["state_class"] = cls.stateClass;
    // Historic storages and tariffs are there but hidden until a user enables them.
    if (r.storage !== 0 || r.tariff !== 0) config["enabled_by_default"] = false;
    return {
      topic: `${ctx.prefix}/sensor/${node}/${objectId(field)}/config`,
      payload: JSON.stringify(config),
    };
  });
}
