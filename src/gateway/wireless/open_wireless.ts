/**
 * Opening a wireless instance from its configuration. The receiver is named by
 * `serialPort`, optionally prefixed with its protocol:
 *
 * - `/dev/ttyUSB0`: a dongle on a serial port (8N1), detected by asking it (iM871A at
 *   57600 baud, then AMB8465 at 9600 baud);
 * - `im871a:/dev/ttyUSB0`, `amb8465:/dev/ttyUSB0`: that dongle, not asked;
 * - `rtlwmbus:/dev/ttyX`, `hex:/dev/ttyX`: text lines on a serial port at `serialBaudRate`;
 * - `tcp://HOST:PORT` (rtl_wmbus lines, e.g. `rtl_wmbus | nc -l PORT`), or
 *   `im871a:tcp://HOST:PORT` (any protocol) through a serial-to-TCP bridge.
 *
 * @module
 */
import {
  SerialTransport,
  TcpTransport,
  type Transport,
} from "../../transport/mod.ts";
import { type Clock, ConfigError } from "../../util/mod.ts";
import {
  detectReceiver,
  RECEIVER_FORMATS,
  type ReceiverFormat,
} from "../../wmbus/mod.ts";
import type { GatewayConfig } from "../config/mod.ts";
import { WirelessSource } from "./wireless_source.ts";

/** Where a receiver is and what it speaks. */
export type ReceiverPort =
  | { kind: "serial"; path: string; format?: ReceiverFormat }
  | { kind: "tcp"; host: string; port: number; format?: ReceiverFormat };

/** Line speed of each dongle protocol (text receivers use `serialBaudRate`). */
export const RECEIVER_BAUD: Readonly<Partial<Record<ReceiverFormat, number>>> =
  {
    im871a: 57600,
    amb8465: 9600,
  };

const TCP_RE = /^tcp:\/\/(.+):(\d{1,5})$/;

/**
 * Parses a wireless instance's `serialPort`.
 *
 * @param text E.g. `/dev/ttyUSB0`, `im871a:/dev/ttyUSB0`, `tcp://127.0.0.1:9999`.
 * @returns The port.
 * @throws {ConfigError} At `serialPort` for an unknown protocol or a bad TCP address.
 */
export function parseReceiverPort(text: string): ReceiverPort {
  let rest = text.trim();
  let format: ReceiverFormat | undefined;
  const colon = rest.indexOf(":");
  const prefix = colon > 0 ? rest.slice(0, colon) : "";
  if (prefix !== "" && prefix !== "tcp" && !/^[A-Za-z]$/.test(prefix)) {
    if (!(RECEIVER_FORMATS as readonly string[]).includes(prefix)) {
      throw new ConfigError(
        "serialPort",
        `Invalid receiver "${text}": unknown protocol "${prefix}" (expected ${
          RECEIVER_FORMATS.join(", ")
        })`,
      );
    }
    format = prefix as ReceiverFormat;
    rest = rest.slice(colon + 1);
  }
  if (rest.startsWith("tcp:")) {
    const m = TCP_RE.exec(rest);
    const port = Number(m?.[2]);
    if (!m || !m[1] || port < 1 || port > 65535) {
      throw new ConfigError(
        "serialPort",
        `Invalid receiver "${text}": expected tcp://HOST:PORT`,
      );
    }
    return { kind: "tcp", host: m[1], port, format: format ?? "rtlwmbus" };
  }
  if (rest === "") {
    throw new ConfigError("serialPort", `Invalid receiver "${text}": no path`);
  }
  return format ? { kind: "serial", path: rest, format } : {
    kind: "serial",
    path: rest,
  };
}

/**
 * Opens a wireless instance: parses `serialPort`, detects the dongle when the protocol
 * is not given, and starts listening.
 *
 * @param config The instance (`type: "wireless"`).
 * @param clock Time source.
 * @returns The listening source.
 * @throws {ConfigError} For a bad `serialPort`; `TransportError` when the device cannot
 *   be opened; `MbusError` `UNKNOWN_RECEIVER` when detection gets no answer.
 */
export async function openWirelessSource(
  config: GatewayConfig,
  clock: Clock,
): Promise<WirelessSource> {
  const where = parseReceiverPort(config.serialPort);
  const open = (baudRate: number): Promise<Transport> =>
    where.kind === "tcp"
      ? TcpTransport.open(where.host, where.port, { clock, baudRate })
      : SerialTransport.open(where.path, { clock, baudRate, parity: "none" });
  let format = where.format;
  if (!format) {
    await using probe = await open(RECEIVER_BAUD.im871a ?? 57600);
    format = (await detectReceiver(probe, { clock })).format;
  }
  const baudRate = RECEIVER_BAUD[format] ?? config.serialBaudRate;
  return new WirelessSource({
    open: () => open(baudRate),
    format,
    clock,
    addresses: config.addresses,
  });
}
