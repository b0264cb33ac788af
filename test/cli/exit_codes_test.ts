import assert from "node:assert/strict";
import { EXIT_CODE, exitCodeOf } from "../../src/cli/exit_codes.ts";
import { UsageError } from "../../src/cli/_command.ts";
import {
  BadAnswerError,
  CollisionError,
  NoResponseError,
} from "../../src/master/mod.ts";
import {
  AddressError,
  ConfigError,
  forwardDecodeCode,
  MbusError,
  TransportError,
} from "../../src/util/mod.ts";

/** The rule main() applied before the table: by class name and one code. */
function exitCodeBefore(e: unknown): number {
  if (e instanceof MbusError) {
    return e instanceof UsageError || e.code === "INVALID_CONFIG" ||
        e.name === "AddressError" || e.name === "TransportError"
      ? 2
      : 1;
  }
  return 1;
}

const THROWN: unknown[] = [
  new UsageError("Missing --address"),
  new ConfigError("gateways[0].polling", "Invalid polling"),
  new AddressError("BAD_ADDRESS", "x", "Bad address"),
  new AddressError("BAD_MASK", "x", "Bad mask"),
  new AddressError("BAD_PATH", "x", "Bad path"),
  ...([
    "PORT_NOT_FOUND",
    "PORT_BUSY",
    "PERMISSION_DENIED",
    "NOT_A_TTY",
  ] as const)
    .map((c) => new TransportError(c, c)),
  ...(["CONNECT_FAILED", "CLOSED", "IO"] as const).map((c) =>
    new TransportError(c, c)
  ),
  new NoResponseError("5", 3),
  new CollisionError("5"),
  new BadAnswerError("5", "short frame"),
  new MbusError("BUS_BUSY", "Busy"),
  new MbusError("ABORTED", "Cancelled"),
  new MbusError("DEADLOCK", "Nothing to run"),
  new MbusError("NOT_FOUND", "No such meter"),
  new MbusError("ADDRESS_IN_USE", "Taken"),
  new MbusError("UNKNOWN_RECEIVER", "Which dongle?"),
  new MbusError(forwardDecodeCode("WRONG_KEY"), "Wrong key"),
  new Error("plain"),
  "a string",
];

Deno.test("exitCodeOf() gives every error the exit code main() gave it by class name", () => {
  for (const e of THROWN) {
    assert.equal(exitCodeOf(e), exitCodeBefore(e), String(e));
  }
  assert.deepEqual(
    THROWN.map((e) => exitCodeOf(e)),
    [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  );
});

Deno.test("EXIT_CODE: 2 only for usage, config, address and transport codes", () => {
  const two = Object.entries(EXIT_CODE).filter(([, v]) => v === 2).map((
    [k],
  ) => k).sort();
  assert.deepEqual(two, [
    "BAD_ADDRESS",
    "BAD_MASK",
    "BAD_PATH",
    "CLOSED",
    "CONNECT_FAILED",
    "INVALID_CONFIG",
    "IO",
    "NOT_A_TTY",
    "PERMISSION_DENIED",
    "PORT_BUSY",
    "PORT_NOT_FOUND",
    "USAGE",
  ]);
});

async function mbusgw(args: string[]): Promise<{ code: number; err: string }> {
  const main = new URL("../../src/cli/main.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", main, ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code: out.code, err: new TextDecoder().decode(out.stderr) };
}

Deno.test("mbusgw exits 2 with one line on an unknown command and on a bad address", async () => {
  const unknown = await mbusgw(["no-such-command"]);
  assert.equal(unknown.code, 2);
  assert.match(
    unknown.err,
    /^mbusgw: Unknown command "no-such-command"[^\n]*\n$/,
  );
  const bad = await mbusgw(["read", "--tcp", "127.0.0.1:1", "--address", "x"]);
  assert.equal(bad.code, 2, bad.err);
  assert.match(bad.err, /^mbusgw: Cannot parse meter address "x"[^\n]*\n$/);
});
