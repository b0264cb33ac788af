/**
 * What every subcommand shares: the command signature and the usage error that makes the
 * CLI print one line and exit 2.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { type CliErrorCode, MbusError } from "../util/mod.ts";

/** A subcommand: takes its own arguments, returns the exit code. */
export type Command = (args: string[]) => Promise<number>;

/** Bad command-line usage: printed as one line, exit code 2. */
export class UsageError extends MbusError {
  declare readonly code: CliErrorCode;

  /** @param message One line naming what is wrong. */
  constructor(message: string) {
    super("USAGE", message);
    this.name = "UsageError";
  }
}

/**
 * `node:util` parseArgs with strict checking, turning its errors into {@link UsageError}.
 *
 * @param args The arguments after the subcommand.
 * @param options The parseArgs option table.
 * @returns The parsed values and positionals.
 */
export function parseCommandArgs<
  T extends NonNullable<ParseArgsConfig["options"]>,
>(
  args: string[],
  options: T,
): ReturnType<
  typeof parseArgs<
    { args: string[]; options: T; allowPositionals: true; strict: true }
  >
> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    // node's advice on positionals after "--" does not apply here: the option alone.
    const line = e instanceof Error
      ? e.message.split("\n")[0] ?? ""
      : String(e);
    // "Option '-c, --config <value>' argument missing" or "… is ambiguous" (the next word
    // is an option): the value is missing.
    const missing =
      /^Option '(?:-\w, )?(--[\w-]+)[^']*' argument (missing|is ambiguous)/
        .exec(line);
    throw new UsageError(
      missing
        ? `Missing the value of ${missing[1]}${
          missing[2] === "missing"
            ? ""
            : ` (a value that starts with "-": ${missing[1]}=VALUE)`
        }`
        : line.replace(/\. To specify a positional argument.*$/, ""),
    );
  }
}
