/**
 * The gateway core: configuration (keys, defaults, validation, atomic writes), the
 * `%mbus:` address tree, the scheduler (ms and cron), the emitter and history (SQLite), the
 * bus arbiter, scan jobs, and {@link Gateway} / {@link GatewayHost} that compose them over a
 * {@link MeterSource} (the wired master or a wireless receiver).
 * May import every layer below (util, transport, master, app, wmbus).
 *
 * @example
 * ```ts
 * import { GatewayHost, parseConfig } from "./mod.ts";
 * const config = parseConfig({ gateways: [{ name: "heat", host: "127.0.0.1", addresses: [{ name: "1" }] }] });
 * // const host = await GatewayHost.create(config, { openSource });
 * // host.start(); host.lookup("%mbus:1/0/value");
 * ```
 * @module
 */
export * from "./config/keys.ts";
export { parseConfig } from "./config/validate_config.ts";
export {
  ConfigStore,
  loadConfig,
  type RawConfig,
  redactConfig,
  redactGateway,
  writeFileAtomic,
} from "./config/load_config.ts";
export * from "./meter_name.ts";
export * from "./mbus_path.ts";
export * from "./schedule.ts";
export * from "./scheduler.ts";
export * from "./meter_source.ts";
export * from "./events.ts";
export * from "./arbiter.ts";
export * from "./history.ts";
export * from "./address_tree.ts";
export * from "./emitter.ts";
export * from "./legacy.ts";
export * from "./scan_job.ts";
export * from "./gateway.ts";
export * from "./gateway_host.ts";
export * from "./wired_source.ts";
export * from "./open_source.ts";
export * from "./meter_publisher.ts";
export * from "./gateway_metrics.ts";
export * from "./wireless_source.ts";
export * from "./wireless/open_wireless.ts";
