import assert from "node:assert/strict";
import { createCipheriv } from "node:crypto";
import { aesCbcDecrypt, aesCbcEncrypt, aesCtr } from "../../src/wmbus/aes.ts";

function nodeCbc(key: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv("aes-128-cbc", key, new Uint8Array(16));
  c.setAutoPadding(false);
  const a = c.update(data);
  const b = c.final();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const DATA = Uint8Array.from({ length: 32 }, (_, i) => i * 7);

Deno.test("AES: a key array changed in place is used as changed", () => {
  const key = new Uint8Array(16).fill(1);
  assert.deepEqual(aesCbcEncrypt(key, DATA), nodeCbc(key, DATA));
  key[15] = 2;
  assert.deepEqual(aesCbcEncrypt(key, DATA), nodeCbc(key, DATA));
  key.fill(1);
  assert.deepEqual(aesCbcEncrypt(key, DATA), nodeCbc(key, DATA));
});

Deno.test("AES: a hundred keys in turn, twice, match node:crypto", () => {
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 100; i++) {
      const key = Uint8Array.from(
        { length: 16 },
        (_, j) => (i * 31 + j) & 0xff,
      );
      const cipher = aesCbcEncrypt(key, DATA);
      assert.deepEqual(cipher, nodeCbc(key, DATA));
      assert.deepEqual(aesCbcDecrypt(key, cipher), DATA);
      const ctr = new Uint8Array(16).fill(i);
      assert.deepEqual(aesCtr(key, aesCtr(key, DATA, ctr), ctr), DATA);
    }
  }
});
