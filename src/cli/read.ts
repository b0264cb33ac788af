// deno-lint-ignore-file no-console
/**
 * `mbusgw read`: read one meter through a serial port or a TCP converter and print the
 * telegram as JSON. Also the bus options every master command shares (`--tcp`, `--serial`,
 * `--baud`, `--timeout`, `--idle`, `--retry`), validated before anything is opened.
 *
 * @module
 */
import { parseCommandArgs, UsageError } from "./_command.ts";
import {
  Master,
  type MeterAddress,
  type MeterReading,
  parseMeterAddress,
} from "../master/mod.ts";
import {
  BAUD_RATES,
  DEFAULT_BAUD_RATE,
  SerialTransport,
  TcpTransport,
  type Transport,
} from "../transport/mod.ts";
import { RealClock } from "../util/mod.ts";
import { telegramJson } from "./_telegram_json.ts";

/** Where the bus is and how to talk to it, parsed and checked. */
export interface BusSettings {
  /** `tcp` with host and port, or `serial` with a path. */
  endpoint:
    | { kind: "tcp"; host: string; port: number }
    | { kind: "serial"; path: string };
  /** Line speed. */
  baudRate: number;
  /** `--timeout` in ms, when given. */
  timeoutMs?: number;
  /** `--idle` in ms, when given. */
  idleMs?: number;
  /** `--retry`, when given. */
  retry?: number;
}

/** The parseArgs options every master command takes. */
export const BUS_OPTIONS = {
  tcp: { type: "string" },
  serial: { type: "string" },
  baud: { type: "string" },
  timeout: { type: "string" },
  idle: { type: "string" },
  retry: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Help text of the shared options. */
export const BUS_HELP = `  --tcp HOST:PORT      M-Bus-to-TCP converter
  --serial PATH        serial port (USB level converter)
  --baud N             baud rate (default 2400)
  --timeout MS         answer timeout (reads default 5000; scans default by baud rate)
  --idle MS            pause before the command (default 0)
  --retry N            repeats after a timeout or bad frame (default 0)`;

/**
 * Parses a non-negative integer option.
 *
 * @param name Option name for the message.
 * @param text The value.
 * @param max Largest value allowed.
 * @returns The number, or undefined when absent.
 */
export function intOption(
  name: string,
  text: string | undefined,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) > max) {
    throw new UsageError(
      `Cannot use --${name} "${text}": expected an integer 0 to ${max}`,
    );
  }
  return Number(text);
}

/**
 * Checks the shared bus options (nothing is opened).
 *
 * @param values Parsed option values.
 * @returns The settings.
 * @throws {UsageError} On a missing or malformed option.
 */
export function parseBusSettings(
  values: Partial<Record<keyof typeof BUS_OPTIONS, string | boolean>>,
): BusSettings {
  const tcp = typeof values.tcp === "string" ? values.tcp : undefined;
  const serial = typeof values.serial === "string" ? values.serial : undefined;
  if ((tcp === undefined) === (serial === undefined)) {
    throw new UsageError(
      "Cannot reach the bus: give exactly one of --tcp HOST:PORT or --serial PATH",
    );
  }
  const str = (v: string | boolean | undefined) =>
    typeof v === "string" ? v : undefined;
  const baudRate = intOption("baud", str(values.baud)) ?? DEFAULT_BAUD_RATE;
  if (!(BAUD_RATES as readonly number[]).includes(baudRate)) {
    throw new UsageError(
      `Cannot use --baud ${baudRate}: expected one of ${BAUD_RATES.join(", ")}`,
    );
  }
  const settings: BusSettings = {
    endpoint: tcp !== undefined
      ? parseHostPort(tcp)
      : { kind: "serial", path: serial ?? "" },
    baudRate,
  };
  const timeoutMs = intOption("timeout", str(values.timeout), 600_000);
  const idleMs = intOption("idle", str(values.idle), 600_000);
  const retry = intOption("retry", str(values.retry), 9);
  if (timeoutMs !== undefined) settings.timeoutMs = timeoutMs;
  if (idleMs !== undefined) settings.idleMs = idleMs;
  if (retry !== undefined) settings.retry = retry;
  return settings;
}

