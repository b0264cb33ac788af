import assert from "node:assert/strict";
import { fromHex, toHex } from "../../src/util/mod.ts";
import {
  decodeLinkFrame,
  encodeLinkFrame,
  formatALength,
  formatManufacturer,
  formatWmbusId,
  parseTelegram,
} from "../../src/wmbus/mod.ts";

/** A plain Lansen telegram (built for this test: LAS, 00010203, CI 7A, mode 0). */
const PLAIN = "1C44333003020100071B7A63002000" + "2F2F0265D2000242657E000165B5";

function longFrame(length: number): Uint8Array {
  const f = new Uint8Array(length);
  f.set(fromHex("00443330030201000778"));
  for (let i = 10; i < length; i++) f[i] = 0x2f;
  f[0] = length - 1;
  return f;
}

Deno.test("formatManufacturer() and formatWmbusId() print the DLL identity", () => {
  assert.equal(formatManufacturer(0x2c2d), "KAM");
  assert.equal(formatWmbusId(fromHex("99873476")), "76348799");
  assert.equal(formatWmbusId(fromHex("9c582421")), "2124589c");
});

Deno.test("formatALength() matches doc §2.2 for the Kamstrup frame", () => {
  assert.equal(formatALength(0x2a), 51);
});

for (const length of [11, 26, 27, 128, 129, 130, 200, 252]) {
  Deno.test(`decodeLinkFrame() round-trips formats A and B for ${length} bytes`, () => {
    const frame = longFrame(length);
    for (const format of ["A", "B"] as const) {
      const r = decodeLinkFrame(encodeLinkFrame(frame, format), "present");
      assert.ok(r.ok, format);
      assert.equal(r.value.format, format);
      assert.equal(toHex(r.value.frame), toHex(frame));
    }
  });
}

Deno.test("decodeLinkFrame() reports BAD_CRC when required CRCs fail", () => {
  const onAir = encodeLinkFrame(fromHex(PLAIN), "A");
  onAir[12] = (onAir[12] ?? 0) ^ 0x01;
  const r = decodeLinkFrame(onAir, "present");
  assert.ok(!r.ok);
  assert.equal(r.error.code, "BAD_CRC");
});

Deno.test("decodeLinkFrame() reports BAD_LENGTH when L fits no format", () => {
  const r = decodeLinkFrame(fromHex(PLAIN + "0000"), "present");
  assert.ok(!r.ok);
  assert.equal(r.error.code, "BAD_LENGTH");
});

Deno.test("decodeLinkFrame() fixes an L that still counts removed format B CRCs", () => {
  const bytes = fromHex(PLAIN);
  bytes[0] = bytes.length + 1;
  const r = decodeLinkFrame(bytes);
  assert.ok(r.ok);
  assert.equal(r.value.frame[0], bytes.length - 1);
  assert.match(r.value.warnings[0] ?? "", /^L_FIXED/);
});

Deno.test("decodeLinkFrame() fixes a long format B L that counted two removed CRCs", () => {
  const frame = longFrame(200);
  const stale = frame.slice();
  stale[0] = 203;
  const r = decodeLinkFrame(stale);
  assert.ok(r.ok);
  assert.equal(toHex(r.value.frame), toHex(frame));
});

Deno.test("decodeLinkFrame() drops trailing bytes (an appended RSSI)", () => {
  const r = decodeLinkFrame(fromHex(PLAIN + "B4"), "absent");
  assert.ok(r.ok);
  assert.equal(toHex(r.value.frame), PLAIN.toLowerCase());
  assert.match(r.value.warnings[0] ?? "", /^TRAILING_BYTES/);
});

Deno.test("decodeLinkFrame() reports TRUNCATED when L promises more bytes", () => {
  const r = decodeLinkFrame(fromHex(PLAIN).subarray(0, 20));
  assert.ok(!r.ok);
  assert.equal(r.error.code, "TRUNCATED");
  assert.equal(r.error.offset, 20);
});

Deno.test("parseTelegram() reads a plain short-header telegram", () => {
  const r = parseTelegram(fromHex(PLAIN));
  assert.ok(r.ok);
  const t = r.value;
  assert.equal(t.manufacturer, "LAS");
  assert.equal(t.id, "00010203");
  assert.equal(t.c, 0x44);
  assert.equal(t.tpl?.headerType, "short");
  assert.equal(t.tpl?.accessNumber, 0x63);
  assert.equal(t.tpl?.config, 0x0020);
  assert.equal(t.tpl?.securityMode, 0);
  assert.equal(toHex(t.payload), "2f2f0265d2000242657e000165b5");
  assert.ok(!t.encrypted && t.decrypted);
});

