// deno-lint-ignore-file no-console
/**
 * Starting the MQTT bridge from the command line (`run` with an `mqtt` section,
 * `--simulate --mqtt URL`): its log lines go to stderr with the `mbusgw:` prefix.
 *
 * @module
 */
import type { GatewayHost, MqttConfig } from "../gateway/mod.ts";
import {
  MqttBridge,
  openOutbox,
  type ReadingTap,
  readTlsFiles,
  type TlsFiles,
} from "../mqtt/mod.ts";
import type { Clock } from "../util/mod.ts";

/**
 * Checks the files an `mqtt` section names before any bus is opened, so that a bad one is
 * the only line printed (exit 2): reads the TLS files and opens the outbox once.
 *
 * @param config The section, or undefined.
 * @returns The TLS files' contents (undefined without a section).
 * @throws {ConfigError} naming the key of the file that cannot be read or opened.
 */
export async function prepareMqtt(
  config: MqttConfig | undefined,
): Promise<TlsFiles | undefined> {
  if (!config) return undefined;
  const tls = await readTlsFiles(config);
  openOutbox(config).close();
  return tls;
}

/**
 * Starts the bridge when the configuration has an `mqtt` section.
 *
 * @param config The section, or undefined.
 * @param parts The host, the tap its sources were opened through, the clock, and the TLS
 *   files {@link prepareMqtt} read.
 * @returns The bridge, or undefined without a section.
 */
export async function startMqtt(
  config: MqttConfig | undefined,
  parts: { host: GatewayHost; tap: ReadingTap; clock: Clock; tls?: TlsFiles },
): Promise<MqttBridge | undefined> {
  if (!config) return undefined;
  return await MqttBridge.start(config, {
    ...parts,
    log: (line) => console.error(`mbusgw: ${line}`),
  });
}

/**
 * The MQTT bridge's counters as `/metrics` samples.
 *
 * @param bridge The bridge.
 * @returns A function giving the samples now.
 */
export function mqttMetrics(
  bridge: MqttBridge,
): () => Record<string, number> {
  return () => {
    const s = bridge.stats;
    return {
      mbusgw_mqtt_up: s.state === "online" ? 1 : 0,
      mbusgw_mqtt_connects_total: s.connects,
      mbusgw_mqtt_connect_attempts_total: s.attempts,
      mbusgw_mqtt_readings_total: s.readings,
      mbusgw_mqtt_queued_messages: s.queued,
      mbusgw_mqtt_delivered_messages_total: s.delivered,
      mbusgw_mqtt_dropped_messages_total: s.dropped,
    };
  };
}
