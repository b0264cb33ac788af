/**
 * DES (FIPS 46-3) with CBC without padding, for the deprecated TPL security modes 2 and 3
 * some water meters still send (8-byte key). `@noble/ciphers` has no DES, so the cipher
 * is written here from the standard's tables, bit by bit (speed does not matter: these
 * telegrams are rare). Checked against the standard's and FIPS 81's examples.
 *
 * @module
 */

/** DES block and key size in bytes. */
export const DES_BLOCK = 8;

// deno-fmt-ignore
const PC1 = [
  57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18,
  10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
  63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22,
  14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];
// deno-fmt-ignore
const PC2 = [
  14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10,
  23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
  41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48,
  44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];
const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];
// deno-fmt-ignore
const IP = [
  58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
  62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
  57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
  61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
];
// deno-fmt-ignore
const FP = [
  40, 8, 48, 16, 56, 24, 64, 32, 39, 7, 47, 15, 55, 23, 63, 31,
  38, 6, 46, 14, 54, 22, 62, 30, 37, 5, 45, 13, 53, 21, 61, 29,
  36, 4, 44, 12, 52, 20, 60, 28, 35, 3, 43, 11, 51, 19, 59, 27,
  34, 2, 42, 10, 50, 18, 58, 26, 33, 1, 41, 9, 49, 17, 57, 25,
];
// deno-fmt-ignore
const E = [
  32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13,
  12, 13, 14, 15, 16, 17, 16, 17, 18, 19, 20, 21, 20, 21, 22, 23, 24, 25,
  24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32, 1,
];
// deno-fmt-ignore
const P = [
  16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
  2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
];
// deno-fmt-ignore
const S = [
  [14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7,
   0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
   4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0,
   15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13],
  [15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10,
   3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
   0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15,
   13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9],
  [10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8,
   13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
   13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7,
   1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12],
  [7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15,
   13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
   10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4,
   3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14],
  [2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9,
   14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
   4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14,
   11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3],
  [12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11,
   10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
   9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6,
   4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13],
  [4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1,
   13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
   1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2,
   6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12],
  [13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7,
   1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
   7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8,
   2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11],
];

/** Bits (0/1), most significant first, of `bytes`. */
function bitsOf(bytes: Uint8Array, at: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(((bytes[at + (i >> 3)] ?? 0) >> (7 - (i & 7))) & 1);
  }
  return out;
}

function permute(bits: readonly number[], table: readonly number[]): number[] {
  return table.map((p) => bits[p - 1] ?? 0);
}

function rotate(half: number[], n: number): number[] {
  return [...half.slice(n), ...half.slice(0, n)];
}

/** The 16 round keys (48 bits each) of an 8-byte key. */
function roundKeys(key: Uint8Array): number[][] {
  const k = permute(bitsOf(key, 0, 64), PC1);
  let c = k.slice(0, 28);
  let d = k.slice(28);
  return SHIFTS.map((s) => {
    c = rotate(c, s);
    d = rotate(d, s);
    return permute([...c, ...d], PC2);
  });
}

function feistel(r: readonly number[], k: readonly number[]): number[] {
  const x = permute(r, E).map((b, i) => b ^ (k[i] ?? 0));
  const out: number[] = [];
  for (let s = 0; s < 8; s++) {
    const b = x.slice(6 * s, 6 * s + 6);
    const row = ((b[0] ?? 0) << 1) | (b[5] ?? 0);
    const col = ((b[1] ?? 0) << 3) | ((b[2] ?? 0) << 2) | ((b[3] ?? 0) << 1) |
      (b[4] ?? 0);
    const v = S[s]?.[row * 16 + col] ?? 0;
    out.push((v >> 3) & 1, (v >> 2) & 1, (v >> 1) & 1, v & 1);
  }
  return permute(out, P);
}

function block(
  keys: readonly (readonly number[])[],
  input: Uint8Array,
  at: number,
  out: Uint8Array,
  to: number,
): void {
  const b = permute(bitsOf(input, at, 64), IP);
  let l = b.slice(0, 32);
  let r = b.slice(32);
  for (const k of keys) {
    const f = feistel(r, k);
    const next = l.map((x, i) => x ^ (f[i] ?? 0));
    l = r;
    r = next;
  }
  const bits = permute([...r, ...l], FP);
  for (let i = 0; i < 8; i++) {
    let v = 0;
    for (let j = 0; j < 8; j++) v = (v << 1) | (bits[8 * i + j] ?? 0);
    out[to + i] = v;
  }
}

function check(key: Uint8Array, data: Uint8Array): void {
  if (key.length !== DES_BLOCK) {
    throw new RangeError(
      `Cannot use DES key: expected 8 bytes, got ${key.length}`,
    );
  }
  if (data.length % DES_BLOCK !== 0) {
    throw new RangeError(
      `Cannot run DES-CBC: ${data.length} bytes is not whole blocks`,
    );
  }
}

/**
 * DES-ECB encryption of one or more whole blocks.
 *
 * @param key 8-byte key (parity bits ignored).
 * @param data A multiple of 8 bytes.
 * @returns The ciphertext.
 * @example
 * ```ts
 * import { fromHex, toHex } from "../util/mod.ts";
 * toHex(desEcbEncrypt(fromHex("133457799BBCDFF1"), fromHex("0123456789ABCDEF")));
 * // "85e813540f0ab405"
 * ```
 */
export function desEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  check(key, data);
  const keys = roundKeys(key);
  const out = new Uint8Array(data.length);
  for (let at = 0; at < data.length; at += DES_BLOCK) {
    block(keys, data, at, out, at);
  }
  return out;
}

/**
 * DES-CBC encryption without padding.
 *
 * @param key 8-byte key.
 * @param data A multiple of 8 bytes.
 * @param iv 8-byte IV.
 * @returns The ciphertext.
 */
export function desCbcEncrypt(
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array,
): Uint8Array {
  check(key, data);
  const keys = roundKeys(key);
  const out = new Uint8Array(data.length);
  const x = new Uint8Array(DES_BLOCK);
  for (let at = 0; at < data.length; at += DES_BLOCK) {
    for (let i = 0; i < DES_BLOCK; i++) {
      x[i] = (data[at + i] ?? 0) ^
        ((at === 0 ? iv[i] : out[at - DES_BLOCK + i]) ?? 0);
    }
    block(keys, x, 0, out, at);
  }
  return out;
}

/**
 * DES-CBC decryption without padding.
 *
 * @param key 8-byte key.
 * @param data A multiple of 8 bytes.
 * @param iv 8-byte IV.
 * @returns The plaintext.
 */
export function desCbcDecrypt(
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array,
): Uint8Array {
  check(key, data);
  const keys = roundKeys(key).reverse();
  const out = new Uint8Array(data.length);
  for (let at = 0; at < data.length; at += DES_BLOCK) {
    block(keys, data, at, out, at);
    for (let i = 0; i < DES_BLOCK; i++) {
      out[at + i] = (out[at + i] ?? 0) ^
        ((at === 0 ? iv[i] : data[at - DES_BLOCK + i]) ?? 0);
    }
  }
  return out;
}
