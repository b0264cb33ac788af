/**
 * The wireless M-Bus CRC of EN 13757-4: 16 bits, polynomial 0x3D65, initial value 0, not
 * reflected, final XOR 0xFFFF (check value 0xC2B7 for "123456789"). The same algorithm
 * guards the DLL blocks, the ELL payload and the compact-frame signatures.
 *
 * @module
 */

const POLYNOMIAL = 0x3d65;

const TABLE: Uint16Array = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000
        ? ((crc << 1) ^ POLYNOMIAL) & 0xffff
        : (crc << 1) & 0xffff;
    }
    table[i] = crc;
  }
  return table;
}

/**
 * Computes the EN 13757-4 CRC of `bytes[start..end)`.
 *
 * @param bytes The bytes.
 * @param start First byte; default 0.
 * @param end One past the last byte; default `bytes.length`.
 * @returns The 16-bit CRC (final XOR applied).
 *
 * @example
 * ```ts
 * crcWmbus(new TextEncoder().encode("123456789")); // 0xc2b7
 * ```
 */
export function crcWmbus(
  bytes: Uint8Array,
  start = 0,
  end: number = bytes.length,
): number {
  let crc = 0;
  const stop = Math.min(end, bytes.length);
  for (let i = Math.max(0, start); i < stop; i++) {
    crc = ((crc << 8) & 0xffff) ^
      (TABLE[((crc >> 8) ^ (bytes[i] ?? 0)) & 0xff] ?? 0);
  }
  return crc ^ 0xffff;
}
