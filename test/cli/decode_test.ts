import assert from "node:assert/strict";
import { decodeCommand, type DecodeOutput } from "../../src/cli/decode.ts";
import { UsageError } from "../../src/cli/_command.ts";
import { encodeFrame, longFrame } from "../../src/link/mod.ts";
import { encodeUserData } from "../../src/app/mod.ts";
import { toHex } from "../../src/util/mod.ts";
import { spawnCli } from "../_helpers/cli.ts";

function capture(): DecodeOutput & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return {
    outLines,
    errLines,
    out: (l) => outLines.push(l),
    err: (l) => errLines.push(l),
  };
}

/** A Kamstrup-like RSP_UD built with our encoders: energy 37351 kWh. */
function kamFrameHex(): string {
  const { ci, data } = encodeUserData({
    header: {
      id: "06855817",
      manufacturer: "KAM",
      version: 8,
      medium: { code: 4, name: "" },
      accessNumber: 4,
      status: 0,
      signature: 0,
    },
    records: [{ dataType: "int32", vif: "06", raw: 37351 }],
  });
  return toHex(encodeFrame(longFrame(0x08, 1, ci, data)), " ");
}

Deno.test("decodeCommand() prints the telegram JSON in the documented shape", async () => {
  const io = capture();
  const code = await decodeCommand(["--hex", kamFrameHex()], io);
  assert.equal(code, 0);
  assert.equal(io.outLines.length, 1);
  assert.equal(
    io.outLines[0],
    '{"frame":{"type":"long","c":8,"a":1,"ci":114,"checksumOk":true},"header":{"id":"06855817","manufacturer":"KAM","version":8,"medium":{"code":4,"name":"Heat: Outlet"},"accessNumber":4,"status":0,"signature":0},"records":[{"index":0,"dif":"04","dife":[],"vif":"06","vife":[],"function":"instantaneous","storage":0,"tariff":0,"subunit":0,"quantity":"Energy","unit":"Wh","value":37351000,"raw":37351}],"moreRecordsFollow":false,"manufacturerData":null}',
  );
});

Deno.test("decodeCommand() prints raw values with --no-unit-factor", async () => {
  const io = capture();
  await decodeCommand(["--hex", kamFrameHex(), "--no-unit-factor"], io);
  const json = JSON.parse(io.outLines[0] ?? "{}");
  assert.equal(json.records[0].value, 37351);
});

Deno.test("decodeCommand() reads a FILE of hex text", async () => {
  const path = await Deno.makeTempFile({ suffix: ".hex" });
  try {
    await Deno.writeTextFile(path, kamFrameHex() + "\n");
    const io = capture();
    assert.equal(await decodeCommand([path], io), 0);
    assert.equal(JSON.parse(io.outLines[0] ?? "{}").header.manufacturer, "KAM");
  } finally {
    await Deno.remove(path);
  }
});

const BAD: { name: string; hex: string; pattern: RegExp }[] = [
  { name: "odd hex", hex: "68 1", pattern: /odd number of hex digits/ },
  {
    name: "wrong checksum",
    hex: "68 03 03 68 08 01 70 78 16",
    pattern: /BAD_CHECKSUM at byte 7/,
  },
  {
    name: "wrong stop byte",
    hex: "68 03 03 68 08 01 70 79 17",
    pattern: /BAD_STOP at byte 8/,
  },
  {
    name: "truncated",
    hex: "68 05 05 68 08 01 72 00",
    pattern: /TRUNCATED at byte 8/,
  },
  {
    name: "short header",
    hex: "68 08 08 68 08 02 72 78 56 34 12 24 B4 16",
    pattern: /TRUNCATED_HEADER at byte 12/,
  },
];

for (const c of BAD) {
  Deno.test(`decodeCommand() throws a one-line UsageError on ${c.name}`, async () => {
    const io = capture();
    await assert.rejects(
      () => decodeCommand(["--hex", c.hex], io),
      (e: unknown) => {
        assert.ok(e instanceof UsageError);
        assert.match(e.message, c.pattern);
        assert.ok(!e.message.includes("\n"));
        return true;
      },
    );
  });
}

Deno.test("decodeCommand() prints the records before a broken one and exits 2", async () => {
  const io = capture();
  const code = await decodeCommand([
    "--hex",
    "68 1C 1C 68 08 02 72 78 56 34 12 24 40 01 07 55 00 00 00 03 13 15 31 00 DA 02 3B 13 01 8B 60 04 C7 16",
  ], io);
  assert.equal(code, 2);
  const json = JSON.parse(io.outLines[0] ?? "{}");
  assert.equal(json.records.length, 2);
  assert.equal(json.error.code, "TRUNCATED_RECORD");
  assert.equal(io.errLines.length, 1);
  assert.match(io.errLines[0] ?? "", /TRUNCATED_RECORD at byte 32/);
});

Deno.test("decodeCommand() reports usage errors", async () => {
  await assert.rejects(() => decodeCommand([], capture()), UsageError);
  await assert.rejects(() => decodeCommand(["--bogus"], capture()), UsageError);
  await assert.rejects(
    () => decodeCommand(["/nonexistent/file.hex"], capture()),
    UsageError,
  );
});

Deno.test("mbusgw decode exits 2 with one stderr line on a bad checksum (subprocess)", async () => {
  const out = await spawnCli([
    "decode",
    "--hex",
    "68 03 03 68 08 01 70 78 16",
  ]);
  assert.equal(out.code, 2);
  const stderr = out.stderr.trimEnd();
  assert.equal(stderr.split("\n").length, 1);
  assert.match(stderr, /^mbusgw: .*checksum.*BAD_CHECKSUM at byte 7/);
  assert.equal(out.stdout.length, 0);
});

Deno.test("decodeCommand() prints a command control frame without user data", async () => {
  const io = capture();
  assert.equal(
    await decodeCommand(["--hex", "68 03 03 68 53 05 BD 15 16"], io),
    0,
  );
  assert.deepEqual(JSON.parse(io.outLines[0] ?? "{}"), {
    frame: { type: "control", c: 0x53, a: 5, ci: 0xbd, checksumOk: true },
  });
});

Deno.test("decodeCommand() prints an application error telegram with its code", async () => {
  const io = capture();
  assert.equal(
    await decodeCommand(["--hex", "68 04 04 68 08 01 70 08 81 16"], io),
    0,
  );
  const json = JSON.parse(io.outLines[0] ?? "{}");
  assert.equal(json.applicationError, 8);
  assert.deepEqual(json.records, []);
});

Deno.test("decodeCommand() prints a short frame", async () => {
  const io = capture();
  assert.equal(await decodeCommand(["--hex", "10 5b 05 60 16"], io), 0);
  assert.deepEqual(JSON.parse(io.outLines[0] ?? "{}"), {
    frame: { type: "short", c: 0x5b, a: 5, checksumOk: true },
  });
});
