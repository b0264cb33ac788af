// deno-lint-ignore-file no-console
/**
 * `mbusgw analyze --hex HEX [--key HEX] [--json]`: which layer and field each byte of a
 * wired frame or a wireless telegram belongs to, its meaning, and what was not
 * understood (the analyzer is `wmbus/analyze.ts`; the API serves the same JSON).
 *
 * @module
 */
import { parseCommandArgs, UsageError } from "./_command.ts";
import { parseHex } from "../util/mod.ts";
import {
  ANALYZE_MAX_BYTES,
  analyzeHex,
  type AnalyzeResult,
} from "../wmbus/mod.ts";

const HELP = `Usage: mbusgw analyze --hex HEX [--key HEX] [--json]

Explains a wired M-Bus frame or a wireless M-Bus telegram byte by byte: the layer and
field of each byte, its meaning, and what was not understood (marked "?"). Wired frames
start 68 L L 68, 10 or E5; anything else is read as a wireless telegram (with or without
its block CRCs).
  --hex TEXT     the bytes as hex (spaces allowed), at most ${ANALYZE_MAX_BYTES} bytes
  --key HEX      the meter's key (32 hex digits, AES; 16 for the DES modes 2 and 3),
                 to explain an encrypted payload
  --json         print the analysis as JSON

Exit 0 when every byte was understood, 1 when some were not, 2 for bad input.`;

/** Where the command writes; the default is the console. */
export interface AnalyzeOutput {
  /** Writes one line to stdout. */
  out(line: string): void;
}

const CONSOLE_OUTPUT: AnalyzeOutput = { out: (line) => console.log(line) };

/**
 * The analysis as text for people: one line per field.
 *
 * @param r The analysis.
 * @returns The lines.
 */
export function analysisText(r: AnalyzeResult): string[] {
  const lines = [`${r.kind}, ${r.length} bytes`];
  const hexWidth = Math.min(
    24,
    Math.max(4, ...r.spans.map((s) => s.hex.length)),
  );
  const fieldWidth = Math.max(5, ...r.spans.map((s) => s.field.length));
  for (const s of r.spans) {
    const hex = s.hex.length > hexWidth
      ? `${s.hex.slice(0, hexWidth - 1)}…`
      : s.hex.padEnd(hexWidth);
    lines.push(
      `${String(s.offset).padStart(4)}  ${hex}  ${s.layer.padEnd(4)}  ${
        s.field.padEnd(fieldWidth)
      }  ${s.understood ? "" : "? "}${s.meaning}`,
    );
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  lines.push(
    r.notUnderstood === 0
      ? "every byte understood"
      : `${r.notUnderstood} bytes not understood (marked ?)`,
  );
  return lines;
}

/**
 * The `analyze` subcommand.
 *
 * @param args Arguments after `analyze`.
 * @param output Where to print; default the console.
 * @returns 0 when every byte was understood, 1 when some were not.
 * @throws {UsageError} On bad options or input (exit 2).
 */
export function analyzeCommand(
  args: string[],
  output: AnalyzeOutput = CONSOLE_OUTPUT,
): Promise<number> {
  try {
    return Promise.resolve(analyze(args, output));
  } catch (e: unknown) {
    return Promise.reject(e);
  }
}

function analyze(args: string[], output: AnalyzeOutput): number {
  const { values, positionals } = parseCommandArgs(args, {
    hex: { type: "string" },
    key: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    output.out(HELP);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(
      `Cannot analyze: unexpected argument "${positionals[0]}" (use --hex)`,
    );
  }
  const hex = values.hex;
  if (hex === undefined) throw new UsageError("Cannot analyze: give --hex");
  const bytes = parseHex(hex);
  if (!bytes.ok) {
    throw new UsageError(`Cannot analyze --hex: ${bytes.error.message}`);
  }
  if (bytes.value.length === 0 || bytes.value.length > ANALYZE_MAX_BYTES) {
    throw new UsageError(
      `Cannot analyze --hex: expected 1 to ${ANALYZE_MAX_BYTES} bytes, got ${bytes.value.length}`,
    );
  }
  let key: Uint8Array | undefined;
  if (values.key !== undefined) {
    const k = parseHex(values.key);
    if (!k.ok || (k.value.length !== 16 && k.value.length !== 8)) {
      throw new UsageError(
        `Cannot use --key "${values.key}": expected 32 hex digits (AES) or 16 (DES)`,
      );
    }
    key = k.value;
  }
  const r = analyzeHex(hex, key === undefined ? {} : { key });
  if (values.json) output.out(JSON.stringify(r));
  else for (const line of analysisText(r)) output.out(line);
  return r.kind === "invalid" || r.notUnderstood > 0 ? 1 : 0;
}
