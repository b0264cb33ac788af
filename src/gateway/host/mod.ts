/**
 * The host room: one {@link Gateway} instance composed from the other rooms, the
 * {@link GatewayHost} that runs every instance of a config file, their metrics, and the
 * default way to open a source.
 *
 * @module
 */
export * from "./gateway.ts";
export * from "./gateway_host.ts";
export * from "./gateway_metrics.ts";
export * from "./open_source.ts";
