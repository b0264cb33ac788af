// deno-lint-ignore-file no-console
/**
 * `mbusgw wmbus decode` and `mbusgw wmbus listen`: wireless M-Bus telegrams decoded by the
 * drivers into wmbusmeters-compatible JSON, one object per line.
 *
 * @module
 */
import { detectLineFormat } from "./_stdin_format.ts";
import { parseCommandArgs, UsageError } from "./_command.ts";
import { parseHex, RealClock } from "../util/mod.ts";
import {
  SerialTransport,
  TcpTransport,
  type Transport,
} from "../transport/mod.ts";
import {
  Deduplicator,
  detectReceiver,
  LINK_MODES,
  type LinkMode,
  type ReceivedTelegram,
  receiveFromStream,
  RECEIVER_FORMATS,
  type ReceiverFormat,
  WmbusMeterDecoder,
  WmbusReceiver,
} from "../wmbus/mod.ts";
import {
  DRIVER_BY_NAME,
  DRIVER_NAMES,
  LOCAL_DRIVERS,
} from "../wmbus/drivers/mod.ts";

/**
 * Largest telegram `wmbus decode` takes: an L field of 255 plus DLL CRCs is 290 bytes; the
 * rest is headroom for a receiver's framing.
 */
const MAX_TELEGRAM_BYTES = 512;

/** Longest --hex text (separators and a `telegram=|…|` wrapper included). */
const MAX_TELEGRAM_HEX_CHARS = 4 * MAX_TELEGRAM_BYTES;

const HELP = `Usage:
  mbusgw wmbus decode --hex HEX [--hex HEX …] [--driver NAME] [--key HEX] [--name NAME]
  mbusgw wmbus listen (--serial PATH | --tcp HOST:PORT | --stdin) [--format F] [--mode M]
                      [--driver NAME] [--key HEX|ID=HEX …] [--name NAME] [--dedup-ms MS]
                      [--count N]

Telegrams start at the L field, with or without DLL CRCs (at most 512 bytes; stdin lines
at most 8192 characters). Output: one JSON object per line. Exit 2 when a telegram cannot
be decoded or an option is bad.
  --hex HEX        a telegram, also as telegram=|HEX| (repeat: decoded in order)
  --driver NAME    driver name or alias (default auto)
  --key HEX        16-byte AES key; ID=HEX for one meter (repeatable)
  --name NAME      meter name printed as "name"
  --format F       ${
  RECEIVER_FORMATS.join(", ")
} (detected; stdin: by its first line)
  --mode M         link mode for dongles: ${
  LINK_MODES.join(", ")
} (default C1T1)
  --dedup-ms MS    drop repeats of a telegram within MS (default 10000, 0 = keep all)
  --count N        stop after N telegrams (default: run until interrupted)`;

