// deno-lint-ignore-file no-console
/**
 * `mbusgw decode --hex "68 …" | FILE`: decodes one wired M-Bus frame (link layer, then the
 * EN 13757-3 application layer) and prints it as JSON.
 *
 * @module
 */
import { parseCommandArgs, UsageError } from "./_command.ts";
import { byteHex, parseHex } from "../util/mod.ts";
import { decodeFrame, type Frame } from "../link/mod.ts";
import { CI, decodeUserData, variableHeaderLength } from "../app/mod.ts";
import { telegramJson } from "./_telegram_json.ts";
import { MAX_DECODE_INPUT_BYTES, readBoundedInput } from "./_read_input.ts";

const HELP =
  `Usage: mbusgw decode [--hex "68 ..."] [FILE] [--no-unit-factor] [--pretty]

Decodes one wired M-Bus frame and prints it as JSON.
  --hex TEXT          the frame as hex (spaces allowed)
  FILE                a file with the frame as hex text (or raw bytes); - reads stdin
                      (input over 64 KiB is refused)
  --no-unit-factor    print raw values (no VIF unit factor)
  --pretty            indent the JSON`;

/** Where the command writes; the default is the console. */
export interface DecodeOutput {
  /** Writes one line to stdout. */
  out(line: string): void;
  /** Writes one line to stderr. */
  err(line: string): void;
}

const CONSOLE_OUTPUT: DecodeOutput = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** Offset of the first user data byte (after CI) in a long frame. */
const USER_DATA_OFFSET = 7;

function frameJson(frame: Frame): Record<string, unknown> {
  switch (frame.type) {
    case "ack":
      return { type: "ack" };
    case "short":
      return { type: "short", c: frame.c, a: frame.a, checksumOk: true };
    default:
      return {
        type: frame.type,
        c: frame.c,
        a: frame.a,
        ci: frame.ci,
        checksumOk: true,
      };
  }
}

async function readInput(
  hex: string | undefined,
  file: string | undefined,
): Promise<Uint8Array> {
  if (hex !== undefined && file !== undefined) {
    throw new UsageError(
      "Cannot decode: give either --hex or a FILE, not both",
    );
  }
  let text = hex;
  if (text === undefined) {
    if (file === undefined) {
      throw new UsageError("Cannot decode: give --hex TEXT or a FILE");
    }
    const bytes = await readBoundedInput(file, MAX_DECODE_INPUT_BYTES);
    const asText = new TextDecoder().decode(bytes);
    const parsed = parseHex(asText);
    if (parsed.ok) return parsed.value;
    if (
      bytes.length > 0 &&
      (bytes[0] === 0x68 || bytes[0] === 0x10 || bytes[0] === 0xe5)
    ) {
      return bytes;
    }
    text = asText;
  }
  if (text.length > MAX_DECODE_INPUT_BYTES) {
    throw new UsageError(
      `Cannot decode --hex: longer than ${MAX_DECODE_INPUT_BYTES} characters (the input limit)`,
    );
  }
  const parsed = parseHex(text);
  if (!parsed.ok) {
    throw new UsageError(
      `${parsed.error.message} (${parsed.error.code} at character ${parsed.error.offset})`,
    );
  }
  return parsed.value;
}

/**
 * The `decode` subcommand.
 *
 * @param args Arguments after `decode`.
 * @param output Where to print (tests pass their own); default the console.
 * @returns 0 when decoded; 2 for bad input (after printing what was decoded, if anything).
 * @throws {UsageError} On bad options, unreadable input or an undecodable frame (exit 2).
 */
export async function decodeCommand(
  args: string[],
  output: DecodeOutput = CONSOLE_OUTPUT,
): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    hex: { type: "string" },
    "no-unit-factor": { type: "boolean" },
    pretty: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    output.out(HELP);
    return 0;
  }
  if (positionals.length > 1) {
    throw new UsageError("Cannot decode: more than one FILE given");
  }
  const bytes = await readInput(values.hex, positionals[0]);
  const frame = decodeFrame(bytes);
  if (!frame.ok) {
    const e = frame.error;
    throw new UsageError(`${e.message} (${e.code} at byte ${e.offset})`);
  }
  const f = frame.value;
  const json: Record<string, unknown> = { frame: frameJson(f) };
  // A control frame (no data) carries a command (reset, baud switch, …) unless its CI
  // is one that reports (an empty telegram, an application error): print the frame only.
  const hasUserData = f.type === "long" ||
    (f.type === "control" &&
      (variableHeaderLength(f.ci) >= 0 || f.ci === CI.APPLICATION_ERROR));
  if (f.type !== "ack" && f.type !== "short" && hasUserData) {
    const data = f.type === "long" ? f.data : new Uint8Array(0);
    const r = decodeUserData(f.ci, data, {
      applyUnitFactor: !values["no-unit-factor"],
    });
    if (!r.ok) {
      const at = USER_DATA_OFFSET + r.error.offset;
      throw new UsageError(
        `${r.error.message} (${r.error.code} at byte ${at})`,
      );
    }
    Object.assign(json, telegramJson(r.value));
    const err = r.value.error;
    if (err && r.value.applicationError === null) {
      const at = USER_DATA_OFFSET + err.offset;
      json.error = { code: err.code, offset: at, message: err.message };
      output.out(JSON.stringify(json, null, values.pretty ? 2 : undefined));
      output.err(
        `mbusgw: ${err.message} (${err.code} at byte ${at}, CI 0x${
          byteHex(f.ci)
        })`,
      );
      return 2;
    }
  }
  output.out(JSON.stringify(json, null, values.pretty ? 2 : undefined));
  return 0;
}
