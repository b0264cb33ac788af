/**
 * A gateway instance "b" with its TCP bridge on, polling meters (1 by default) of a simulated bus through
 * the fast in-process endpoint, in real time (the bridge is a socket server).
 *
 * @module
 */
import {
  type Gateway,
  GatewayHost,
  History,
  parseConfig,
  WiredSource,
} from "../../../src/gateway/mod.ts";
import { RealClock } from "../../../src/util/mod.ts";
import type { VirtualBus } from "../../../sim/mod.ts";

/** What {@link bridgedHost} sets up; disposing stops the host and closes the history. */
export interface BridgedHost extends AsyncDisposable {
  /** The host. */
  host: GatewayHost;
  /** Its only instance, "b". */
  gateway: Gateway;
}

/**
 * Builds the host (not started).
 *
 * @param bus The simulated bus.
 * @param bridgePort The bridge's port on 127.0.0.1.
 * @param pollingMs The polling interval.
 * @param options Meters to poll (default "1") and the bridge's idle limit.
 * @returns The host and its instance.
 */
export async function bridgedHost(
  bus: VirtualBus,
  bridgePort: number,
  pollingMs: number,
  options: { meters?: string[]; idleLimitMs?: number } = {},
): Promise<BridgedHost> {
  const history = new History();
  const host = await GatewayHost.create(
    parseConfig({
      gateways: [{
        name: "b",
        host: "127.0.0.1",
        tcpServer: true,
        tcpServerPort: bridgePort,
        ...(options.idleLimitMs === undefined
          ? {}
          : { tcpServerIdleTimeout: options.idleLimitMs }),
        polling: pollingMs,
        requestTimeout: 300,
        idleTimeout: 0,
        addresses: (options.meters ?? ["1"]).map((name) => ({ name })),
      }],
    }),
    {
      clock: new RealClock(),
      history,
      openSource: (_g, c) =>
        new WiredSource({
          transport: bus.connect({ clock: c, paced: false }),
          clock: c,
          requestTimeoutMs: 300,
          idleTimeoutMs: 0,
        }),
    },
  );
  const gateway = host.get("b");
  if (!gateway) throw new Error("bridgedHost(): instance b is missing");
  return {
    host,
    gateway,
    async [Symbol.asyncDispose]() {
      await host.stop();
      history.close();
    },
  };
}
