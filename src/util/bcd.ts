/**
 * Binary-coded decimal as used by M-Bus (EN 13757-3 type A): little-endian, two digits
 * per byte, the least significant byte first.
 *
 * @module
 */

const DIGITS = "0123456789ABCDEF";

/**
 * Formats BCD bytes as their digit string, most significant digit first. Nibbles A–F are
 * kept as letters (some meters have hex digits in their identification number).
 *
 * @param bytes BCD bytes, least significant byte first.
 * @param at Offset of the first byte (default 0).
 * @param length Byte count (default: to the end).
 * @returns Digits such as `"12345678"`.
 */
export function formatBcd(
  bytes: Uint8Array,
  at = 0,
  length = bytes.length - at,
): string {
  let s = "";
  for (let i = at + length - 1; i >= at; i--) {
    const b = bytes[i] ?? 0;
    s += DIGITS.charAt(b >> 4) + DIGITS.charAt(b & 0xf);
  }
  return s;
}

/**
 * Encodes a digit string (0-9 and A-F, most significant first) as BCD bytes, least
 * significant byte first; left-padded with zeros to `length` bytes.
 *
 * @param digits Digits such as `"12345678"`.
 * @param length Output length in bytes.
 * @returns The BCD bytes.
 * @throws {RangeError} When the digits do not fit or hold a non-hex character.
 */
export function encodeBcd(digits: string, length: number): Uint8Array {
  if (digits.length > length * 2) {
    throw new RangeError(
      `Cannot encode BCD: "${digits}" does not fit in ${length} bytes`,
    );
  }
  const padded = digits.toUpperCase().padStart(length * 2, "0");
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const hi = DIGITS.indexOf(padded.charAt(padded.length - 2 - 2 * i));
    const lo = DIGITS.indexOf(padded.charAt(padded.length - 1 - 2 * i));
    if (hi < 0 || lo < 0) {
      throw new RangeError(`Cannot encode BCD: "${digits}" is not hex digits`);
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/**
 * Decodes BCD bytes as a number. A top nibble of F marks a negative value (EN 13757-3
 * type A as meters use it); other nibbles above 9 make the value invalid.
 *
 * @param bytes BCD bytes, least significant byte first.
 * @param at Offset of the first byte (default 0).
 * @param length Byte count (default: to the end).
 * @returns The value, or `undefined` when a digit is not decimal.
 */
export function decodeBcdNumber(
  bytes: Uint8Array,
  at = 0,
  length = bytes.length - at,
): number | undefined {
  let value = 0;
  let negative = false;
  const last = at + length - 1;
  for (let i = last; i >= at; i--) {
    const b = bytes[i] ?? 0;
    let hi = b >> 4;
    const lo = b & 0xf;
    if (i === last && hi === 0xf) {
      negative = true;
      hi = 0;
    }
    if (hi > 9 || lo > 9) return undefined;
    value = value * 100 + hi * 10 + lo;
  }
  return negative ? -value : value;
}

/**
 * Encodes a number as BCD; a negative value sets the top nibble to F.
 *
 * @param value Integer value.
 * @param length Output length in bytes.
 * @returns The BCD bytes.
 * @throws {RangeError} When the value does not fit.
 */
export function encodeBcdNumber(value: number, length: number): Uint8Array {
  const negative = value < 0;
  const digits = Math.abs(Math.trunc(value)).toString();
  const max = negative ? length * 2 - 1 : length * 2;
  if (digits.length > max) {
    throw new RangeError(
      `Cannot encode BCD: ${value} does not fit in ${length} bytes`,
    );
  }
  const out = encodeBcd(digits, length);
  if (negative) out[length - 1] = (out[length - 1] ?? 0) | 0xf0;
  return out;
}
