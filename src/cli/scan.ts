// deno-lint-ignore-file no-console
/**
 * `mbusgw scan primary|secondary`: find the meters on a bus, with a progress bar on stderr
 * when it is a terminal, and `--json` for an array of the meters found.
 *
 * @module
 */
import { parseCommandArgs, UsageError } from "./_command.ts";
import {
  BUS_HELP,
  BUS_OPTIONS,
  intOption,
  parseBusSettings,
  withMaster,
} from "./read.ts";
import {
  type FoundMeter,
  parseSecondaryMask,
  type ScanProgress,
} from "../master/mod.ts";

const HELP =
  `Usage: mbusgw scan primary (--tcp HOST:PORT | --serial PATH) [--from 0 --to 250] [--json]
       mbusgw scan secondary (--tcp HOST:PORT | --serial PATH) [--mask M] [--json]

Finds the meters on the bus. A secondary mask has 16 hex digits (ID, manufacturer in
wire order, version, medium); F is a wildcard, e.g. 12345678FFFFFFFF.

  --json               print an array of the meters found
  --no-resolve         primary scan: do not identify meters sharing an address (that
                       takes a secondary scan of the whole bus)
${BUS_HELP}`;

/**
 * Formats a found meter as one line of text.
 *
 * @param m The meter.
 * @returns E.g. `primary 5  secondary 12345678C5140007  EFE v0 medium 0x07`.
 */
export function formatFoundMeter(m: FoundMeter): string {
  const parts = [
    m.primary === undefined ? "primary ?" : `primary ${m.primary}`,
    `secondary ${m.secondary ?? "?"}`,
  ];
  if (m.manufacturer !== undefined) {
    parts.push(
      `${m.manufacturer || "?"} v${m.version ?? "?"} medium 0x${
        (m.medium ?? 0).toString(16).padStart(2, "0")
      }`,
    );
  }
  if (m.collision) parts.push("COLLISION (several meters)");
  return parts.join("  ");
}

function progressBar(): ((p: ScanProgress) => void) | undefined {
  if (!Deno.stderr.isTerminal()) return undefined;
  const enc = new TextEncoder();
  return (p) => {
    const width = 30;
    const line = p.total
      ? `[${
        "#".repeat(Math.round(width * p.done / p.total)).padEnd(width, ".")
      }] ${p.done}/${p.total}`
      : `${p.done} probes`;
    Deno.stderr.writeSync(
      enc.encode(`\r${line}  found ${p.found}  ${p.current}   `),
    );
  };
}

/**
 * `mbusgw scan`.
 *
 * @param args Arguments after `scan`.
 * @returns The exit code.
 */
export async function scanCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...BUS_OPTIONS,
    from: { type: "string" },
    to: { type: "string" },
    mask: { type: "string" },
    json: { type: "boolean" },
    "no-resolve": { type: "boolean" },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const kind = positionals[0];
  if ((kind !== "primary" && kind !== "secondary") || positionals.length > 1) {
    throw new UsageError(
      'Cannot scan: expected "scan primary" or "scan secondary"',
    );
  }
  const from = intOption("from", values.from, 250) ?? 0;
  const to = intOption("to", values.to, 250) ?? 250;
  if (from > to) {
    throw new UsageError(`Cannot scan from ${from} to ${to}: empty range`);
  }
  if (kind === "primary" && values.mask !== undefined) {
    throw new UsageError("Cannot use --mask with a primary scan");
  }
  if (kind === "secondary" && (values.from ?? values.to) !== undefined) {
    throw new UsageError("Cannot use --from/--to with a secondary scan");
  }
  const mask = values.mask === undefined
    ? undefined
    : parseSecondaryMask(values.mask);
  const settings = parseBusSettings(values);
  const onProgress = progressBar();
  const controller = new AbortController();
  const onSignal = () => controller.abort(new UsageError("Scan interrupted"));
  Deno.addSignalListener("SIGINT", onSignal);
  let meters: FoundMeter[];
  try {
    meters = await withMaster(
      settings,
      (master) =>
        kind === "primary"
          ? master.scanPrimary({
            from,
            to,
            resolveCollisions: !values["no-resolve"],
            signal: controller.signal,
            ...(onProgress ? { onProgress } : {}),
          })
          : master.scanSecondary({
            ...(mask ? { mask } : {}),
            signal: controller.signal,
            ...(onProgress ? { onProgress } : {}),
          }),
    );
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    // Clear the progress line.
    if (onProgress) {
      Deno.stderr.writeSync(new TextEncoder().encode("\r\x1b[2K"));
    }
  }
  if (values.json) console.log(JSON.stringify(meters, null, 2));
  else if (meters.length === 0) console.log("No meters found");
  else for (const m of meters) console.log(formatFoundMeter(m));
  return 0;
}
