/**
 * MQTT out and back: the bridge that publishes every reading to a broker (meter state,
 * plain values, availability, Home Assistant discovery), keeps unsent messages on disk,
 * carries the gateway's Last Will, and answers commands when they are enabled.
 * May import util, app, wmbus and gateway.
 *
 * @example
 * ```ts
 * import { MqttBridge, ReadingTap } from "./mod.ts";
 * // const tap = new ReadingTap();
 * // const host = await GatewayHost.create(config, { openSource: tap.wrap(openSource) });
 * // const bridge = await MqttBridge.start(config.mqtt, { host, tap });
 * ```
 * @module
 */
export * from "./bridge.ts";
export * from "./commands.ts";
export * from "./connection.ts";
export * from "./discovery.ts";
export * from "./forwarder.ts";
export * from "./ha_units.ts";
export * from "./outbox.ts";
export * from "./payloads.ts";
export * from "./reading_tap.ts";
export * from "./topics.ts";