const OPTIONS = {
  hex: { type: "string", multiple: true },
  driver: { type: "string" },
  key: { type: "string", multiple: true },
  name: { type: "string" },
  serial: { type: "string" },
  tcp: { type: "string" },
  stdin: { type: "boolean" },
  format: { type: "string" },
  mode: { type: "string" },
  "dedup-ms": { type: "string" },
  count: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Keys by meter id, plus one for every meter (key ""). */
type KeyTable = Map<string, Uint8Array>;

function parseKeys(texts: readonly string[]): KeyTable {
  const keys: KeyTable = new Map();
  for (const text of texts) {
    const [id, hex] = text.includes("=")
      ? text.split("=", 2) as [string, string]
      : ["", text];
    const r = parseHex(hex);
    if (!r.ok || (r.value.length !== 16 && r.value.length !== 8)) {
      throw new UsageError(
        `Cannot use key "${text}": expected 32 hex digits (AES) or 16 (DES)`,
      );
    }
    keys.set(id.toUpperCase(), r.value);
  }
  return keys;
}

function checkDriver(driver: string | undefined): string {
  const name = (driver ?? "auto").toLowerCase();
  if (!DRIVER_NAMES.includes(name)) {
    throw new UsageError(`Unknown driver "${driver}": ${knownDrivers()}`);
  }
  return name;
}

/** The driver names, the reference's (wmbusmeters) apart from mbusgw's own, on one line. */
export function knownDrivers(): string {
  const isOwn = (n: string) => {
    const def = DRIVER_BY_NAME.get(n);
    return def !== undefined && LOCAL_DRIVERS.has(def.name);
  };
  const names = DRIVER_NAMES.filter((n) => n !== "auto");
  const reference = names.filter((n) => !isOwn(n));
  const own = names.filter(isOwn);
  return `use auto, a wmbusmeters driver name (${
    reference.join(", ")
  }) or one of mbusgw's own drivers, which wmbusmeters does not have (${
    own.join(", ")
  })`;
}

/** Prints each decoded telegram as one JSON line; problems go to stderr. */
class TelegramPrinter {
  #decoder: WmbusMeterDecoder;
  failures = 0;

  constructor(decoder: WmbusMeterDecoder) {
    this.#decoder = decoder;
  }

  /** Returns false for a suppressed duplicate. */
  print(bytes: Uint8Array, label: string, receivedAt: number): boolean {
    const outcome = this.#decoder.decode(bytes, receivedAt);
    // A duplicate, or a fragment waiting for the rest of its message: nothing to print.
    if (outcome.kind === "duplicate" || outcome.kind === "fragment") {
      return false;
    }
    if (outcome.kind === "failed") {
      this.failures++;
      const { code, message } = outcome.error;
      console.error(`mbusgw: Cannot decode ${label}: ${code}: ${message}`);
      return true;
    }
    const { telegram: t, result: d } = outcome;
    const meter = `${label} (${t.manufacturer} ${t.id})`;
    if (t.decryptionIssue === "NO_KEY") {
      // Only the header could be read: no JSON (it would say "OK" with no values), as the
      // reference prints nothing for it; the line names the meter to give a key for.
      this.failures++;
      console.error(
        `mbusgw: Cannot decode ${meter}: NO_KEY: the payload is encrypted: give --key ${t.id}=HEX`,
      );
      return true;
    }
    if (Object.keys(d.json).length > 0) {
      // wmbusmeters prints the reception time last, to the second.
      const timestamp = new Date(receivedAt).toISOString().replace(
        /\.\d+Z$/,
        "Z",
      );
      console.log(
        JSON.stringify({ ...d.json, timestamp: d.json.timestamp ?? timestamp }),
      );
    }
    if (!d.ok) {
      this.failures++;
      const code = d.error?.code ?? "FAILED";
      console.error(
        `mbusgw: Cannot decode ${meter}: ${code}: ${d.error?.message ?? ""}`,
      );
    }
    return true;
  }
}

function printerFor(
  values: Values,
  deduplicator: Deduplicator | null,
): TelegramPrinter {
  return new TelegramPrinter(
    new WmbusMeterDecoder({
      keys: parseKeys(values.key ?? []),
      driver: checkDriver(values.driver),
      name: values.name ?? "",
      deduplicator,
    }),
  );
}

async function decode(values: Values): Promise<number> {
  const hexes = values.hex ?? [];
  if (hexes.length === 0) {
    throw new UsageError("Missing --hex: give at least one telegram");
  }
  const telegrams = hexes.map((h, i) => {
    if (h.length > MAX_TELEGRAM_HEX_CHARS) {
      throw new UsageError(
        `Cannot parse --hex ${
          i + 1
        }: longer than ${MAX_TELEGRAM_HEX_CHARS} characters`,
      );
    }
    const r = parseHex(h.replace(/^telegram=/, "").replace(/[_|]/g, ""));
    if (!r.ok) {
      throw new UsageError(`Cannot parse --hex ${i + 1}: ${r.error.message}`);
    }
    if (r.value.length > MAX_TELEGRAM_BYTES) {
      throw new UsageError(
        `Cannot decode --hex ${
          i + 1
        }: ${r.value.length} bytes, a telegram has at most ${MAX_TELEGRAM_BYTES}`,
      );
    }
    return r.value;
  });
  const printer = printerFor(values, null);
  const now = Date.now();
  telegrams.forEach((t, i) => printer.print(t, `telegram ${i + 1}`, now));
  // A telegram that does not decode is bad input, as for `mbusgw decode`.
  return await Promise.resolve(printer.failures > 0 ? 2 : 0);
}

function parseHostPort(text: string): { host: string; port: number } {
  const at = text.lastIndexOf(":");
  const port = Number(text.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`Cannot use --tcp "${text}": expected HOST:PORT`);
  }
  return { host: text.slice(0, at), port };
}

