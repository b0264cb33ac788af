/**
 * The default {@link SourceFactory}: opens each instance's bus from its configuration
 * (a TCP converter or a serial port, through the master; a wireless receiver, see
 * `wireless/open_wireless.ts`).
 *
 * @module
 */
import { SerialTransport, TcpTransport } from "../../transport/mod.ts";
import type { Clock } from "../../util/mod.ts";
import type { GatewayConfig } from "../config/mod.ts";
import type { MeterSource } from "../source/mod.ts";
import { WiredSource } from "../wired/mod.ts";
import { openWirelessSource } from "../wireless/mod.ts";

/**
 * Opens the bus of an instance.
 *
 * @param config The instance.
 * @param clock Time source.
 * @returns The source.
 * @throws {TransportError} When the port or converter cannot be opened.
 */
export async function openSource(
  config: GatewayConfig,
  clock: Clock,
): Promise<MeterSource> {
  if (config.type === "wireless") return openWirelessSource(config, clock);
  const transport = config.type === "tcp"
    // Connects in the background and keeps reconnecting (capped at 1 s between attempts):
    // a converter that is down leaves the instance offline, not the gateway stopped.
    ? TcpTransport.create(config.host, config.port, {
      clock,
      baudRate: config.serialBaudRate,
    })
    : await SerialTransport.open(config.serialPort, {
      clock,
      baudRate: config.serialBaudRate,
    });
  return new WiredSource({
    transport,
    clock,
    requestTimeoutMs: config.requestTimeout,
    idleTimeoutMs: config.idleTimeout,
    retry: config.retry,
    applyUnitFactor: config.applyUnitFactor,
    legacy: config.legacyDriver,
    isTcp: config.type === "tcp",
  });
}
