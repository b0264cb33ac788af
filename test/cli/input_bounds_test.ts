import assert from "node:assert/strict";
import { MAX_DECODE_INPUT_BYTES } from "../../src/cli/_read_input.ts";
import { runCliInProcess, spawnCli } from "../_helpers/cli.ts";

/** A short frame (SND_NKE to 1) as spaced hex. */
const SND_NKE = "10 40 01 41 16";

function oneLine(stderr: string): string {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, stderr);
  return lines[0] ?? "";
}

Deno.test("mbusgw decode /dev/zero stops at the input limit: one line, exit 2", async () => {
  const r = await runCliInProcess(["decode", "/dev/zero"]);
  assert.equal(r.code, 2);
  assert.match(
    oneLine(r.stderr),
    new RegExp(
      `^mbusgw: Cannot read "/dev/zero": larger than ${MAX_DECODE_INPUT_BYTES} bytes`,
    ),
  );
  assert.equal(r.stdout, "");
});

Deno.test("mbusgw decode FILE decodes at exactly the limit and refuses one byte more", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-bounds-" });
  try {
    const at = `${dir}/at.hex`;
    await Deno.writeTextFile(at, SND_NKE.padEnd(MAX_DECODE_INPUT_BYTES, " "));
    const ok = await runCliInProcess(["decode", at]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).frame.type, "short");
    const over = `${dir}/over.hex`;
    await Deno.writeTextFile(
      over,
      SND_NKE.padEnd(MAX_DECODE_INPUT_BYTES + 1, " "),
    );
    const r = await runCliInProcess(["decode", over]);
    assert.equal(r.code, 2);
    assert.match(oneLine(r.stderr), /larger than 65536 bytes/);
    const dirInput = await runCliInProcess(["decode", dir]);
    assert.equal(dirInput.code, 2);
    assert.match(oneLine(dirInput.stderr), /^mbusgw: Cannot read ".*": /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mbusgw decode --hex refuses text over the input limit (exit 2)", async () => {
  const r = await runCliInProcess([
    "decode",
    "--hex",
    SND_NKE + " ".repeat(MAX_DECODE_INPUT_BYTES),
  ]);
  assert.equal(r.code, 2);
  assert.match(oneLine(r.stderr), /longer than 65536 characters/);
});

Deno.test("mbusgw decode - reads stdin up to the limit (a real process: exit codes as a shell sees them)", async () => {
  const ok = await spawnCli(["decode", "-"], {
    stdin: SND_NKE,
    typeCheck: false,
  });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).frame.a, 1);
  const big = await spawnCli(["decode", "-"], {
    stdin: "0".repeat(MAX_DECODE_INPUT_BYTES + 2),
    typeCheck: false,
  });
  assert.equal(big.code, 2);
  assert.match(
    oneLine(big.stderr),
    /^mbusgw: Cannot read stdin: larger than 65536 bytes/,
  );
});

Deno.test("mbusgw wmbus decode refuses an oversized telegram with one line and exit 2", async () => {
  const long = await runCliInProcess([
    "wmbus",
    "decode",
    "--hex",
    "00".repeat(513),
  ]);
  assert.equal(long.code, 2);
  assert.match(oneLine(long.stderr), /513 bytes, a telegram has at most 512/);
  const text = await runCliInProcess([
    "wmbus",
    "decode",
    "--hex",
    "0".repeat(5000),
  ]);
  assert.equal(text.code, 2);
  assert.match(oneLine(text.stderr), /longer than 2048 characters/);
  const garbage = await runCliInProcess(["wmbus", "decode", "--hex", "ffff"]);
  assert.equal(garbage.code, 2, garbage.stderr);
});

Deno.test("mbusgw run --config /dev/zero stops at the config size limit: one line, exit 2", async () => {
  const r = await runCliInProcess(["run", "--config", "/dev/zero"]);
  assert.equal(r.code, 2);
  assert.match(
    oneLine(r.stderr),
    /^mbusgw: Cannot read config file "\/dev\/zero": larger than the limit of 16777216 bytes$/,
  );
});
