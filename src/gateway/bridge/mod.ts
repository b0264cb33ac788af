/**
 * The TCP bridge for third-party M-Bus tools, and its opt-in handshake.
 *
 * @module
 */
export * from "./bridge_server.ts";
export * from "./bridge_types.ts";
export * from "./handshake.ts";
export * from "./start_bridge.ts";
