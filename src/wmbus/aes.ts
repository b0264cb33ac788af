/**
 * AES-128 building blocks for wireless M-Bus security: CBC (modes 5 and 7), CTR (ELL),
 * ECB, AES-CMAC (RFC 4493) and the OMS key derivation of mode 7 (doc §9.1). Thin wrappers
 * over `node:crypto` with padding off; CMAC is computed here as the last block of a
 * zero-IV CBC encryption of the prepared message.
 *
 * @module
 */
import { createCipheriv, createDecipheriv } from "node:crypto";

/** AES block size in bytes. */
export const AES_BLOCK = 16;

const ZERO_IV = new Uint8Array(AES_BLOCK);

function view(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function run(
  algorithm: string,
  decrypt: boolean,
  key: Uint8Array,
  iv: Uint8Array | null,
  data: Uint8Array,
): Uint8Array {
  if (key.length !== AES_BLOCK) {
    throw new RangeError(
      `Cannot use AES key: expected 16 bytes, got ${key.length}`,
    );
  }
  const cipher = decrypt
    ? createDecipheriv(algorithm, key, iv)
    : createCipheriv(algorithm, key, iv);
  cipher.setAutoPadding(false);
  const head = view(cipher.update(data));
  const tail = view(cipher.final());
  if (tail.length === 0) return head;
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

/**
 * AES-128-CBC decryption without padding.
 *
 * @param key 16-byte key (throws RangeError otherwise: misuse).
 * @param data Ciphertext, a multiple of 16 bytes.
 * @param iv 16-byte IV; default zero.
 * @returns The plaintext.
 */
export function aesCbcDecrypt(
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array = ZERO_IV,
): Uint8Array {
  return run("aes-128-cbc", true, key, iv, data);
}

/**
 * AES-128-CBC encryption without padding.
 *
 * @param key 16-byte key.
 * @param data Plaintext, a multiple of 16 bytes.
 * @param iv 16-byte IV; default zero.
 * @returns The ciphertext.
 */
export function aesCbcEncrypt(
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array = ZERO_IV,
): Uint8Array {
  return run("aes-128-cbc", false, key, iv, data);
}

/**
 * AES-128-CTR (its own inverse), counter block as a 128-bit big-endian integer.
 *
 * @param key 16-byte key.
 * @param data Any length.
 * @param counter Initial 16-byte counter block.
 * @returns `data` XOR keystream.
 */
export function aesCtr(
  key: Uint8Array,
  data: Uint8Array,
  counter: Uint8Array,
): Uint8Array {
  return run("aes-128-ctr", false, key, counter, data);
}

/**
 * AES-128-ECB encryption of whole blocks.
 *
 * @param key 16-byte key.
 * @param data A multiple of 16 bytes.
 * @returns The encrypted blocks.
 */
export function aesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  return run("aes-128-ecb", false, key, null, data);
}

function shiftLeft(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(AES_BLOCK);
  for (let i = 0; i < AES_BLOCK; i++) {
    out[i] = (((block[i] ?? 0) << 1) | ((block[i + 1] ?? 0) >> 7)) & 0xff;
  }
  if ((block[0] ?? 0) & 0x80) {
    out[AES_BLOCK - 1] = (out[AES_BLOCK - 1] ?? 0) ^ 0x87;
  }
  return out;
}

/**
 * AES-CMAC (RFC 4493) of a message.
 *
 * @param key 16-byte key.
 * @param message Any length (empty is one padded block).
 * @returns The 16-byte tag.
 *
 * @example
 * ```ts
 * import { fromHex, toHex } from "../util/mod.ts";
 * toHex(aesCmac(fromHex("2B7E151628AED2A6ABF7158809CF4F3C"), new Uint8Array(0)));
 * // "bb1d6929e95937287fa37d129b756746"
 * ```
 */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const l = aesEcbEncrypt(key, ZERO_IV);
  const k1 = shiftLeft(l);
  const blocks = Math.max(1, Math.ceil(message.length / AES_BLOCK));
  const complete = message.length > 0 && message.length % AES_BLOCK === 0;
  const padded = new Uint8Array(blocks * AES_BLOCK);
  padded.set(message);
  const subkey = complete ? k1 : shiftLeft(k1);
  if (!complete) padded[message.length] = 0x80;
  const last = (blocks - 1) * AES_BLOCK;
  for (let i = 0; i < AES_BLOCK; i++) {
    padded[last + i] = (padded[last + i] ?? 0) ^ (subkey[i] ?? 0);
  }
  return aesCbcEncrypt(key, padded).slice(last);
}

/** Direction constants (DC) of the OMS KDF (doc §9.1). */
export const KDF_CONSTANT = {
  /** Encryption key, meter to collector. */
  encMeterToCollector: 0x00,
  /** MAC key, meter to collector. */
  macMeterToCollector: 0x01,
  /** Encryption key, collector to meter. */
  encCollectorToMeter: 0x10,
  /** MAC key, collector to meter. */
  macCollectorToMeter: 0x11,
} as const;

/**
 * Derives an ephemeral mode-7 key: CMAC(K, DC || MCR || ID || 07×7).
 *
 * @param key The meter key.
 * @param options `dc` (direction constant), `mcr` and `id` (4 bytes each, as transmitted).
 * @returns The 16-byte derived key.
 */
export function deriveKey(
  key: Uint8Array,
  options: { dc: number; mcr: Uint8Array; id: Uint8Array },
): Uint8Array {
  const input = new Uint8Array(AES_BLOCK).fill(0x07);
  input[0] = options.dc;
  input.set(options.mcr.subarray(0, 4), 1);
  input.set(options.id.subarray(0, 4), 5);
  return aesCmac(key, input);
}
