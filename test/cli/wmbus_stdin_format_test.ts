import assert from "node:assert/strict";
import { detectLineFormat } from "../../src/cli/_stdin_format.ts";
import { spawnCli } from "../_helpers/cli.ts";

const RTL =
  "T1;1;1;2026-12-03 13:58:52.263;97;0;31000001;0x244497260100003100077A010000002F2F041340E20100023B0C004413A0860100426C3F3C";
const HEX =
  "244497260100003100077A010000002F2F041340E20100023B0C004413A0860100426C3F3C";

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const bytes = chunks.map((c) => new TextEncoder().encode(c));
  return ReadableStream.from(bytes);
}

Deno.test("detectLineFormat: rtl_wmbus or hex from the first line, every byte passed on", async () => {
  const cases: [string[], string][] = [
    [[RTL.slice(0, 7), RTL.slice(7) + "\n", RTL + "\n"], "rtlwmbus"],
    [["\n\n", "C1;1;1;x;0;0;1;0x00\n"], "rtlwmbus"],
    [[HEX + "\n", HEX], "hex"],
    [["telegram=|" + HEX + "|\n"], "hex"],
    [[], "hex"],
  ];
  for (const [chunks, format] of cases) {
    const found = await detectLineFormat(streamOf(...chunks));
    assert.equal(found.format, format, JSON.stringify(chunks));
    assert.equal(
      await new Response(found.stream).text(),
      chunks.join(""),
      "nothing lost",
    );
  }
});

Deno.test("mbusgw wmbus listen --stdin decodes rtl_wmbus lines without --format (the simulator's output)", async () => {
  const r = await spawnCli(["wmbus", "listen", "--stdin"], {
    stdin: RTL + "\n",
    typeCheck: false,
  });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim());
  assert.equal(out.id, "31000001");
  assert.equal(out.total_m3, 123.456);
});