Deno.test("parseTelegram() reports UNSUPPORTED_CI for an unknown CI", () => {
  const bytes = fromHex(PLAIN);
  bytes[10] = 0x55;
  const r = parseTelegram(bytes);
  assert.ok(!r.ok);
  assert.equal(r.error.code, "UNSUPPORTED_CI");
  assert.equal(r.error.offset, 10);
});

Deno.test("parseTelegram() rejects a key that is neither 16 bytes (AES) nor 8 (DES)", () => {
  for (const n of [0, 7, 12, 24]) {
    const r = parseTelegram(fromHex(PLAIN), { key: new Uint8Array(n) });
    assert.ok(!r.ok, `${n} bytes`);
    assert.equal(r.error.code, "WRONG_KEY");
  }
  assert.ok(parseTelegram(fromHex(PLAIN), { key: new Uint8Array(8) }).ok);
});

Deno.test("parseTelegram() reads a long header and takes the meter identity from it", () => {
  const r = parseTelegram(
    fromHex("1E44A5110102030401077278563412A5110B07010020002F2F0413E8030000"),
  );
  assert.ok(r.ok);
  const t = r.value;
  assert.equal(t.tpl?.headerType, "long");
  assert.equal(t.id, "12345678");
  assert.equal(t.version, 0x0b);
  assert.equal(t.dll.id, "04030201");
  assert.equal(t.dll.version, 0x01);
});

Deno.test("parseTelegram() reads a wired long frame with a long TPL header", () => {
  const body = fromHex("08057278563412A5110B07010000000413E8030000");
  const frame = new Uint8Array(body.length + 6);
  frame.set([0x68, body.length, body.length, 0x68]);
  frame.set(body, 4);
  frame[frame.length - 2] = body.reduce((a, b) => a + b, 0) & 0xff;
  frame[frame.length - 1] = 0x16;
  const r = parseTelegram(frame);
  assert.ok(r.ok);
  assert.equal(r.value.frameFormat, "wired");
  assert.equal(r.value.id, "12345678");
  assert.equal(r.value.manufacturer, "DME");
  assert.equal(toHex(r.value.payload), "0413e8030000");
  frame[frame.length - 2] = (frame[frame.length - 2] ?? 0) ^ 1;
  const bad = parseTelegram(frame);
  assert.ok(!bad.ok);
  assert.equal(bad.error.code, "BAD_CRC");
});

Deno.test("parseTelegram() swaps the Diehl A field of PRIOS frames (doc §13.2)", () => {
  const r = parseTelegram(
    fromHex("1944A511780779194820A1211F09002F1D1E6FAD14A8339B5F00"),
  );
  assert.ok(r.ok);
  assert.equal(r.value.id, "20481979");
  assert.equal(r.value.version, 0x78);
  assert.equal(r.value.deviceType, 0x07);
  assert.equal(r.value.dll.id, "19790778");
  assert.equal(r.value.tpl, null);
  assert.equal(r.value.ci, 0xa1);
});

Deno.test("parseTelegram() walks ELL I, AFL and a mode 7 header without a key", () => {
  const r = parseTelegram(
    fromHex(
      "3A44A5113322332263078C0085900F002C256C160100A48FAD66CB025DA87ADF00310710" +
        "1F8DECC4B713AB8A1478EB897C19FA1E4A28FB9C8C618D22DCCA68FB2D75828A7F6E142FEDE8905296B970BE75AE143B",
    ),
    { tryDefaultKeys: false },
  );
  assert.ok(r.ok);
  const t = r.value;
  assert.equal(t.ell?.acc, 0x85);
  assert.equal(t.afl?.mcl, 0x25);
  assert.equal(t.afl?.fragmentId, 0);
  assert.equal(t.afl?.moreFragments, false);
  assert.equal(toHex(t.afl?.mac ?? new Uint8Array(0)), "a48fad66cb025da8");
  assert.equal(t.decryptionIssue, "NO_KEY");
});

Deno.test("encodeLinkFrame() refuses frames longer than L can count", () => {
  assert.throws(() => encodeLinkFrame(longFrame(253), "B"), RangeError);
  assert.throws(() => encodeLinkFrame(new Uint8Array(257), "A"), RangeError);
});
