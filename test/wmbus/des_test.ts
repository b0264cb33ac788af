import assert from "node:assert/strict";
import { fromHex, toHex } from "../../src/util/mod.ts";
import {
  desCbcDecrypt,
  desCbcEncrypt,
  desEcbEncrypt,
} from "../../src/wmbus/des.ts";

Deno.test("desEcbEncrypt() matches the classic FIPS 46 worked example", () => {
  assert.equal(
    toHex(
      desEcbEncrypt(fromHex("133457799BBCDFF1"), fromHex("0123456789ABCDEF")),
    ).toLowerCase(),
    "85e813540f0ab405",
  );
});

Deno.test("desEcbEncrypt() matches the NBS variable-plaintext known-answer vectors", () => {
  // Key 0101010101010101 (all parity bits), plaintext a single set bit.
  const key = fromHex("0101010101010101");
  for (
    const [plain, cipher] of [
      ["8000000000000000", "95f8a5e5dd31d900"],
      ["4000000000000000", "dd7f121ca5015619"],
      ["0000000000000001", "166b40b44aba4bd6"],
    ] as const
  ) {
    assert.equal(
      toHex(desEcbEncrypt(key, fromHex(plain))).toLowerCase(),
      cipher,
    );
  }
});

Deno.test("desCbcEncrypt() matches the FIPS 81 CBC example and decrypts back", () => {
  const key = fromHex("0123456789ABCDEF");
  const iv = fromHex("1234567890ABCDEF");
  const plain = new TextEncoder().encode("Now is the time for all ");
  const cipher = desCbcEncrypt(key, plain, iv);
  assert.equal(
    toHex(cipher).toLowerCase(),
    "e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6",
  );
  assert.deepEqual(desCbcDecrypt(key, cipher, iv), plain);
});

Deno.test("DES refuses a wrong key size or partial blocks with RangeError", () => {
  assert.throws(
    () => desEcbEncrypt(new Uint8Array(16), new Uint8Array(8)),
    RangeError,
  );
  assert.throws(
    () =>
      desCbcDecrypt(new Uint8Array(8), new Uint8Array(7), new Uint8Array(8)),
    RangeError,
  );
});
