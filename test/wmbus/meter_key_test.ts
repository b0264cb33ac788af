import assert from "node:assert/strict";
import { cbc, cmac, ctr } from "@noble/ciphers/aes.js";
import { fromHex, toHex } from "../../src/util/mod.ts";
import {
  encryptEllTelegram,
  encryptMode5Telegram,
  MeterKey,
  parseTelegram,
  WmbusMeterDecoder,
} from "../../src/wmbus/mod.ts";
import { encodeWirelessTelegram } from "../../sim/mod.ts";

/** A deterministic byte source (xorshift), so a failure can be replayed. */
function bytes(seed: number, n: number): Uint8Array {
  let x = seed | 1;
  return Uint8Array.from({ length: n }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
}

Deno.test("MeterKey: CBC decryption, CTR and CMAC match noble's own modes for 200 keys and lengths", () => {
  for (let i = 0; i < 200; i++) {
    const raw = bytes(i + 1, 16);
    const key = new MeterKey(raw);
    const iv = bytes(i + 1000, 16);
    const blocks = bytes(i + 2000, 16 * (i % 9));
    const odd = bytes(i + 3000, i % 70);
    // Twice each: the kept schedules give the same answers as fresh ones.
    for (let round = 0; round < 2; round++) {
      assert.deepEqual(
        key.cbcDecrypt(blocks, iv),
        cbc(raw, iv, { disablePadding: true }).decrypt(blocks),
      );
      assert.deepEqual(key.ctr(odd, iv), ctr(raw, iv).encrypt(odd));
      assert.deepEqual(key.cmac(odd), cmac(odd, raw));
    }
  }
});

Deno.test("MeterKey: CTR carries the counter across all 16 bytes", () => {
  const raw = bytes(7, 16);
  const counter = new Uint8Array(16).fill(0xff);
  counter[0] = 0x12;
  const data = bytes(8, 16 * 3 + 5);
  assert.deepEqual(
    new MeterKey(raw).ctr(data, counter),
    ctr(raw, counter).encrypt(data),
  );
  assert.equal(counter[15], 0xff, "the caller's counter is left alone");
});

Deno.test("MeterKey: RFC 4493 test vectors", () => {
  const key = new MeterKey(fromHex("2B7E151628AED2A6ABF7158809CF4F3C"));
  const m = fromHex(
    "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710",
  );
  assert.equal(
    toHex(key.cmac(m.subarray(0, 0))),
    "bb1d6929e95937287fa37d129b756746",
  );
  assert.equal(
    toHex(key.cmac(m.subarray(0, 16))),
    "070a16b46b4d4144f79bdd9dd04a287c",
  );
  assert.equal(
    toHex(key.cmac(m.subarray(0, 40))),
    "dfa66747de9ae63030ca32611497c827",
  );
  assert.equal(toHex(key.cmac(m)), "51f0bebf7e3b9d92fc49741779363cfe");
});

Deno.test("MeterKey: keeps its own copy of the bytes; a DES key is refused for AES", () => {
  const raw = bytes(3, 16);
  const key = new MeterKey(raw);
  const before = key.cmac(new Uint8Array(5));
  raw.fill(0);
  assert.deepEqual(key.cmac(new Uint8Array(5)), before);
  assert.deepEqual(key.bytes, bytes(3, 16));
  assert.throws(
    () => new MeterKey(new Uint8Array(8)).cbcDecrypt(new Uint8Array(16), raw),
    /expected 16 bytes, got 8/,
  );
});

const PLAIN = encodeWirelessTelegram(
  { id: "31000077", manufacturer: "ITW", version: 0, medium: 7 },
  [{ vif: "13", dataType: "int32", raw: 5000 }],
  7,
);

Deno.test("MeterKey: a telegram decrypts alike with bytes and a kept key (mode 5 and ELL); a wrong key is WRONG_KEY", () => {
  const raw = bytes(11, 16);
  const key = new MeterKey(raw);
  const wrong = new MeterKey(bytes(12, 16));
  for (const secret of [encryptMode5Telegram(PLAIN, raw)]) {
    const a = parseTelegram(secret, { key: raw });
    const b = parseTelegram(secret, { key });
    const c = parseTelegram(secret, { key });
    assert.ok(a.ok && b.ok && c.ok);
    assert.deepEqual(b.value.payload, a.value.payload);
    assert.deepEqual(c.value.payload, a.value.payload);
    assert.equal(b.value.decrypted, true);
    const w = parseTelegram(secret, { key: wrong });
    assert.equal(w.ok ? "ok" : w.error.code, "WRONG_KEY");
  }
  const ellPlain = fromHex(
    "0044AE4C99563412680 78D20000000000000007804 13E8030000".replaceAll(
      " ",
      "",
    ),
  );
  ellPlain[0] = ellPlain.length - 1;
  const ell = encryptEllTelegram(ellPlain, raw);
  const a = parseTelegram(ell, { key: raw });
  const b = parseTelegram(ell, { key });
  assert.ok(a.ok && b.ok);
  assert.equal(b.value.decrypted, true);
  assert.deepEqual(
    b.value.payload,
    Uint8Array.of(0x04, 0x13, 0xe8, 0x03, 0, 0),
  );
  assert.deepEqual(b.value.payload, a.value.payload);
  const w = parseTelegram(ell, { key: wrong });
  assert.ok(!w.ok || !w.value.decrypted);
});

Deno.test("WmbusMeterDecoder: two meters with their own kept keys never share state; a swapped key takes effect on the next telegram", () => {
  const rawA = bytes(21, 16);
  const rawB = bytes(22, 16);
  const keyA = new MeterKey(rawA);
  const keyB = new MeterKey(rawB);
  const plainB = PLAIN.slice();
  plainB.set([0x78, 0x00, 0x00, 0x31], 4); // ID 31000078
  const secretA = encryptMode5Telegram(PLAIN, rawA);
  const secretB = encryptMode5Telegram(plainB, rawB);
  const keys = new Map([["31000077", keyA], ["31000078", keyB]]);
  const decoder = new WmbusMeterDecoder({
    driver: "generic",
    settings: (id) => {
      const key = keys.get(id);
      return key ? { key } : undefined;
    },
  });
  const kind = (t: Uint8Array) => {
    const o = decoder.decode(t);
    return o.kind === "failed" ? o.error.code : o.kind;
  };
  for (let i = 0; i < 3; i++) {
    assert.equal(kind(secretA), "decoded");
    assert.equal(kind(secretB), "decoded");
  }
  keys.set("31000077", keyB);
  keys.set("31000078", keyA);
  assert.equal(kind(secretA), "WRONG_KEY");
  assert.equal(kind(secretB), "WRONG_KEY");
  keys.set("31000077", new MeterKey(rawA));
  assert.equal(kind(secretA), "decoded");
  assert.equal(kind(secretB), "WRONG_KEY");
});
