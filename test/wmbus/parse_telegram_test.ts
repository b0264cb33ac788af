import assert from "node:assert/strict";
import { fromHex, toHex } from "../../src/util/mod.ts";
import {
  aesCmac,
  crcWmbus,
  deriveKey,
  encodeLinkFrame,
  parseTelegram,
} from "../../src/wmbus/mod.ts";

/** Kamstrup Multical 21, doc §2.5 / §5.7. */
const KAMSTRUP =
  "2A442D2C998734761B168D2091D37CAC21E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24";
const KAMSTRUP_KEY = fromHex("28F64A24988064A079AA2C807D6102AE");
/** Synthetic mode 7 vector, doc §9.4. */
const MODE7 =
  "5344A511332233226307 8C0085 900F002C256C160100A48FAD66CB025DA8 7ADF00310710" +
  "1F8DECC4B713AB8A1478EB897C19FA1E4A28FB9C8C618D22DCCA68FB2D75828A7F6E142FEDE8905296B970BE75AE143B";
const MODE7_KEY = fromHex("000102030405060708090A0B0C0D0E0F");

Deno.test("crcWmbus() gives the check value 0xC2B7 for 123456789", () => {
  assert.equal(crcWmbus(new TextEncoder().encode("123456789")), 0xc2b7);
});

Deno.test("encodeLinkFrame() adds the format A and B CRCs of doc §2.5", () => {
  const a = toHex(encodeLinkFrame(fromHex(KAMSTRUP), "A"));
  assert.equal(a.length, 51 * 2);
  assert.equal(a.slice(20, 24), "f148");
  assert.equal(a.slice(56, 60), "995d");
  assert.equal(a.slice(-4), "14f0");
  const b = toHex(encodeLinkFrame(fromHex(KAMSTRUP), "B"));
  assert.equal(b.slice(0, 2), "2c");
  assert.equal(b.slice(-4), "27bd");
});

Deno.test("parseTelegram() strips format A and B CRCs and reads the DLL", () => {
  for (const format of ["A", "B"] as const) {
    const r = parseTelegram(encodeLinkFrame(fromHex(KAMSTRUP), format), {
      key: KAMSTRUP_KEY,
    });
    assert.ok(r.ok);
    assert.equal(r.value.frameFormat, format);
    assert.equal(toHex(r.value.raw), KAMSTRUP.toLowerCase());
    assert.equal(r.value.manufacturer, "KAM");
    assert.equal(r.value.id, "76348799");
    assert.equal(r.value.version, 0x1b);
    assert.equal(r.value.deviceType, 0x16);
  }
});

Deno.test("parseTelegram() decrypts the ELL AES-CTR example of doc §5.7", () => {
  const r = parseTelegram(fromHex(KAMSTRUP), { key: KAMSTRUP_KEY });
  assert.ok(r.ok);
  const t = r.value;
  assert.equal(t.ell?.ci, 0x8d);
  assert.equal(t.ell?.sessionNumber, 0x21ac7cd3);
  assert.equal(t.ell?.payloadCrcOk, true);
  assert.equal(t.ci, 0x78);
  assert.equal(t.tpl?.headerType, "none");
  assert.equal(
    toHex(t.payload),
    "02ff207100041308190000441308190000615b7f616713",
  );
  assert.ok(t.encrypted && t.decrypted);
});

Deno.test("parseTelegram() reports NO_KEY as ok with decrypted false, WRONG_KEY as error", () => {
  const r = parseTelegram(fromHex(KAMSTRUP));
  assert.ok(r.ok);
  assert.equal(r.value.decrypted, false);
  assert.equal(r.value.decryptionIssue, "NO_KEY");
  assert.equal(r.value.id, "76348799");
  const w = parseTelegram(fromHex(KAMSTRUP), { key: new Uint8Array(16) });
  assert.ok(!w.ok);
  assert.equal(w.error.code, "WRONG_KEY");
});

Deno.test("aesCmac() matches the RFC 4493 vectors", () => {
  const key = fromHex("2B7E151628AED2A6ABF7158809CF4F3C");
  assert.equal(
    toHex(aesCmac(key, new Uint8Array(0))),
    "bb1d6929e95937287fa37d129b756746",
  );
  assert.equal(
    toHex(aesCmac(key, fromHex("6BC1BEE22E409F96E93D7E117393172A"))),
    "070a16b46b4d4144f79bdd9dd04a287c",
  );
});

Deno.test("deriveKey() gives Kenc and Kmac of doc §9.4", () => {
  const mcr = fromHex("6C160100");
  const id = fromHex("33223322");
  assert.equal(
    toHex(deriveKey(MODE7_KEY, { dc: 0, mcr, id })),
    "03fe2e7e641a72a783592636a6c4d1c3",
  );
  assert.equal(
    toHex(deriveKey(MODE7_KEY, { dc: 1, mcr, id })),
    "40a435a7e56edeac38c3f27538906465",
  );
});

Deno.test("parseTelegram() checks the AFL MAC and decrypts mode 7 (doc §9.4)", () => {
  const r = parseTelegram(fromHex(MODE7), { key: MODE7_KEY });
  assert.ok(r.ok);
  const t = r.value;
  assert.equal(t.afl?.mcr, 0x0001166c);
  assert.equal(t.afl?.macOk, true);
  assert.equal(t.tpl?.securityMode, 7);
  assert.equal(t.tpl?.configExt, 0x10);
  assert.equal(
    toHex(t.payload),
    "2f2f0c138386000004fd17000000000a5a550002fd74ee114c1300020000426c3f3c84046d3b375f318c041374460000",
  );
  const bad = parseTelegram(fromHex(MODE7), { key: KAMSTRUP_KEY });
  assert.ok(!bad.ok);
  assert.equal(bad.error.code, "WRONG_KEY");
});

Deno.test("parseTelegram() reports TRUNCATED for a short header", () => {
  const r = parseTelegram(fromHex("2A442D2C9987"));
  assert.ok(!r.ok);
  assert.equal(r.error.code, "TRUNCATED");
});
