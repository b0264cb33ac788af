// deno-lint-ignore-file no-console
/**
 * The `mbusgw` command line. The only home of `console` and `Deno.exit` (with the files
 * beside it). Each subcommand lives in its own file and is listed in {@link COMMANDS}.
 *
 * @module
 */
import { type Command, UsageError } from "./_command.ts";
import { exitCodeOf } from "./exit_codes.ts";
import { wmbusCommand } from "./wmbus.ts";
import { readCommand } from "./read.ts";
import { scanCommand } from "./scan.ts";
import {
  pingCommand,
  resetCommand,
  setBaudRateCommand,
  setPrimaryCommand,
} from "./commands.ts";
import { decodeCommand } from "./decode.ts";
import { analyzeCommand } from "./analyze.ts";
import { runCommand } from "./run.ts";
import { simulateCommand } from "./simulate.ts";
import { simCommand } from "./sim.ts";
import { portsCommand } from "./ports.ts";

const VERSION = "0.1.0";

/** Subcommands by name. */
const COMMANDS: Record<string, Command> = {
  wmbus: wmbusCommand,
  decode: decodeCommand,
  analyze: analyzeCommand,
  run: runCommand,
  simulate: simulateCommand,
  sim: simCommand,
  read: readCommand,
  scan: scanCommand,
  "set-primary": setPrimaryCommand,
  "set-baudrate": setBaudRateCommand,
  ping: pingCommand,
  reset: resetCommand,
  ports: portsCommand,
};

/** One line per subcommand for the overview. */
const SUMMARIES: Record<string, string> = {
  analyze: "explain a wired frame or wireless telegram byte by byte",
  decode: "decode one wired frame to JSON",
  ping: "SND_NKE (or a selection) to one meter",
  ports: "list the serial interfaces with their stable names",
  read: "read one meter (multi-telegram merged)",
  reset: "application reset of one meter",
  run: "run the gateway instances of a config file and the HTTP API",
  scan: "find the meters on a bus (primary or secondary)",
  "set-baudrate": "switch a meter's baud rate, verified",
  "set-primary": "set a meter's primary address, verified",
  sim: "serve a virtual bus over TCP or a pseudo-terminal",
  simulate: "the demo: simulator, gateway and HTTP API (also --simulate)",
  wmbus: "decode wireless telegrams, or listen to a dongle or stream",
};

const HELP =
  `mbusgw ${VERSION} — M-Bus gateway, master, wireless decoder and simulator

Usage: mbusgw <command> [options]

Commands:
${
    Object.keys(COMMANDS).sort().map((c) =>
      `  ${c.padEnd(14)}${SUMMARIES[c] ?? ""}`.trimEnd()
    ).join("\n")
  }

Run "mbusgw <command> --help" for the options of a command.`;

/**
 * Runs the CLI.
 *
 * @param args Command-line arguments.
 * @returns The exit code.
 */
export async function main(args: string[]): Promise<number> {
  const [first, ...rest] = args;
  if (
    first === undefined || first === "--help" || first === "-h" ||
    first === "help"
  ) {
    console.log(HELP);
    return first === undefined ? 2 : 0;
  }
  if (first === "--version" || first === "-V") {
    console.log(VERSION);
    return 0;
  }
  const name = first === "--simulate" ? "simulate" : first;
  const command = COMMANDS[name];
  try {
    if (!command) {
      throw new UsageError(`Unknown command "${first}": run "mbusgw --help"`);
    }
    return await command(first === "--simulate" ? rest : rest);
  } catch (e) {
    console.error(`mbusgw: ${e instanceof Error ? e.message : String(e)}`);
    return exitCodeOf(e);
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
