/**
 * Starts an instance's TCP bridge (`tcpServer: true`) on `tcpServerHost`:`tcpServerPort`.
 *
 * @module
 */
import { TransportError } from "../../util/mod.ts";
import { BridgeServer } from "./bridge_server.ts";
import type { BridgeOptions } from "./bridge_types.ts";
import type { GatewayConfig } from "../config/mod.ts";

/**
 * Starts the bridge of an instance.
 *
 * @param config The instance.
 * @param options Bus, arbiter, clock and hooks.
 * @returns The bridge.
 * @throws {TransportError} `PORT_BUSY` (or `IO`) when it cannot listen.
 */
export function startBridge(
  config: GatewayConfig,
  options: Omit<BridgeOptions, "hostname" | "port" | "idleLimitMs">,
): BridgeServer {
  try {
    return BridgeServer.start({
      ...options,
      hostname: config.tcpServerHost,
      port: config.tcpServerPort,
      idleLimitMs: config.tcpServerIdleTimeout,
    });
  } catch (e) {
    const busy = e instanceof Deno.errors.AddrInUse;
    throw new TransportError(
      busy ? "PORT_BUSY" : "IO",
      `Cannot start the TCP bridge of "${config.name}" on ${config.tcpServerHost}:${config.tcpServerPort}: ${
        busy ? "port in use" : e instanceof Error ? e.message : String(e)
      }`,
      { cause: e },
    );
  }
}
