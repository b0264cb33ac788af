// deno-lint-ignore-file no-console
/**
 * Starting the MQTT bridge from the command line (`run` with an `mqtt` section,
 * `--simulate --mqtt URL`): its log lines go to stderr with the `mbusgw:` prefix.
 *
 * @module
 */
import type { GatewayHost, MqttConfig } from "../gateway/mod.ts";
import { MqttBridge, type ReadingTap } from "../mqtt/mod.ts";
import type { Clock } from "../util/mod.ts";

/**
 * Starts the bridge when the configuration has an `mqtt` section.
 *
 * @param config The section, or undefined.
 * @param parts The host, the tap its sources were opened through, the clock.
 * @returns The bridge, or undefined without a section.
 */
export async function startMqtt(
  config: MqttConfig | undefined,
  parts: { host: GatewayHost; tap: ReadingTap; clock: Clock },
): Promise<MqttBridge | undefined> {
  if (!config) return undefined;
  return await MqttBridge.start(config, {
    ...parts,
    log: (line) => console.error(`mbusgw: ${line}`),
  });
}
