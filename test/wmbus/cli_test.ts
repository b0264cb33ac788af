import assert from "node:assert/strict";
import { fromHex } from "../../src/util/mod.ts";
import {
  encodeAmberIndication,
  encodeHciMessage,
} from "../../src/wmbus/mod.ts";
import { openPty } from "../../src/transport/mod.ts";
import { type CliRun, runCliInProcess, spawnCli } from "../_helpers/cli.ts";

const KAMSTRUP =
  "2A442D2C998734761B168D2091D37CAC21E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24";
const KEY = "28F64A24988064A079AA2C807D6102AE";

function run(args: string[], stdin = ""): Promise<CliRun> {
  return spawnCli(["wmbus", ...args], { stdin });
}

/** Runs the CLI in process, capturing console output (tests in a file run one at a time). */
function runInProcess(args: string[]): Promise<CliRun> {
  return runCliInProcess(["wmbus", ...args]);
}

Deno.test("mbusgw wmbus decode prints one JSON line per telegram with the key", async () => {
  const r = await runInProcess([
    "decode",
    "--hex",
    KAMSTRUP,
    "--hex",
    KAMSTRUP,
    "--key",
    KEY,
    "--driver",
    "multical21",
    "--name",
    "Tap",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  assert.equal(lines[0].id, "76348799");
  assert.equal(lines[0].name, "Tap");
  assert.equal(lines[0].total_m3, 6.408);
  assert.match(lines[0].timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

Deno.test("mbusgw wmbus decode rejects a bad key and an unknown driver with exit 2", async () => {
  const bad = await runInProcess(["decode", "--hex", KAMSTRUP, "--key", "12"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^mbusgw: Cannot use key "12"/);
  assert.equal(bad.stderr.trim().split("\n").length, 1);
  const driver = await runInProcess([
    "decode",
    "--hex",
    KAMSTRUP,
    "--driver",
    "nosuch",
  ]);
  assert.equal(driver.code, 2);
  assert.match(driver.stderr, /^mbusgw: Unknown driver "nosuch"/);
  assert.equal(driver.stderr.trim().split("\n").length, 1);
  // The reference's names and mbusgw's own drivers are told apart.
  const m =
    /wmbusmeters driver name \(([^)]*)\) or one of mbusgw's own drivers, which wmbusmeters does not have \(([^)]*)\)/
      .exec(driver.stderr);
  assert.ok(m, driver.stderr);
  const reference = (m[1] ?? "").split(", ");
  const own = (m[2] ?? "").split(", ");
  for (const name of ["multical21", "izar", "hydrus", "engelmann_faw"]) {
    assert.ok(reference.includes(name) && !own.includes(name), name);
  }
  for (
    const name of [
      "mbusgw_hydrus_r4",
      "hydrus_r4",
      "mbusgw_engelmann_faw_ri",
      "generic",
      "metronahca",
    ]
  ) {
    assert.ok(own.includes(name) && !reference.includes(name), name);
  }
});

Deno.test("mbusgw wmbus decode reports a wrong key as a failed telegram (exit 2, as decode)", async () => {
  const r = await runInProcess([
    "decode",
    "--hex",
    KAMSTRUP,
    "--key",
    "00".repeat(16),
  ]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /WRONG_KEY/);
});

Deno.test("mbusgw wmbus decode prints no JSON for an encrypted telegram without a key: one NO_KEY line naming the meter, exit 2", async () => {
  const r = await runInProcess(["decode", "--hex", KAMSTRUP]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout.trim(), "");
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /NO_KEY: .*give --key 76348799=HEX/);
});

Deno.test("mbusgw wmbus listen --stdin decodes hex lines and drops repeats", async () => {
  const r = await run(
    ["listen", "--stdin", "--key", `76348799=${KEY}`],
    `${KAMSTRUP}\n${KAMSTRUP}\n`,
  );
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines.length, 1);
  assert.equal(JSON.parse(lines[0] ?? "{}").total_m3, 6.408);
});

Deno.test("mbusgw wmbus listen --tcp reads an iM871A over TCP and stops after --count", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const telegram = fromHex(KAMSTRUP);
  const frame = encodeHciMessage({
    endpoint: 2,
    messageId: 3,
    payload: telegram.subarray(1),
  }, {
    rssi: 0x60,
  });
  const server = (async () => {
    const conn = await listener.accept();
    const setup = new Uint8Array(10);
    await conn.read(setup);
    await conn.write(new Uint8Array([...frame, ...frame, ...frame]));
    return { conn, setup };
  })();
  const r = await runInProcess([
    "listen",
    "--tcp",
    `127.0.0.1:${listener.addr.port}`,
    "--format",
    "im871a",
    "--mode",
    "C1",
    "--dedup-ms",
    "0",
    "--count",
    "2",
    "--key",
    KEY,
  ]);
  const { conn, setup } = await server;
  conn.close();
  assert.equal(r.code, 0, r.stderr);
  assert.equal(setup[6], 7, "C1 link mode requested");
  const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  assert.equal(lines[1].total_m3, 6.408);
});

Deno.test("mbusgw wmbus listen --serial talks to an AMB8465 on a pseudo-terminal", async () => {
  await using pty = openPty();
  const listening = runInProcess([
    "listen",
    "--serial",
    pty.slavePath,
    "--format",
    "amb8465",
    "--mode",
    "T1",
    "--count",
    "1",
    "--key",
    KEY,
  ]);
  let setup = new Uint8Array(0);
  for (let i = 0; i < 50 && setup.length < 5; i++) {
    const got = await pty.read(16, 100);
    setup = new Uint8Array([...setup, ...got]);
  }
  await pty.write(encodeAmberIndication(fromHex(KAMSTRUP)));
  const r = await listening;
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(Array.from(setup), [0xff, 0x04, 0x01, 0x08, 0xf2]);
  assert.equal(JSON.parse(r.stdout.trim()).total_m3, 6.408);
});

Deno.test("mbusgw wmbus listen --serial detects an iM871A when no --format is given", async () => {
  await using pty = openPty();
  const listening = runInProcess([
    "listen",
    "--serial",
    pty.slavePath,
    "--count",
    "1",
    "--key",
    KEY,
  ]);
  const info = encodeHciMessage({
    endpoint: 1,
    messageId: 0x10,
    payload: Uint8Array.of(0x33, 0x00, 0x15, 0x01, 0x78, 0x56, 0x34, 0x12),
  });
  let heard = "";
  for (let i = 0; i < 100 && !heard.includes("a5010306"); i++) {
    const got = await pty.read(64, 50);
    heard += Array.from(got, (b) => b.toString(16).padStart(2, "0")).join("");
    if (heard.endsWith("a5010f00")) await pty.write(info);
  }
  await pty.write(
    encodeHciMessage({
      endpoint: 2,
      messageId: 3,
      payload: fromHex(KAMSTRUP).subarray(1),
    }),
  );
  const r = await listening;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /found iM871A firmware 0x15/);
  assert.equal(JSON.parse(r.stdout.trim()).total_m3, 6.408);
});
