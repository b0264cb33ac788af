/**
 * Hexadecimal text to bytes and back.
 *
 * @module
 */
import { type DecodeResult, fail, ok } from "./decode_result.ts";

const HEX_DIGITS = "0123456789abcdef";
const BYTE_HEX: readonly string[] = Array.from(
  { length: 256 },
  (_, i) => HEX_DIGITS.charAt(i >> 4) + HEX_DIGITS.charAt(i & 0xf),
);

function nibble(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/**
 * Parses hexadecimal text; whitespace and line breaks are ignored, as are `0x` prefixes
 * before a byte, `:` and `_` separators.
 *
 * @param text Hex text such as `"68 03 03 68"`.
 * @returns The bytes, or `BAD_HEX` (a character that is not a hex digit, with its
 *   character offset) or `ODD_HEX` (an odd number of digits).
 */
export function parseHex(text: string): DecodeResult<Uint8Array> {
  const out = new Uint8Array(text.length >> 1);
  let count = 0;
  let high = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isSpace(code) || code === 0x3a || code === 0x5f) continue;
    if (
      code === 0x30 && high < 0 &&
      (text.charCodeAt(i + 1) | 0x20) === 0x78
    ) {
      i++;
      continue;
    }
    const n = nibble(code);
    if (n < 0) {
      return fail(
        "BAD_HEX",
        i,
        `Cannot parse hex: "${
          text.charAt(i)
        }" at character ${i} is not a hex digit`,
      );
    }
    if (high < 0) high = n;
    else {
      out[count++] = (high << 4) | n;
      high = -1;
    }
  }
  if (high >= 0) {
    return fail(
      "ODD_HEX",
      text.length,
      `Cannot parse hex: odd number of hex digits (${count * 2 + 1})`,
    );
  }
  return ok(out.slice(0, count));
}

/**
 * Parses hexadecimal text or throws; for tests and literals in code.
 *
 * @param text Hex text; whitespace ignored.
 * @returns The bytes.
 * @throws {SyntaxError} On a non-hex character or an odd digit count.
 */
export function fromHex(text: string): Uint8Array {
  const r = parseHex(text);
  if (!r.ok) throw new SyntaxError(r.error.message);
  return r.value;
}

/**
 * Formats bytes as lowercase hex.
 *
 * @param bytes The bytes.
 * @param separator Put between bytes; default none.
 * @returns Hex text such as `"6803"`.
 */
export function toHex(bytes: Uint8Array, separator = ""): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0 && separator) s += separator;
    s += BYTE_HEX[bytes[i] ?? 0];
  }
  return s;
}

/**
 * Formats one byte as two lowercase hex digits.
 *
 * @param byte 0..255.
 * @returns Two hex digits.
 */
export function byteHex(byte: number): string {
  return BYTE_HEX[byte & 0xff] ?? "00";
}
