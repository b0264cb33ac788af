/**
 * The secondary address of a virtual slave and how a select telegram's mask matches it
 * (EN 13757-3 slave selection, CI 0x52: F nibbles in the ID, `FF FF` manufacturer, `FF`
 * version and medium are wildcards).
 *
 * @module
 */
import { encodeManufacturer } from "../src/app/mod.ts";
import { encodeBcd, formatBcd, toHex } from "../src/util/mod.ts";

/** Who a virtual slave is on the bus. */
export interface SlaveIdentity {
  /** Identification number, 8 digits as printed; hex digits A–F are allowed. */
  id: string;
  /** Three upper-case manufacturer letters, e.g. `KAM`. */
  manufacturer: string;
  /** Version (generation) byte, 0..255. */
  version: number;
  /** Medium (device type) code, 0..255. */
  medium: number;
}

/**
 * The 8 bytes of a secondary address in header order: ID (BCD, LE), manufacturer (LE),
 * version, medium.
 *
 * @param identity The slave's identity.
 * @returns 8 bytes.
 * @throws {RangeError} When a field is out of range.
 */
export function encodeIdentity(identity: SlaveIdentity): Uint8Array {
  if (!/^[0-9A-Fa-f]{8}$/.test(identity.id)) {
    throw new RangeError(
      `Cannot encode secondary address: ID "${identity.id}" is not 8 hex digits`,
    );
  }
  for (
    const [name, v] of [["version", identity.version], [
      "medium",
      identity.medium,
    ]] as const
  ) {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) {
      throw new RangeError(
        `Cannot encode secondary address: ${name} ${v} is not a byte`,
      );
    }
  }
  const out = new Uint8Array(8);
  out.set(encodeBcd(identity.id, 4), 0);
  const man = encodeManufacturer(identity.manufacturer);
  out[4] = man & 0xff;
  out[5] = man >> 8;
  out[6] = identity.version;
  out[7] = identity.medium;
  return out;
}

/**
 * The 16-character text form used by libmbus and most tools: ID as printed, manufacturer
 * bytes in wire order, version, medium (`12345678 2D2C 01 04` without spaces).
 *
 * @param identity The slave's identity.
 * @returns E.g. `123456782D2C0104`.
 */
export function formatSecondaryAddress(identity: SlaveIdentity): string {
  const bytes = encodeIdentity(identity);
  return (formatBcd(bytes.subarray(0, 4)) + toHex(bytes.subarray(4)))
    .toUpperCase();
}

/**
 * Tells whether the 8 mask bytes of a select telegram match an encoded secondary address.
 *
 * @param mask The select data (at least 8 bytes; more, e.g. enhanced selection, are ignored).
 * @param address The slave's 8 encoded bytes ({@link encodeIdentity}).
 * @returns True when every field matches or is a wildcard.
 */
export function matchesSelectMask(
  mask: Uint8Array,
  address: Uint8Array,
): boolean {
  if (mask.length < 8 || address.length < 8) return false;
  for (let i = 0; i < 4; i++) {
    const m = mask[i] ?? 0;
    const a = address[i] ?? 0;
    if ((m >> 4) !== 0xf && (m >> 4) !== (a >> 4)) return false;
    if ((m & 0xf) !== 0xf && (m & 0xf) !== (a & 0xf)) return false;
  }
  const manWild = mask[4] === 0xff && mask[5] === 0xff;
  if (!manWild && (mask[4] !== address[4] || mask[5] !== address[5])) {
    return false;
  }
  if (mask[6] !== 0xff && mask[6] !== address[6]) return false;
  return mask[7] === 0xff || mask[7] === address[7];
}
