/**
 * AES-128 building blocks for wireless M-Bus security: CBC without padding (modes 5 and
 * 7), CTR (ELL), ECB, AES-CMAC (RFC 4493) and the OMS key derivation of mode 7 (doc §9.1),
 * all on `@noble/ciphers` (audited, pure TypeScript; `node:crypto` costs some 30 µs per
 * call under Deno). A key given as bytes is expanded per call; a {@link MeterKey} keeps
 * its schedules (one per configured meter, see `meter_key.ts`). Nothing is kept at module
 * level. The wrappers check sizes first so that misuse is a `RangeError` naming the
 * problem.
 *
 * @module
 */
import { cbc, ecb } from "@noble/ciphers/aes.js";
import { type KeyInput, meterKey } from "./meter_key.ts";

/** AES block size in bytes. */
export const AES_BLOCK = 16;

const ZERO_IV = new Uint8Array(AES_BLOCK);
const NO_PADDING = { disablePadding: true } as const;

function checkKey(key: KeyInput): void {
  if (key.length !== AES_BLOCK) {
    throw new RangeError(
      `Cannot use AES key: expected 16 bytes, got ${key.length}`,
    );
  }
}

function wholeBlocks(data: Uint8Array): void {
  if (data.length % AES_BLOCK !== 0) {
    throw new RangeError(
      `Cannot run AES-CBC/ECB: ${data.length} bytes is not whole blocks`,
    );
  }
}

function checkIv(iv: Uint8Array): Uint8Array {
  if (iv.length === AES_BLOCK) return iv;
  const out = new Uint8Array(AES_BLOCK);
  out.set(iv.length > AES_BLOCK ? iv.subarray(0, AES_BLOCK) : iv);
  return out;
}

/**
 * AES-128-CBC decryption without padding.
 *
 * @param key 16-byte key or a {@link MeterKey} (RangeError otherwise: misuse).
 * @param data Ciphertext, a multiple of 16 bytes (RangeError otherwise).
 * @param iv 16-byte IV; default zero.
 * @returns The plaintext.
 */
export function aesCbcDecrypt(
  key: KeyInput,
  data: Uint8Array,
  iv: Uint8Array = ZERO_IV,
): Uint8Array {
  checkKey(key);
  wholeBlocks(data);
  if (data.length === 0) return new Uint8Array(0);
  return meterKey(key).cbcDecrypt(data, checkIv(iv));
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
  checkKey(key);
  wholeBlocks(data);
  if (data.length === 0) return new Uint8Array(0);
  return cbc(key, checkIv(iv), NO_PADDING).encrypt(data);
}

/**
 * AES-128-CTR (its own inverse), counter block as a 128-bit big-endian integer.
 *
 * @param key 16-byte key or a {@link MeterKey}.
 * @param data Any length.
 * @param counter Initial 16-byte counter block (shorter is zero-filled on the right).
 * @returns `data` XOR keystream.
 */
export function aesCtr(
  key: KeyInput,
  data: Uint8Array,
  counter: Uint8Array,
): Uint8Array {
  checkKey(key);
  if (data.length === 0) return new Uint8Array(0);
  return meterKey(key).ctr(data, checkIv(counter));
}

/**
 * AES-128-ECB encryption of whole blocks.
 *
 * @param key 16-byte key.
 * @param data A multiple of 16 bytes.
 * @returns The encrypted blocks.
 */
export function aesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkKey(key);
  wholeBlocks(data);
  if (data.length === 0) return new Uint8Array(0);
  return ecb(key, NO_PADDING).encrypt(data);
}

/**
 * AES-CMAC (RFC 4493) of a message.
 *
 * @param key 16-byte key or a {@link MeterKey}.
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
export function aesCmac(key: KeyInput, message: Uint8Array): Uint8Array {
  checkKey(key);
  return meterKey(key).cmac(message);
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
 * @param key The meter key (bytes or a {@link MeterKey}).
 * @param options `dc` (direction constant), `mcr` and `id` (4 bytes each, as transmitted).
 * @returns The 16-byte derived key.
 */
export function deriveKey(
  key: KeyInput,
  options: { dc: number; mcr: Uint8Array; id: Uint8Array },
): Uint8Array {
  const input = new Uint8Array(AES_BLOCK).fill(0x07);
  input[0] = options.dc;
  input.set(options.mcr.subarray(0, 4), 1);
  input.set(options.id.subarray(0, 4), 5);
  return aesCmac(key, input);
}
