import assert from "node:assert/strict";
import {
  createSimulation,
  startPtyEndpoint,
  startTcpEndpoint,
} from "../../sim/mod.ts";
import { type CliRun, runCliInProcess, spawnCli } from "../_helpers/cli.ts";

type Run = CliRun;

/** Runs the real binary entry point in a subprocess. */
function spawn(...args: string[]): Promise<Run> {
  return spawnCli(args, { typeCheck: false });
}

/** Runs `main()` in process, collecting what it prints (fast; the CLI's own code path). */
function cli(...args: string[]): Promise<Run> {
  return runCliInProcess(args);
}

const BAD_INPUT: [string, string[], RegExp][] = [
  [
    "an address out of range",
    ["read", "--tcp", "HOST", "--address", "300"],
    /primary address 300/,
  ],
  [
    "a malformed address",
    ["read", "--tcp", "HOST", "--address", "12x"],
    /meter address "12x"/,
  ],
  ["a malformed mask", [
    "scan",
    "secondary",
    "--tcp",
    "HOST",
    "--mask",
    "12345678FFFFFFF",
  ], /secondary mask/],
  ["no endpoint", ["read", "--address", "5"], /exactly one of --tcp/],
  ["both endpoints", [
    "ping",
    "--tcp",
    "HOST",
    "--serial",
    "/dev/x",
    "--address",
    "5",
  ], /exactly one of --tcp/],
  ["a bad baud rate", [
    "read",
    "--tcp",
    "HOST",
    "--baud",
    "1234",
    "--address",
    "5",
  ], /--baud 1234/],
  ["a missing port path", [
    "read",
    "--serial",
    "/dev/does-not-exist-mbusgw",
    "--address",
    "5",
  ], /does-not-exist-mbusgw/],
  [
    "an unreachable host",
    ["read", "--tcp", "127.0.0.1:1", "--address", "5"],
    /127\.0\.0\.1:1/,
  ],
  ["set-primary without --yes", [
    "set-primary",
    "--tcp",
    "HOST",
    "--address",
    "5",
    "--new",
    "6",
  ], /--yes/],
  ["set-baudrate to a bad rate", [
    "set-baudrate",
    "--tcp",
    "HOST",
    "--address",
    "5",
    "--rate",
    "1000",
    "--yes",
  ], /--rate 1000/],
  ["a scan without a kind", ["scan", "--tcp", "HOST"], /scan primary/],
  ["a reversed range", [
    "scan",
    "primary",
    "--tcp",
    "HOST",
    "--from",
    "9",
    "--to",
    "3",
  ], /from 9 to 3/],
];

Deno.test("mbusgw master commands exit 2 with one clear line on bad input", async () => {
  // A listening port proves that nothing reaches the bus: no connection is accepted.
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const host = `127.0.0.1:${listener.addr.port}`;
  let accepted = 0;
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        accepted++;
        conn.close();
      }
    } catch {
      // closed
    }
  })();
  const results: Run[] = [];
  for (const [, args] of BAD_INPUT) {
    results.push(await cli(...args.map((a) => a === "HOST" ? host : a)));
  }
  BAD_INPUT.forEach(([name, , pattern], i) => {
    const r = results[i];
    assert.ok(r);
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, pattern, name);
    assert.match(r.stderr, /^mbusgw: /, name);
    assert.equal(r.stderr.trim().split("\n").length, 1, name);
  });
  assert.equal(accepted, 0);
  listener.close();
  await accepting;
});

Deno.test("mbusgw read --help and scan --help print usage and exit 0", async () => {
  const commands = [
    "read",
    "scan",
    "set-primary",
    "set-baudrate",
    "ping",
    "reset",
  ];
  const results: Run[] = [];
  for (const c of commands) results.push(await cli(c, "--help"));
  results.forEach((r, i) => {
    assert.equal(r.code, 0, commands[i]);
    assert.match(r.stdout, /Usage: mbusgw/, commands[i]);
  });
});

