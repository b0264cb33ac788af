import assert from "node:assert/strict";

const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;

async function cli(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
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
  const results = await Promise.all(
    BAD_INPUT.map(([, args]) =>
      cli(...args.map((a) => a === "HOST" ? host : a))
    ),
  );
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
  for (
    const cmd of [
      "read",
      "scan",
      "set-primary",
      "set-baudrate",
      "ping",
      "reset",
    ]
  ) {
    const r = await cli(cmd, "--help");
    assert.equal(r.code, 0, cmd);
    assert.match(r.stdout, /Usage: mbusgw/, cmd);
  }
});
