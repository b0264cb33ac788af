import assert from "node:assert/strict";
import { SerialTransport } from "../../src/transport/mod.ts";
import { HciDecoder } from "../../src/wmbus/mod.ts";
import { simCommand } from "../../src/cli/sim.ts";
import { UsageError } from "../../src/cli/_command.ts";

const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;

function spawnSim(args: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "sim", ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const lines = async (n: number): Promise<string[]> => {
    while (text.split("\n").length <= n) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    return text.split("\n").slice(0, n);
  };
  const stop = async () => {
    child.kill("SIGTERM");
    await reader.cancel();
    const status = await child.status;
    const err = await new Response(child.stderr).text();
    return { code: status.code, err };
  };
  return { lines, stop };
}

async function readUntil(
  read: () => Promise<Uint8Array>,
  enough: (bytes: Uint8Array) => boolean,
): Promise<Uint8Array> {
  let all = new Uint8Array(0);
  for (let i = 0; i < 50 && !enough(all); i++) {
    const chunk = await read();
    const next = new Uint8Array(all.length + chunk.length);
    next.set(all);
    next.set(chunk, all.length);
    all = next;
  }
  return all;
}

Deno.test("mbusgw sim --wireless rtlwmbus prints rtl_wmbus lines on stdout and stops on SIGTERM", async () => {
  const sim = spawnSim(["--wireless", "rtlwmbus", "--interval", "200"]);
  let result;
  try {
    const lines = await sim.lines(3);
    assert.equal(lines.length, 3);
    for (const l of lines) {
      assert.match(
        l,
        /^(T1|C1);1;1;\d{4}-\d\d-\d\d [0-9:.]+;\d+;\d+;3100000\d;0x[0-9A-F]+$/,
      );
    }
  } finally {
    result = await sim.stop();
  }
  assert.equal(result.code, 0, result.err);
});

Deno.test("mbusgw sim --wireless im871a --pty answers a receiver's device-info request on the printed path", async () => {
  const sim = spawnSim(["--wireless", "im871a", "--pty"]);
  let result;
  try {
    const [line = ""] = await sim.lines(1);
    const m = /^listening pty (\/dev\/\S+)$/.exec(line);
    assert.ok(m, line);
    await using port = await SerialTransport.open(m[1] ?? "", {
      baudRate: 57600,
      parity: "none",
    });
    await port.write(Uint8Array.of(0xa5, 0x01, 0x0f, 0x00));
    const decoder = new HciDecoder();
    const got: number[] = [];
    await readUntil(async () => {
      const chunk = await port.read(256, 1000);
      for (const msg of decoder.push(chunk)) got.push(msg.messageId);
      return chunk;
    }, () => got.length > 0);
    assert.deepEqual(got, [0x10]);
  } finally {
    result = await sim.stop();
  }
  assert.equal(result.code, 0, result.err);
});

Deno.test("mbusgw sim --wireless amb8465 --tcp serves the parameter memory like a stick behind ser2net", async () => {
  const sim = spawnSim(["--wireless", "amb8465", "--tcp", "127.0.0.1:0"]);
  let result;
  try {
    const [line = ""] = await sim.lines(1);
    const m = /^listening tcp 127\.0\.0\.1:(\d+)$/.exec(line);
    assert.ok(m, line);
    const conn = await Deno.connect({
      hostname: "127.0.0.1",
      port: Number(m[1]),
    });
    try {
      await conn.write(Uint8Array.of(0xff, 0x0a, 0x02, 0x00, 0x80, 0x77));
      const buf = new Uint8Array(512);
      const got = await readUntil(async () => {
        const n = await conn.read(buf);
        return buf.slice(0, n ?? 0);
      }, (b) => b.length >= 4 + 0x7a);
      assert.deepEqual([...got.subarray(0, 5)], [0xff, 0x8a, 0x7a, 0x00, 0x78]);
      assert.equal(got.length, 4 + 0x7a);
    } finally {
      conn.close();
    }
  } finally {
    result = await sim.stop();
  }
  assert.equal(result.code, 0, result.err);
});

Deno.test("mbusgw sim --wireless refuses bad combinations with a one-line usage error", async () => {
  const cases: [string[], RegExp][] = [
    [["--wireless", "cc1101", "--pty"], /Invalid --wireless "cc1101"/],
    [["--wireless", "im871a"], /exactly one of --tcp/],
    [["--wireless", "rtlwmbus", "--pty"], /--pty needs a dongle/],
    [
      ["--wireless", "im871a", "--pty", "--scenario", "demo"],
      /--scenario is for the wired/,
    ],
    [
      ["--wireless", "rtlwmbus", "--wireless-meters", "nope"],
      /Unknown wireless meter "nope"/,
    ],
    [["--wireless", "rtlwmbus", "--interval", "5"], /Invalid --interval "5"/],
    [["--tcp", "0", "--interval", "1000"], /need --wireless/],
  ];
  for (const [args, message] of cases) {
    await assert.rejects(() => simCommand(args), (e: unknown) => {
      assert.ok(e instanceof UsageError, String(e));
      assert.match(e.message, message);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  }
});
