import assert from "node:assert/strict";
import { analyzeCommand } from "../../src/cli/analyze.ts";
import { UsageError } from "../../src/cli/_command.ts";
import { fromHex, toHex } from "../../src/util/mod.ts";
import { encryptDesTelegram } from "../../src/wmbus/mod.ts";
import { encodeWirelessTelegram } from "../../sim/mod.ts";

const PLAIN = "1C44333003020100071B7A630020002F2F0265D2000242657E000165B5";
const WIRED_OK = "68 06 06 68 08 05 78 01 13 07 A0 16";

function run(args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  return analyzeCommand(args, { out: (l) => lines.push(l) }).then((code) => ({
    code,
    lines,
  }));
}

Deno.test("mbusgw analyze prints one line per field and exits 0 when all is understood", async () => {
  const { code, lines } = await run(["--hex", WIRED_OK]);
  assert.equal(code, 0);
  assert.equal(lines[0], "wired, 12 bytes");
  assert.ok(
    lines.some((l) => /^\s+9\s+07\s+app\s+data\s+Volume: 0\.007 m\^3$/.test(l)),
    lines.join("\n"),
  );
  assert.equal(lines.at(-1), "every byte understood");
});

Deno.test("mbusgw analyze --json prints the analysis and exits 1 when bytes are not understood", async () => {
  const { code, lines } = await run(["--hex", PLAIN, "--json"]);
  assert.equal(code, 1);
  assert.equal(lines.length, 1);
  const r = JSON.parse(lines[0] ?? "");
  assert.equal(r.kind, "wireless");
  assert.equal(r.length, 29);
  assert.equal(r.notUnderstood, 2);
  assert.equal(r.spans[0].field, "L");
  assert.equal(r.spans.at(-1).understood, false);
});

Deno.test("mbusgw analyze refuses bad input with a one-line usage error", async () => {
  await assert.rejects(() => run([]), UsageError);
  await assert.rejects(() => run(["--hex", "6G"]), UsageError);
  await assert.rejects(
    () => run(["--hex", "00".repeat(600)]),
    /at most|1 to 512/,
  );
  await assert.rejects(
    () => run(["--hex", PLAIN, "--key", "0011"]),
    /32 hex digits/,
  );
  await assert.rejects(() => run(["extra"]), /unexpected argument/);
});

Deno.test("mbusgw analyze --help names the options", async () => {
  const { code, lines } = await run(["--help"]);
  assert.equal(code, 0);
  assert.match(lines.join("\n"), /--hex TEXT[\s\S]*--key HEX[\s\S]*--json/);
});

Deno.test("mbusgw analyze --key takes a DES key (16 hex digits) and explains a mode 2 payload", async () => {
  const plain = encodeWirelessTelegram(
    { id: "71000001", manufacturer: "ZRI", version: 1, medium: 7 },
    [{ vif: "13", dataType: "int32", raw: 4321 }],
    0x11,
  );
  const key = "0123456789ABCDEF";
  const hex = toHex(encryptDesTelegram(plain, fromHex(key), 2));
  const locked = await run(["--hex", hex]);
  assert.equal(locked.code, 1);
  const { code, lines } = await run(["--hex", hex, "--key", key]);
  assert.equal(code, 0);
  assert.ok(
    lines.some((l) => /security mode 2 \(DES-CBC\)/.test(l)),
    lines.join("\n"),
  );
  assert.ok(lines.some((l) => /Volume: 4\.321 m\^3/.test(l)), lines.join("\n"));
});
