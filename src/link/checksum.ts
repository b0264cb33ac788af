/**
 * The link-layer checksum: the arithmetic sum of C, A, CI and data, modulo 256.
 *
 * @module
 */

/**
 * Sums bytes modulo 256.
 *
 * @param bytes The bytes (C to the last data byte).
 * @param start First index, default 0.
 * @param end Index after the last byte, default `bytes.length`.
 * @returns The checksum, 0..255.
 */
export function checksum(
  bytes: Uint8Array,
  start = 0,
  end = bytes.length,
): number {
  let sum = 0;
  const stop = Math.min(end, bytes.length);
  for (let i = Math.max(0, start); i < stop; i++) sum += bytes[i] ?? 0;
  return sum & 0xff;
}
