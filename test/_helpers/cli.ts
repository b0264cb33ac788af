// deno-lint-ignore-file no-console
/**
 * Runs the `mbusgw` command line from tests: in process through `main()` (fast, the CLI's
 * own code path, console output captured) or as a subprocess (the real binary entry
 * point: exit code and streams as a shell sees them).
 *
 * @module
 */
import { main } from "../../src/cli/main.ts";

/** What one run of the command line produced. */
export interface CliRun {
  /** Exit code. */
  code: number;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
}

/** Path of the CLI entry point, for `deno run`. */
export const MAIN_PATH = new URL("../../src/cli/main.ts", import.meta.url)
  .pathname;

/**
 * Runs `main(args)` in process, collecting what it prints. Tests that use it must not run
 * concurrently inside one file (the console is swapped for the duration).
 *
 * @param args The command line after `mbusgw`.
 * @returns Exit code and output.
 */
export async function runCliInProcess(args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    const code = await main(args);
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

/** Options of {@link spawnCli}. */
export interface SpawnCliOptions {
  /** Text written to the child's stdin (then closed). @default no stdin */
  stdin?: string;
  /** Type-check the entry point before running it. @default true */
  typeCheck?: boolean;
}

/**
 * Runs the CLI in a subprocess (`deno run -A main.ts …`).
 *
 * @param args The command line after `mbusgw`.
 * @param options Stdin and type checking.
 * @returns Exit code and output.
 */
export async function spawnCli(
  args: string[],
  options: SpawnCliOptions = {},
): Promise<CliRun> {
  const flags = options.typeCheck === false ? ["--no-check"] : [];
  const hasStdin = options.stdin !== undefined;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...flags, MAIN_PATH, ...args],
    stdin: hasStdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (hasStdin) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  const text = new TextDecoder();
  return {
    code: out.code,
    stdout: text.decode(out.stdout),
    stderr: text.decode(out.stderr),
  };
}
