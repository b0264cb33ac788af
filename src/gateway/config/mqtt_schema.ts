/**
 * The `mqtt` section of the configuration: where the gateway publishes its readings, how
 * (QoS, retain, TLS, credentials), Home Assistant discovery, commands, per-meter
 * availability and the on-disk store and forward. Every key but `url` has a default.
 *
 * @module
 */
import { z } from "zod";
import { allow, bool, int, strict, text } from "./schema_parts.ts";

/** URL schemes the MQTT client speaks. */
export const MQTT_SCHEMES = ["mqtt:", "mqtts:", "ws:", "wss:"] as const;

/** Longest client id, topic prefix or credential, in characters. */
export const MAX_MQTT_TEXT = 256;

const URL_TEXT =
  "a broker URL: mqtt://host:port, mqtts://host:port, ws://host:port/path or wss://host:port/path";

function isBrokerUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (MQTT_SCHEMES as readonly string[]).includes(u.protocol) &&
      u.hostname !== "";
  } catch {
    return false;
  }
}

/** A topic prefix: levels without wildcards, no leading or trailing `/`. */
// deno-lint-ignore no-control-regex -- NUL is forbidden in MQTT topics
const PREFIX_RE = /^[^/+#\u0000]+(\/[^/+#\u0000]+)*$/;

const prefix = (what: string, fallback: string) =>
  text(`${what}: topic levels without +, # or a leading/trailing /`, {
    nonEmpty: true,
    max: MAX_MQTT_TEXT,
  }).regex(PREFIX_RE, allow(`${what} without +, # or a leading/trailing /`))
    .default(fallback);

/** TLS settings (mqtts:// and wss://). */
export const mqttTlsSchema = strict({
  ca: text("a path to a PEM file of CA certificates").optional().describe(
    "PEM file of the CA certificates that signed the broker's certificate (default: the system's)",
  ),
  cert: text("a path to a PEM client certificate").optional().describe(
    "PEM client certificate, for brokers that require one",
  ),
  key: text("a path to a PEM private key").optional().describe(
    "PEM private key of the client certificate",
  ),
  verify: bool().default(true).describe(
    "Check the broker's certificate and host name; false only for tests",
  ),
});

/** Home Assistant discovery. */
export const mqttDiscoverySchema = strict({
  enabled: bool().default(true).describe(
    "Publish retained Home Assistant discovery configs (a device per meter, a sensor per record)",
  ),
  prefix: prefix("a discovery prefix", "homeassistant").describe(
    "Home Assistant's discovery prefix",
  ),
});

/** Store and forward. */
export const mqttOutboxSchema = strict({
  path: text("a file path, or :memory:", { nonEmpty: true }).default(
    "mbusgw-mqtt.db",
  ).describe(
    "SQLite file holding messages until the broker acknowledges them (relative to the working directory)",
  ),
  maxMessages: int(1, 10_000_000).default(100_000).describe(
    "Most messages kept while the broker is unreachable; the oldest are dropped first and counted",
  ),
  maxAgeHours: int(1, 8760).default(168).describe(
    "Messages older than this are dropped and counted",
  ),
});

/** The `mqtt` section. */
export const mqttSchema = strict({
  url: text(URL_TEXT, { nonEmpty: true, max: 2048 }).refine(
    isBrokerUrl,
    allow(URL_TEXT),
  ).describe("Broker URL (mqtt://, mqtts://, ws://, wss://)"),
  username: text("a user name", { max: MAX_MQTT_TEXT }).optional().describe(
    "User name at the broker",
  ),
  password: text("a password", { max: MAX_MQTT_TEXT }).optional().describe(
    "Password at the broker; never returned by the API",
  ),
  clientId: text("a client id of at most 256 characters", {
    max: MAX_MQTT_TEXT,
  }).default("").describe(
    "MQTT client id, unique per gateway on a broker; empty = mbusgw-<host name>",
  ),
  topicPrefix: prefix("a topic prefix", "mbusgw").describe(
    "First topic level(s): <prefix>/<cluster>/<instance>/<meter>/state",
  ),
  protocolVersion: z.union(
    [z.literal(4), z.literal(5)],
    allow("4 (MQTT 3.1.1) or 5"),
  )
    .default(4).describe("MQTT protocol: 4 = 3.1.1, 5 = MQTT 5"),
  qos: z.union([z.literal(0), z.literal(1)], allow("0 or 1")).default(1)
    .describe("QoS of readings and discovery (1: delivered once acknowledged)"),
  retain: bool().default(true).describe(
    "Retain meter states and values (the last reading is there for new subscribers)",
  ),
  valueTopics: bool().default(true).describe(
    "Also publish each record's plain value on <meter>/<record>/value",
  ),
  keepaliveSeconds: int(5, 3600).default(30).describe(
    "MQTT keep-alive interval",
  ),
  reconnectMs: int(100, 600_000).default(5000).describe(
    "Pause between connection attempts (also after refused credentials)",
  ),
  missedReads: int(1, 1000).default(3).describe(
    "Reads a meter may miss in a row before its availability goes offline",
  ),
  commands: bool().default(false).describe(
    "Accept commands (read now, start and cancel scans) on <prefix>/<cluster>/<instance>/command",
  ),
  tls: mqttTlsSchema.default({ verify: true }).describe(
    "TLS files and verification",
  ),
  discovery: mqttDiscoverySchema.default({
    enabled: true,
    prefix: "homeassistant",
  }).describe("Home Assistant discovery"),
  storeAndForward: mqttOutboxSchema.default({
    path: "mbusgw-mqtt.db",
    maxMessages: 100_000,
    maxAgeHours: 168,
  }).describe("The on-disk outbox"),
}, "an object with url (and optional MQTT settings)");

/** The `mqtt` section, validated, defaults filled in. */
export type MqttConfig = z.infer<typeof mqttSchema>;
