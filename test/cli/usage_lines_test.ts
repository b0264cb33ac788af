import assert from "node:assert/strict";
import { runCliInProcess } from "../_helpers/cli.ts";
import { freePort } from "../_helpers/net.ts";
import { createSimulation, startTcpEndpoint } from "../../sim/mod.ts";

// What a new user sees on a typo or a converter that is not there: one line that names
// the problem, exit 2, and nothing that does not apply to a one-shot command.

Deno.test("mbusgw: an unknown option is one line naming it, without node's advice on '--'", async () => {
  for (const args of [["ports", "--bogus"], ["decode", "-x"]]) {
    const r = await runCliInProcess(args);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      `mbusgw: Unknown option '${args[1]}'`,
      `for ${args.join(" ")}`,
    );
  }
});

Deno.test("mbusgw read --tcp to a closed port: one line, exit 2, no 'next attempt' (nothing retries)", async () => {
  const port = freePort();
  const r = await runCliInProcess([
    "read",
    "--tcp",
    `127.0.0.1:${port}`,
    "--address",
    "1",
  ]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.equal(
    r.stderr,
    `mbusgw: Cannot connect to 127.0.0.1:${port}: connection refused`,
  );
});

Deno.test("mbusgw --help names every command with one line saying what it does", async () => {
  const r = await runCliInProcess(["--help"]);
  assert.equal(r.code, 0);
  const block = r.stdout.split("Commands:\n")[1]?.split("\n\n")[0] ?? "";
  const rows = block.split("\n").map((l) => l.trim().split(/\s{2,}/));
  const names = rows.map((r) => r[0]);
  for (
    const c of ["analyze", "decode", "read", "run", "scan", "sim", "wmbus"]
  ) assert.ok(names.includes(c), `${c} listed`);
  for (const [name, what] of rows) {
    assert.ok((what ?? "").length > 10, `${name} has a description`);
  }
});

Deno.test("mbusgw: an option without its value is named as missing", async () => {
  const cases: [string[], string][] = [
    [["decode", "--hex"], "mbusgw: Missing the value of --hex"],
    [["run", "-c"], "mbusgw: Missing the value of --config"],
    [
      ["read", "--tcp", "--address", "1"],
      'mbusgw: Missing the value of --tcp (a value that starts with "-": --tcp=VALUE)',
    ],
  ];
  for (const [args, line] of cases) {
    const r = await runCliInProcess(args);
    assert.equal(r.code, 2, args.join(" "));
    assert.equal(r.stderr, line);
  }
});

Deno.test("mbusgw set-baudrate over a converter that stays at its rate: says the meter may have switched and what to do", async () => {
  // The simulated converter keeps 2400 Bd on its bus side, as a TCP converter does.
  await using endpoint = startTcpEndpoint(createSimulation("demo"), {
    port: 0,
  });
  const r = await runCliInProcess([
    "set-baudrate",
    "--tcp",
    `${endpoint.host}:${endpoint.port}`,
    "--address",
    "5",
    "--rate",
    "9600",
    "--yes",
  ]);
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    "mbusgw: Meter 5 acknowledged the switch but did not answer at 9600 Bd: it may now talk at 9600 Bd only (set the converter's serial side to 9600 Bd, or switch it back from there)",
  );
});