function parseHostPort(text: string): BusSettings["endpoint"] {
  const m = /^(.+):(\d{1,5})$/.exec(text);
  const port = Number(m?.[2] ?? "0");
  if (!m || port < 1 || port > 65535) {
    throw new UsageError(
      `Cannot use --tcp "${text}": expected HOST:PORT with a port 1 to 65535`,
    );
  }
  return { kind: "tcp", host: (m[1] ?? "").replace(/^\[|\]$/g, ""), port };
}

/**
 * Parses `--address`.
 *
 * @param text The option value.
 * @returns The address.
 */
export function addressOption(text: string | undefined): MeterAddress {
  if (text === undefined) throw new UsageError("Missing --address");
  return parseMeterAddress(text);
}

/**
 * Opens the transport and a master on it, runs `fn`, and closes both.
 *
 * @param settings Checked bus settings.
 * @param fn Work with the master.
 * @returns What `fn` returns.
 */
export async function withMaster<T>(
  settings: BusSettings,
  fn: (master: Master) => Promise<T>,
): Promise<T> {
  const clock = new RealClock();
  const e = settings.endpoint;
  const transport: Transport = e.kind === "tcp"
    ? await TcpTransport.open(e.host, e.port, {
      clock,
      baudRate: settings.baudRate,
    })
    : await SerialTransport.open(e.path, {
      clock,
      baudRate: settings.baudRate,
    });
  await using _transport = transport;
  const master = new Master({
    transport,
    clock,
    ...(settings.timeoutMs === undefined ? {} : {
      requestTimeoutMs: settings.timeoutMs,
      scanTimeoutMs: settings.timeoutMs,
    }),
    // A one-shot command has nothing to pause after.
    idleTimeoutMs: settings.idleMs ?? 0,
    ...(settings.retry === undefined ? {} : { retry: settings.retry }),
  });
  try {
    return await fn(master);
  } finally {
    await master.close();
  }
}

/**
 * The JSON of a reading, in the shape `mbusgw decode` prints (frame, header, records with
 * the same fields, more-records flag, manufacturer data) plus `frames` and `partial`.
 *
 * @param reading The reading.
 * @returns A plain object for JSON.stringify.
 */
export function readingJson(reading: MeterReading): Record<string, unknown> {
  const out: Record<string, unknown> = {
    frame: { type: "long", ...reading.frame, checksumOk: true },
    ...telegramJson(reading.telegram),
  };
  out.frames = reading.frames;
  out.partial = reading.partial;
  return out;
}

const HELP =
  `Usage: mbusgw read (--tcp HOST:PORT | --serial PATH) --address A [options]

Reads one meter and prints its telegram as JSON.

  --address A          primary address 0-250, 8-digit ID, or 16 hex digits
  --max-frames N       most telegrams to read (default 16)
  --max-records N      most records to keep
${BUS_HELP}`;

/**
 * `mbusgw read`.
 *
 * @param args Arguments after `read`.
 * @returns The exit code.
 */
export async function readCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    ...BUS_OPTIONS,
    address: { type: "string" },
    "max-frames": { type: "string" },
    "max-records": { type: "string" },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const address = addressOption(values.address);
  const maxFrames = intOption("max-frames", values["max-frames"], 255);
  const maxRecords = intOption("max-records", values["max-records"]);
  const settings = parseBusSettings(values);
  const reading = await withMaster(
    settings,
    (master) =>
      master.readMeter(address, {
        ...(maxFrames === undefined ? {} : { maxFrames }),
        ...(maxRecords === undefined ? {} : { maxRecords }),
      }),
  );
  console.log(JSON.stringify(readingJson(reading), null, 2));
  return 0;
}
