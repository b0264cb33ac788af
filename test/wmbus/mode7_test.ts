import assert from "node:assert/strict";
import { fromHex, toHex } from "../../src/util/mod.ts";
import {
  aesCbcEncrypt,
  deriveKey,
  KDF_CONSTANT,
  mode7Mac,
  parseTelegram,
} from "../../src/wmbus/mod.ts";

const KEY = fromHex("0F0E0D0C0B0A09080706050403020100");
const PLAIN = fromHex("2F2F0413E80300002F2F2F2F2F2F2F2F");
const MCR = fromHex("01020304");

/**
 * Builds a mode 7 telegram with a long TPL header whose ID differs from the DLL ID, and an
 * AFL carrying MCL, MCR, ML and an 8-byte MAC (doc §6, §9).
 */
function build(): Uint8Array {
  const dll = fromHex("44A511111111110107"); // C, M (DME), ID 11111111, version, type
  const tplId = fromHex("78563412");
  const kenc = deriveKey(KEY, {
    dc: KDF_CONSTANT.encMeterToCollector,
    mcr: MCR,
    id: tplId,
  });
  const kmac = deriveKey(KEY, {
    dc: KDF_CONSTANT.macMeterToCollector,
    mcr: MCR,
    id: tplId,
  });
  // TPL long header: ID, M, version, type, ACC, STS, CFG 0x0710 (mode 7, 1 block), CFG-ext 0x10.
  const tpl = new Uint8Array([
    0x72,
    ...tplId,
    0xa5,
    0x11,
    0x01,
    0x07,
    0x2a,
    0x00,
    0x10,
    0x07,
    0x10,
  ]);
  const body = new Uint8Array([...tpl, ...aesCbcEncrypt(kenc, PLAIN)]);
  const mcl = 0x25; // AT 5 (8-byte CMAC), MCR present
  const ml = Uint8Array.of(body.length & 0xff, body.length >> 8);
  const mac = mode7Mac(kmac, new Uint8Array([mcl, ...MCR, ...ml]), body)
    .subarray(0, 8);
  // FCL: MCL, MCR, ML and MAC present = bits 13, 11, 12, 10.
  const fcl = (1 << 13) | (1 << 12) | (1 << 11) | (1 << 10);
  const aflFields = new Uint8Array([
    fcl & 0xff,
    fcl >> 8,
    mcl,
    ...MCR,
    ...mac,
    ...ml,
  ]);
  const afl = new Uint8Array([0x90, aflFields.length, ...aflFields]);
  const rest = new Uint8Array([...dll, ...afl, ...body]);
  return new Uint8Array([rest.length, ...rest]);
}

Deno.test("parseTelegram() derives mode 7 keys from the long header ID and checks a MAC over ML", () => {
  const r = parseTelegram(build(), { key: KEY, tryDefaultKeys: false });
  assert.ok(r.ok, r.ok ? "" : r.error.message);
  const t = r.value;
  assert.equal(t.afl?.macOk, true);
  assert.equal(t.afl?.ml, 30);
  assert.equal(t.id, "12345678");
  assert.equal(t.dll.id, "11111111");
  assert.equal(t.tpl?.encryptedBlocks, 1);
  assert.equal(toHex(t.payload), toHex(PLAIN));
});

Deno.test("parseTelegram() rejects the mode 7 telegram when ML is altered (MAC covers it)", () => {
  const bytes = build();
  const mlAt = 1 + 9 + 2 + 2 + 1 + 4 + 8; // after the 8-byte MAC
  bytes[mlAt] = (bytes[mlAt] ?? 0) ^ 1;
  const r = parseTelegram(bytes, { key: KEY, tryDefaultKeys: false });
  assert.ok(!r.ok);
  assert.equal(r.error.code, "WRONG_KEY");
});
