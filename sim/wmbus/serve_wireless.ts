/**
 * One call for `--simulate`: puts a wireless simulation behind a receiver endpoint and
 * says which `serialPort` a wireless gateway instance should name to reach it.
 *
 * @module
 */
import { startDonglePty } from "./dongle_endpoints.ts";
import { startRtlWmbusTcp } from "./rtl_wmbus_endpoints.ts";
import type { WirelessSimulation } from "./wireless_simulation.ts";

/** A simulation being served to a receiver. */
export interface ServedWirelessSimulation extends AsyncDisposable {
  /** What to put in the instance's `serialPort`, e.g. `tcp://127.0.0.1:40123`. */
  readonly serialPort: string;
  /** Resolves once a receiver listens (TCP client connected, or dongle mode set). */
  whenReady(): Promise<void>;
  /** Stops the endpoint. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link serveWirelessSimulation}. */
export interface ServeWirelessOptions {
  /**
   * `rtlwmbus`: rtl_wmbus lines on a TCP port of 127.0.0.1 (no FFI needed);
   * `im871a` / `amb8465`: that virtual dongle on a pseudo-terminal (needs `--allow-ffi`).
   * @default "rtlwmbus"
   */
  via?: "rtlwmbus" | "im871a" | "amb8465";
}

/**
 * Serves a simulation to a wireless gateway instance.
 *
 * @example
 * ```ts ignore
 * const air = createWirelessSimulation({ liveValues: true });
 * air.start();
 * await using radio = serveWirelessSimulation(air);
 * // { name: "radio", cluster: 1, type: "wireless", serialPort: radio.serialPort,
 * //   addresses: air.addressConfig() }
 * ```
 *
 * @param air The simulation (start it for periodic transmission).
 * @param options Which receiver to imitate.
 * @returns The endpoint and its `serialPort`.
 * @throws {TransportError} When no port or pseudo-terminal can be had.
 */
export function serveWirelessSimulation(
  air: WirelessSimulation,
  options: ServeWirelessOptions = {},
): ServedWirelessSimulation {
  if (options.via === "im871a" || options.via === "amb8465") {
    const pty = startDonglePty(air, options.via);
    return {
      serialPort: `${options.via}:${pty.path}`,
      whenReady: () => pty.dongle.whenConfigured().then(() => {}),
      close: () => pty.close(),
      [Symbol.asyncDispose]: () => pty.close(),
    };
  }
  const tcp = startRtlWmbusTcp(air, { port: 0 });
  return {
    serialPort: `tcp://${tcp.host}:${tcp.port}`,
    whenReady: () => tcp.whenConnected(),
    close: () => tcp.close(),
    [Symbol.asyncDispose]: () => tcp.close(),
  };
}