Deno.test("mbusgw read, scan, ping, set-primary and set-baudrate against the simulator over TCP", async () => {
  await using endpoint = startTcpEndpoint(createSimulation("hex_id"), {
    port: 0,
    followBaudSwitch: true,
  });
  const tcp = ["--tcp", `${endpoint.host}:${endpoint.port}`];
  // The endpoint serves one client at a time, like a converter; each command connects
  // right after the previous one hung up, with no pause (the endpoint waits for the
  // previous client's close to be seen).
  const served = async (args: string[]): Promise<Run> => {
    const before = endpoint.clientsServed;
    const r = await cli(...args);
    assert.equal(endpoint.clientsServed, before + 1, args.join(" "));
    return r;
  };

  const read = await served(["read", ...tcp, "--address", "2"]);
  assert.equal(read.code, 0, read.stderr);
  const json = JSON.parse(read.stdout);
  assert.equal(json.header.manufacturer, "GWF");
  assert.equal(json.frames, 1);
  assert.equal(json.partial, false);
  assert.equal(json.frame.a, 2);
  assert.equal(json.frame.type, "long");
  assert.equal(typeof json.records[0].quantity, "string");
  assert.ok(Array.isArray(json.records) && json.records.length > 0);
  assert.equal(json.moreRecordsFollow, false);

  const primary = await served([
    "scan",
    "primary",
    ...tcp,
    "--from",
    "0",
    "--to",
    "3",
    "--timeout",
    "100",
    "--json",
  ]);
  assert.equal(primary.code, 0, primary.stderr);
  const meters = JSON.parse(primary.stdout);
  assert.deepEqual(meters.map((m: { primary: number }) => m.primary), [1, 2]);
  assert.equal(meters[0].secondary.length, 16);

  const secondary = await served([
    "scan",
    "secondary",
    ...tcp,
    "--timeout",
    "80",
    "--json",
  ]);
  assert.equal(secondary.code, 0, secondary.stderr);
  const found = JSON.parse(secondary.stdout);
  assert.equal(found.length, 2);
  assert.ok(
    found.every((m: { secondary: string }) => m.secondary.length === 16),
  );

  const text = await served([
    "scan",
    "secondary",
    ...tcp,
    "--timeout",
    "80",
    "--mask",
    "FFFFFFFDFFFFFFFF",
  ]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /secondary 9A0B12CD/);

  assert.equal((await served(["ping", ...tcp, "--address", "1"])).code, 0);
  assert.equal(
    (await served(["ping", ...tcp, "--address", "3", "--timeout", "100"])).code,
    1,
  );

  const set = await served([
    "set-primary",
    ...tcp,
    "--address",
    "2",
    "--new",
    "7",
    "--yes",
  ]);
  assert.equal(set.code, 0, set.stderr);
  const moved = await served(["read", ...tcp, "--address", "7"]);
  assert.equal(moved.code, 0, moved.stderr);

  const baud = await served([
    "set-baudrate",
    ...tcp,
    "--address",
    "1",
    "--rate",
    "9600",
    "--yes",
  ]);
  assert.equal(baud.code, 0, baud.stderr);
  assert.match(baud.stdout, /9600 Bd/);
});

Deno.test("mbusgw (the binary) exits 2 with one line on a bad address", async () => {
  const r = await spawn("read", "--tcp", "127.0.0.1:9", "--address", "300");
  assert.equal(r.code, 2);
  assert.equal(
    r.stderr.trim(),
    "mbusgw: Cannot use primary address 300: expected 0 to 250",
  );
  assert.equal(r.stdout, "");
});

Deno.test("mbusgw read over a serial port (the simulator's pseudo-terminal)", async () => {
  await using endpoint = startPtyEndpoint(createSimulation("hex_id"));
  const r = await cli("read", "--serial", endpoint.path, "--address", "1");
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.equal(json.header.id, "9A0B12CD");
  assert.equal(json.partial, false);
});
