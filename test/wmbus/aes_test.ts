import assert from "node:assert/strict";
import { createCipheriv, createDecipheriv } from "node:crypto";
import { fromHex, toHex } from "../../src/util/mod.ts";
import {
  aesCbcDecrypt,
  aesCbcEncrypt,
  aesCtr,
  aesEcbEncrypt,
} from "../../src/wmbus/mod.ts";

function reference(
  algorithm: string,
  decrypt: boolean,
  key: Uint8Array,
  iv: Uint8Array | null,
  data: Uint8Array,
): string {
  const c = decrypt
    ? createDecipheriv(algorithm, key, iv)
    : createCipheriv(algorithm, key, iv);
  c.setAutoPadding(false);
  return toHex(new Uint8Array([...c.update(data), ...c.final()]));
}

function random(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

Deno.test("aesEcbEncrypt() matches the FIPS-197 AES-128 example", () => {
  const key = fromHex("000102030405060708090a0b0c0d0e0f");
  assert.equal(
    toHex(aesEcbEncrypt(key, fromHex("00112233445566778899aabbccddeeff"))),
    "69c4e0d86a7b0430d8cdb78070b4c55a",
  );
});

Deno.test("AES-128 ECB, CBC and CTR match node:crypto on random inputs", () => {
  for (let i = 0; i < 200; i++) {
    const key = random(16, i);
    const iv = random(16, i + 1000);
    const blocks = random(16 * (1 + (i % 7)), i + 2000);
    const odd = random(1 + (i % 70), i + 3000);
    assert.equal(
      toHex(aesEcbEncrypt(key, blocks)),
      reference("aes-128-ecb", false, key, null, blocks),
    );
    assert.equal(
      toHex(aesCbcEncrypt(key, blocks, iv)),
      reference("aes-128-cbc", false, key, iv, blocks),
    );
    assert.equal(
      toHex(aesCbcDecrypt(key, blocks, iv)),
      reference("aes-128-cbc", true, key, iv, blocks),
    );
    assert.equal(
      toHex(aesCtr(key, odd, iv)),
      reference("aes-128-ctr", false, key, iv, odd),
    );
  }
});

Deno.test("aesCtr() carries the counter across bytes (big-endian 128-bit)", () => {
  const key = random(16, 7);
  const iv = fromHex("00000000000000000000000000ffffff".padStart(32, "f"));
  const data = random(64, 8);
  assert.equal(
    toHex(aesCtr(key, data, iv)),
    reference("aes-128-ctr", false, key, iv, data),
  );
});

Deno.test("AES helpers refuse bad key and block sizes with RangeError", () => {
  assert.throws(
    () => aesEcbEncrypt(new Uint8Array(15), new Uint8Array(16)),
    RangeError,
  );
  assert.throws(
    () => aesCbcDecrypt(new Uint8Array(16), new Uint8Array(15)),
    RangeError,
  );
});
