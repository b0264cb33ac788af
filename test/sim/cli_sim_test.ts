import assert from "node:assert/strict";
import { decodeFrame } from "../../src/link/mod.ts";
import { TcpTransport } from "../../src/transport/mod.ts";
import { ConfigError, toHex } from "../../src/util/mod.ts";
import { simCommand } from "../../src/cli/sim.ts";
import { UsageError } from "../../src/cli/_command.ts";
import type { BusStats } from "../../sim/mod.ts";
import { reqUd2, sndNke } from "./_helpers.ts";
import { exchangeReal } from "./endpoints/_read_frame.ts";

const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<{
  line: string;
  rest: Promise<string>;
}> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  const rest = (async () => {
    let more = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return more;
      more += value;
    }
  })();
  return { line: text.split("\n")[0] ?? "", rest };
}

Deno.test("mbusgw sim --tcp prints one line, serves, and writes stats on SIGTERM", async () => {
  const dir = await Deno.makeTempDir();
  const statsPath = `${dir}/stats.json`;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MAIN,
      "sim",
      "--tcp",
      "127.0.0.1:0",
      "--stats",
      statsPath,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    const { line, rest } = await firstLine(child.stdout);
    const m = /^listening tcp 127\.0\.0\.1:(\d+)$/.exec(line);
    assert.ok(m, line);
    {
      await using port = await TcpTransport.open("127.0.0.1", Number(m[1]));
      assert.equal(toHex(await exchangeReal(port, sndNke(1))), "e5");
      assert.ok(decodeFrame(await exchangeReal(port, reqUd2(1, true))).ok);
    }
    child.kill("SIGUSR1");
    let live: BusStats | undefined;
    for (let i = 0; i < 100 && live?.requests !== 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      live = JSON.parse(await Deno.readTextFile(statsPath));
    }
    assert.equal(live?.requests, 2, "SIGUSR1 rewrote the stats");
    child.kill("SIGTERM");
    const status = await child.status;
    assert.equal(status.code, 0);
    assert.equal(await rest, "", "exactly one line");
    const stats: BusStats = JSON.parse(await Deno.readTextFile(statsPath));
    assert.equal(stats.requests, 2);
    assert.equal((stats as BusStats & { scenario: string }).scenario, "demo");
    assert.equal(stats.meters.length, 7);
    assert.ok(stats.meters.some((x) => x.primaryAddress === 10));
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.stderr.cancel().catch(() => {});
    await child.status;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mbusgw sim --pty prints the pseudo-terminal path", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "sim", "--pty", "--meters", "20", "--seed", "3"],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const { line, rest } = await firstLine(child.stdout);
    assert.match(line, /^listening pty \/dev\/pts\/\d+$/);
    child.kill("SIGINT");
    assert.equal((await child.status).code, 0);
    await rest;
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.status;
  }
});

const USAGE: [string, string[]][] = [
  ["neither --tcp nor --pty", []],
  ["both --tcp and --pty", ["--tcp", "1", "--pty"]],
  ["a bad port", ["--tcp", "127.0.0.1:99999"]],
  ["a bad baud rate", ["--pty", "--baud", "1234"]],
  ["--seed without --meters", ["--pty", "--seed", "1"]],
  ["an unknown option", ["--pty", "--bogus"]],
];
for (const [name, args] of USAGE) {
  Deno.test(`simCommand() rejects ${name} with a UsageError`, async () => {
    await assert.rejects(simCommand(args), UsageError);
  });
}

Deno.test("simCommand() rejects an unknown scenario with a ConfigError", async () => {
  await assert.rejects(
    simCommand(["--pty", "--scenario", "/nonexistent/x.json"]),
    ConfigError,
  );
});
