import assert from "node:assert/strict";
import { fromHex, toHex } from "../../src/util/mod.ts";
import {
  aesCtr,
  crcWmbus,
  ellCounter,
  parseTelegram,
  WMBUS_ERRORS,
} from "../../src/wmbus/mod.ts";
import { loadCorpus } from "./_corpus.ts";

const DLL = "4433300302010007 1B".replace(/ /g, "");
const MODE7 =
  "3A44A5113322332263078C0085900F002C256C160100A48FAD66CB025DA87ADF00310710" +
  "1F8DECC4B713AB8A1478EB897C19FA1E4A28FB9C8C618D22DCCA68FB2D75828A7F6E142FEDE8905296B970BE75AE143B";
const MODE7_KEY = fromHex("000102030405060708090A0B0C0D0E0F");
const KEY = fromHex("00112233445566778899AABBCCDDEEFF");

function frame(hexAfterL: string): Uint8Array {
  const body = fromHex(hexAfterL);
  return new Uint8Array([body.length, ...body]);
}

/** An ELL IV (8F) telegram with second address, SN and payload CRC; encrypted on request. */
function ellIv(encrypted: boolean): Uint8Array {
  const app = fromHex("780413E8030000");
  const head = frame(
    `${DLL}8F2005A511785634121B07 00000000 0000`.replace(/ /g, ""),
  );
  const t = new Uint8Array([...head, ...app]);
  t[0] = t.length - 1;
  const snAt = 10 + 11;
  if (encrypted) t[snAt + 3] = 0x20;
  const crc = crcWmbus(t, snAt + 6);
  t[snAt + 4] = crc & 0xff;
  t[snAt + 5] = crc >> 8;
  if (encrypted) {
    const counter = ellCounter(
      t.subarray(0, 10),
      0x20,
      t.subarray(snAt, snAt + 4),
    );
    t.set(aesCtr(KEY, t.subarray(snAt + 4), counter), snAt + 4);
  }
  return t;
}

Deno.test("parseTelegram() reads ELL IV with its second address, plain and AES-CTR", () => {
  for (const encrypted of [false, true]) {
    const r = parseTelegram(ellIv(encrypted), { key: KEY });
    assert.ok(r.ok);
    const t = r.value;
    assert.equal(t.ell?.ci, 0x8f);
    assert.equal(t.ell?.address?.manufacturer, "DME");
    assert.equal(t.ell?.address?.id, "12345678");
    assert.equal(t.ell?.address?.deviceType, 0x07);
    assert.equal(t.ell?.encryption, encrypted ? 1 : 0);
    assert.equal(t.ell?.payloadCrcOk, true);
    assert.equal(t.ci, 0x78);
    assert.equal(toHex(t.payload), "0413e8030000");
    assert.equal(t.encrypted, encrypted);
  }
});

Deno.test("parseTelegram() reads ELL III without session fields", () => {
  const r = parseTelegram(frame(`${DLL}8E2005A511785634121B07780413E8030000`));
  assert.ok(r.ok);
  assert.equal(r.value.ell?.address?.id, "12345678");
  assert.equal(r.value.ell?.sessionNumber, undefined);
  assert.equal(toHex(r.value.payload), "0413e8030000");
});

Deno.test("parseTelegram() reports a tampered mode 7 telegram as WRONG_KEY (MAC mismatch)", () => {
  const bytes = fromHex(MODE7);
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
  const r = parseTelegram(bytes, { key: MODE7_KEY });
  assert.ok(!r.ok);
  assert.equal(r.error.code, "WRONG_KEY");
  assert.match(r.error.message, /MAC mismatch/);
});

Deno.test("parseTelegram() skips the network layer CI 0x81", () => {
  const r = parseTelegram(frame(`${DLL}8100780413E8030000`));
  assert.ok(r.ok);
  assert.equal(r.value.ci, 0x78);
  assert.equal(toHex(r.value.payload), "0413e8030000");
});

Deno.test("parseTelegram() flags AFL fragments as incomplete", () => {
  const r = parseTelegram(frame(`${DLL}900200407A0100000000`));
  assert.ok(r.ok);
  assert.equal(r.value.afl?.moreFragments, true);
  assert.ok(r.value.warnings.some((w) => w.startsWith("FRAGMENT")));
});

const MALFORMED: readonly {
  name: string;
  hex: string;
  code: string;
  offset: number;
}[] = [
  {
    name: "ELL II cut inside SN",
    hex: `${DLL}8D2091D37C`,
    code: "TRUNCATED",
    offset: 15,
  },
  {
    name: "AFL longer than the telegram",
    hex: `${DLL}9020002C25`,
    code: "TRUNCATED",
    offset: 15,
  },
  {
    name: "AFL fields beyond AFL.L",
    hex: `${DLL}9002002C7A00000000`,
    code: "BAD_LENGTH",
    offset: 14,
  },
  {
    name: "short TPL header cut",
    hex: `${DLL}7A0100`,
    code: "TRUNCATED",
    offset: 13,
  },
  {
    name: "long TPL header cut",
    hex: `${DLL}72785634`,
    code: "TRUNCATED",
    offset: 14,
  },
  {
    name: "mode 7 header without CFG-ext",
    hex: `${DLL}7A010000 07`.replace(" ", ""),
    code: "TRUNCATED",
    offset: 15,
  },
  {
    name: "mode 5 with less than one block",
    hex: `${DLL}7A01001005AABBCCDD`,
    code: "TRUNCATED",
    offset: 19,
  },
  { name: "ELL V", hex: `${DLL}860000`, code: "UNSUPPORTED_CI", offset: 10 },
  { name: "nothing after the DLL", hex: DLL, code: "TRUNCATED", offset: 10 },
];

for (const m of MALFORMED) {
  Deno.test(`parseTelegram() reports ${m.code} at ${m.offset} for ${m.name}`, () => {
    const r = parseTelegram(frame(m.hex), { key: KEY });
    assert.ok(!r.ok, toHex(frame(m.hex)));
    assert.equal(r.error.code, m.code);
    assert.equal(r.error.offset, m.offset);
  });
}

Deno.test({
  name:
    "parseTelegram() gives ok or a typed error for every prefix of every corpus telegram",
  ignore: loadCorpus() === null,
  fn() {
    const codes = new Set<string>(Object.values(WMBUS_ERRORS));
    for (const c of loadCorpus() ?? []) {
      const bytes = fromHex(c.telegram);
      for (let n = 0; n <= bytes.length; n++) {
        const r = parseTelegram(bytes.subarray(0, n));
        if (!r.ok) {
          assert.ok(codes.has(r.error.code), `${r.error.code} at ${n}`);
        }
      }
    }
  },
});

Deno.test("parseTelegram() reports NO_KEY, not WRONG_KEY, when Diehl default keys do not fit", () => {
  // A Diehl (DME) mode 5 telegram whose payload is not plain and not under the default key.
  const r = parseTelegram(
    frame("44A511785634121B077A0100100511223344556677889900AABBCCDDEEFF0011"),
  );
  assert.ok(r.ok);
  assert.equal(r.value.decryptionIssue, "NO_KEY");
  assert.match(r.value.warnings.join(" "), /default keys do not fit/);
  const withKey = parseTelegram(
    frame("44A511785634121B077A0100100511223344556677889900AABBCCDDEEFF0011"),
    { key: KEY },
  );
  assert.ok(!withKey.ok);
  assert.equal(withKey.error.code, "WRONG_KEY");
});
