/**
 * Manufacturer code (EN 13757-3 / FLAG): three letters packed in 15 bits, mbus-wired.md §3.2.1.
 *
 * @module
 */

const LETTERS = Array.from(
  { length: 32 },
  (_, i) => i >= 1 && i <= 26 ? String.fromCharCode(64 + i) : "@",
);

/**
 * Decodes a 16-bit manufacturer code to its three letters. Bit 15 is ignored (some
 * wireless meters set it); a 5-bit group outside 1..26 gives `@`.
 *
 * @param code The 16-bit value (as read LE from the wire).
 * @returns Three letters such as `"KAM"`.
 * @example
 * ```ts
 * decodeManufacturer(0x2c2d); // "KAM"
 * ```
 */
export function decodeManufacturer(code: number): string {
  return (LETTERS[(code >> 10) & 0x1f] ?? "@") +
    (LETTERS[(code >> 5) & 0x1f] ?? "@") + (LETTERS[code & 0x1f] ?? "@");
}

/**
 * Encodes three letters (A–Z, case-insensitive) as the 16-bit manufacturer code.
 *
 * @param letters Three letters such as `"KAM"`.
 * @returns The code, e.g. 0x2c2d.
 * @throws {RangeError} When `letters` is not three letters A–Z.
 * @example
 * ```ts
 * encodeManufacturer("KAM"); // 0x2c2d
 * ```
 */
export function encodeManufacturer(letters: string): number {
  const up = letters.toUpperCase();
  if (!/^[A-Z]{3}$/.test(up)) {
    throw new RangeError(
      `Cannot encode manufacturer "${letters}": expected three letters A-Z`,
    );
  }
  return ((up.charCodeAt(0) - 64) << 10) | ((up.charCodeAt(1) - 64) << 5) |
    (up.charCodeAt(2) - 64);
}
