/**
 * Manufacturer-specific security the drivers need, kept in the security layer so that
 * drivers only read records: Diehl PRIOS LFSR descrambling (doc §13.2) and the Apator
 * NA-1 AES block (AES-128-CBC under the zero key, mode 5 IV from the DLL address and the
 * payload's first byte).
 *
 * @module
 */
import { aesCbcDecrypt } from "./aes.ts";
import { mode5Iv } from "./security.ts";

const PRIOS_CHECK = 0x4b;
const SCRAMBLED_START = 15;

function be32(b: Uint8Array, at: number): number {
  return (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) |
    ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;
}

/**
 * XORs the bytes from offset 15 with the PRIOS LFSR key stream (seeded from the key and
 * telegram bytes 2–13); applying it twice gives the input back.
 *
 * @param raw The telegram from the L field, as transmitted (not address-swapped).
 * @param key The 8-byte PRIOS key.
 * @returns The bytes from offset 15 XORed with the key stream (empty when too short).
 */
export function priosXor(raw: Uint8Array, key: Uint8Array): Uint8Array {
  if (raw.length <= SCRAMBLED_START || key.length < 8) return new Uint8Array(0);
  let reg = (be32(key, 0) ^ be32(key, 4) ^ be32(raw, 2) ^ be32(raw, 6) ^
    be32(raw, 10)) >>> 0;
  const out = new Uint8Array(raw.length - SCRAMBLED_START);
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < 8; j++) {
      const bit = ((reg >>> 1) ^ (reg >>> 2) ^ (reg >>> 11) ^ (reg >>> 31)) & 1;
      reg = ((reg << 1) | bit) >>> 0;
    }
    out[i] = (raw[SCRAMBLED_START + i] ?? 0) ^ (reg & 0xff);
  }
  return out;
}

/**
 * Descrambles a PRIOS telegram with one 8-byte key.
 *
 * @param raw The telegram from the L field, as transmitted (not address-swapped).
 * @param key The 8-byte PRIOS key.
 * @returns The plain bytes (first byte `4B`), or null when the check fails.
 */
export function descramblePrios(
  raw: Uint8Array,
  key: Uint8Array,
): Uint8Array | null {
  const out = priosXor(raw, key);
  return out[0] === PRIOS_CHECK ? out : null;
}

/**
 * Decrypts the 16-byte AES block of an Apator NA-1 payload (bytes 2..17, AES-CBC under
 * the meter's key, the mode 5 IV from the link-layer address and payload byte 0).
 *
 * @param payload The payload after the CI (at least 18 bytes: IV byte, one more, block).
 * @param raw The telegram from the L field (DLL address at bytes 2–9).
 * @param key The meter's 16-byte key.
 * @returns The plain block, or null when the payload is too short or the key not 16 bytes.
 */
export function decryptApatorNa1(
  payload: Uint8Array,
  raw: Uint8Array,
  key: Uint8Array,
): Uint8Array | null {
  if (payload.length < 18 || raw.length < 10 || key.length !== 16) return null;
  const iv = mode5Iv(raw.subarray(2, 10), payload[0] ?? 0);
  return aesCbcDecrypt(key, payload.subarray(2, 18), iv);
}

/** CFG bit 12 (security mode ≥ 16): Diehl "real data", LFSR-scrambled (doc §13.2). */
const REAL_DATA_CFG_BIT = 0x10;

/**
 * Descrambles a Diehl "real data" telegram (C 44/46, CI 7A, CFG bit 12 set) with one
 * 8-byte key: the PRIOS key stream from offset 15, checked by the sum of the plain bytes
 * (AND 0xEF) against byte 14 (the CFG's high byte, AND 0xEF).
 *
 * @param raw The telegram from the L field, as transmitted (not address-swapped).
 * @param key An 8-byte key (a longer one is used by its first 8 bytes).
 * @returns The plain bytes from offset 15 (the records), or null when the check fails.
 */
export function descrambleRealData(
  raw: Uint8Array,
  key: Uint8Array,
): Uint8Array | null {
  if (((raw[14] ?? 0) & REAL_DATA_CFG_BIT) === 0) return null;
  const out = priosXor(raw, key);
  if (out.length === 0) return null;
  let sum = 0;
  for (const b of out) sum += b;
  return (sum & 0xef) === ((raw[14] ?? 0) & 0xef) ? out : null;
}