function choice<T extends string>(
  option: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(
      `Cannot use --${option} "${value}": expected one of ${
        allowed.join(", ")
      }`,
    );
  }
  return value as T;
}

const BAUD_FOR: Record<ReceiverFormat, number> = {
  im871a: 57600,
  amb8465: 9600,
  rtlwmbus: 9600,
  hex: 9600,
};

async function listen(values: Values): Promise<number> {
  const sources = [
    values.serial,
    values.tcp,
    values.stdin ? "stdin" : undefined,
  ].filter((s) => s !== undefined);
  if (sources.length !== 1) {
    throw new UsageError(
      "Give exactly one of --serial PATH, --tcp HOST:PORT or --stdin",
    );
  }
  let format = choice("format", values.format, RECEIVER_FORMATS);
  const mode: LinkMode = choice("mode", values.mode, LINK_MODES) ?? "C1T1";
  const dedupMs = Number(values["dedup-ms"] ?? "10000");
  if (!Number.isInteger(dedupMs) || dedupMs < 0) {
    throw new UsageError(`Cannot use --dedup-ms "${values["dedup-ms"]}"`);
  }
  const count = values.count === undefined ? Infinity : Number(values.count);
  if (!(count === Infinity || (Number.isInteger(count) && count > 0))) {
    throw new UsageError(
      `Cannot use --count "${values.count}": expected a positive integer`,
    );
  }
  const clock = new RealClock();
  const printer = printerFor(
    values,
    dedupMs > 0 ? new Deduplicator({ clock, windowMs: dedupMs }) : null,
  );
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  Deno.addSignalListener("SIGINT", onSignal);
  let telegrams: AsyncIterable<ReceivedTelegram>;
  let receiver: WmbusReceiver | null = null;
  try {
    if (values.stdin) {
      const input = format
        ? { format, stream: Deno.stdin.readable }
        : await detectLineFormat(Deno.stdin.readable);
      telegrams = receiveFromStream(input.stream, {
        format: input.format,
        clock,
        signal: stop.signal,
      });
    } else {
      const tcp = values.tcp === undefined ? null : parseHostPort(values.tcp);
      const open = (baudRate: number): Promise<Transport> =>
        tcp
          ? TcpTransport.open(tcp.host, tcp.port)
          : SerialTransport.open(values.serial ?? "", {
            baudRate,
            parity: "none",
          });
      if (!format) {
        await using probe = await open(BAUD_FOR.im871a);
        const found = await detectReceiver(probe, {
          clock,
          signal: stop.signal,
        });
        console.error(`mbusgw: found ${found.description}`);
        format = found.format;
      }
      const baudRate = BAUD_FOR[format];
      receiver = new WmbusReceiver(() => open(baudRate), {
        format,
        mode,
        clock,
        signal: stop.signal,
        onEvent: (e) =>
          console.error(
            `mbusgw: receiver ${e.type}${"name" in e ? ` ${e.name}` : ""}`,
          ),
      });
      telegrams = receiver;
    }
    let seen = 0;
    for await (const t of telegrams) {
      const printed = printer.print(
        t.telegram,
        `telegram received at ${new Date(t.receivedAt).toISOString()}`,
        t.receivedAt,
      );
      if (printed && ++seen >= count) break;
    }
    return 0;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    await receiver?.close();
  }
}

/** The parsed option values. */
type Values = ReturnType<typeof parseArgs>["values"];

function parseArgs(args: string[]) {
  return parseCommandArgs(args, OPTIONS);
}

/**
 * The `wmbus` command.
 *
 * @param args Arguments after `wmbus`.
 * @returns Exit code: 0, or 2 when a telegram could not be decoded or an option is bad.
 */
export async function wmbusCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs(rest);
  if (sub === undefined || sub === "--help" || sub === "-h" || values.help) {
    console.log(HELP);
    return sub === undefined ? 2 : 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`Unexpected argument "${positionals[0]}"`);
  }
  if (sub === "decode") return await decode(values);
  if (sub === "listen") return await listen(values);
  throw new UsageError(
    `Unknown wmbus subcommand "${sub}": use decode or listen`,
  );
}
