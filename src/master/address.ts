/**
 * Meter addresses as text and as wire bytes: primary addresses, secondary addresses
 * (ID, manufacturer, version, medium) and secondary selection masks with `F` wildcards
 * (EN 13757-3 slave selection, mbus-wired.md §4.3.1).
 *
 * @module
 */
import { AddressError, byteHex, encodeBcd, formatBcd } from "../util/mod.ts";

/** A secondary address: the first 8 bytes of a long header. */
export interface SecondaryAddress {
  /** Identification number, 8 BCD digits (A–F kept), most significant first; `F` = any. */
  id: string;
  /** Manufacturer, 3 letters (e.g. `EFE`); the empty string means any (`FF FF`). */
  manufacturer: string;
  /** Version (generation), 0–255; 255 means any in a selection. */
  version: number;
  /** Medium (device type), 0–255; 255 means any in a selection. */
  medium: number;
}

/** How a meter is addressed: by primary address or by secondary address (select, then 253). */
export type MeterAddress =
  | { kind: "primary"; address: number }
  | { kind: "secondary"; secondary: SecondaryAddress };

/**
 * A secondary selection mask as sent in a select telegram (CI `52`). ID nibbles and
 * whole bytes set to `F`/`FF` are wildcards.
 */
export interface SecondaryMask {
  /** 8 upper-case hex characters, most significant digit first; `F` = any digit. */
  readonly id: string;
  /** Manufacturer code as the 16-bit little-endian wire value; `0xffff` = any. */
  readonly manufacturer: number;
  /** Version byte; `0xff` = any. */
  readonly version: number;
  /** Medium byte; `0xff` = any. */
  readonly medium: number;
}

/** The all-wildcard mask `FFFFFFFFFFFFFFFF`. */
export const ANY_MASK: SecondaryMask = Object.freeze({
  id: "FFFFFFFF",
  manufacturer: 0xffff,
  version: 0xff,
  medium: 0xff,
});

const HEX16 = /^[0-9A-Fa-f]{16}$/;
const HEX8 = /^[0-9A-Fa-f]{8}$/;
const DECIMAL = /^[0-9]{1,3}$/;

/**
 * Packs a 3-letter manufacturer into its 15-bit code (EN 13757-3 / EN 62056-21 flag).
 * Unlike the app layer's codec it is lossless for every code below 0x8000 (letters `@`–`_`)
 * and maps the selection wildcard, so any address read from a header formats back to
 * the same 16 hex digits.
 *
 * @param letters Three characters `@`–`_` (normally A–Z); "" = any (`0xffff`).
 * @returns The code.
 */
export function manufacturerCode(letters: string): number {
  if (letters === "") return 0xffff;
  let code = 0;
  for (const ch of letters.toUpperCase().padEnd(3, "@").slice(0, 3)) {
    code = (code << 5) | ((ch.charCodeAt(0) - 64) & 0x1f);
  }
  return code;
}

/**
 * Unpacks a manufacturer code into 3 letters.
 *
 * @param code 16-bit code as read little-endian from the wire.
 * @returns Three letters, or "" for the wildcard `0xffff`.
 */
export function manufacturerLetters(code: number): string {
  if (code === 0xffff) return "";
  return String.fromCharCode(
    64 + ((code >> 10) & 0x1f),
    64 + ((code >> 5) & 0x1f),
    64 + (code & 0x1f),
  );
}

/**
 * Parses a 16-hex mask such as `12345678FFFFFFFF`, `FFFFFFFF4D25FFFF` or
 * `FFFFFFFFFFFFFF07` (libmbus order: ID as printed, manufacturer bytes in wire order,
 * version, medium). An 8-character text is an ID mask with the rest wild.
 *
 * @param text The mask text.
 * @returns The mask.
 * @throws {AddressError} `BAD_MASK` when the text is not 8 or 16 hex characters.
 */
export function parseSecondaryMask(text: string): SecondaryMask {
  const t = text.trim();
  if (HEX8.test(t)) return { ...ANY_MASK, id: t.toUpperCase() };
  if (!HEX16.test(t)) {
    throw new AddressError(
      "BAD_MASK",
      text,
      `Cannot parse secondary mask "${text}": expected 16 hex digits (ID, manufacturer, version, medium)`,
    );
  }
  const u = t.toUpperCase();
  const manLo = parseInt(u.slice(8, 10), 16);
  const manHi = parseInt(u.slice(10, 12), 16);
  return {
    id: u.slice(0, 8),
    manufacturer: manLo | (manHi << 8),
    version: parseInt(u.slice(12, 14), 16),
    medium: parseInt(u.slice(14, 16), 16),
  };
}

/**
 * Formats a mask as 16 upper-case hex digits (the form {@link parseSecondaryMask} reads).
 *
 * @param mask The mask.
 * @returns E.g. `12345678FFFFFFFF`.
 */
export function formatSecondaryMask(mask: SecondaryMask): string {
  return mask.id + byteHex(mask.manufacturer & 0xff).toUpperCase() +
    byteHex(mask.manufacturer >> 8).toUpperCase() +
    byteHex(mask.version).toUpperCase() + byteHex(mask.medium).toUpperCase();
}

/**
 * Builds the 8 data bytes of a select telegram (CI `52`) from a mask.
 *
 * @param mask The mask.
 * @returns ID (BCD, LE), manufacturer (LE), version, medium.
 */
export function encodeSelectData(mask: SecondaryMask): Uint8Array {
  const out = new Uint8Array(8);
  out.set(encodeBcd(mask.id, 4), 0);
  out[4] = mask.manufacturer & 0xff;
  out[5] = (mask.manufacturer >> 8) & 0xff;
  out[6] = mask.version & 0xff;
  out[7] = mask.medium & 0xff;
  return out;
}

/**
 * Reads a secondary address from the first 8 bytes of a long header.
 *
 * @param bytes At least 8 bytes: ID (BCD, LE), manufacturer (LE), version, medium.
 * @returns The address (missing bytes read as 0).
 */
export function decodeSecondaryAddress(bytes: Uint8Array): SecondaryAddress {
  return {
    id: formatBcd(bytes.subarray(0, 4)).padStart(8, "0"),
    manufacturer: manufacturerLetters(
      (bytes[4] ?? 0) | ((bytes[5] ?? 0) << 8),
    ),
    version: bytes[6] ?? 0,
    medium: bytes[7] ?? 0,
  };
}

/**
 * The mask that selects exactly this address (wildcards where the address has them).
 *
 * @param address The secondary address.
 * @returns Its mask.
 */
export function secondaryMask(address: SecondaryAddress): SecondaryMask {
  return {
    id: address.id.toUpperCase(),
    manufacturer: manufacturerCode(address.manufacturer),
    version: address.version,
    medium: address.medium,
  };
}

/**
 * Formats a secondary address as 16 hex digits in libmbus order (ID, manufacturer bytes
 * in wire order, version, medium), e.g. `04990254C5140006`.
 *
 * @param address The address.
 * @returns 16 upper-case hex digits.
 */
export function formatSecondaryAddress(address: SecondaryAddress): string {
  return formatSecondaryMask(secondaryMask(address));
}

/**
 * Parses a meter address: a decimal primary address 0–250 (`5`), an 8-digit ID
 * (`12345678`, any manufacturer, version and medium) or 16 hex digits in libmbus order.
 *
 * @param text The address text.
 * @returns The address.
 * @throws {AddressError} `BAD_ADDRESS` for anything else.
 */
export function parseMeterAddress(text: string): MeterAddress {
  const t = text.trim();
  if (DECIMAL.test(t)) {
    const address = Number(t);
    if (address <= 250) return { kind: "primary", address };
    throw new AddressError(
      "BAD_ADDRESS",
      text,
      `Cannot use primary address ${address}: expected 0 to 250`,
    );
  }
  if (HEX8.test(t) || HEX16.test(t)) {
    const mask = parseSecondaryMask(t);
    if (mask.manufacturer !== 0xffff && mask.manufacturer >= 0x8000) {
      throw new AddressError(
        "BAD_ADDRESS",
        text,
        `Cannot parse secondary address "${text}": manufacturer bytes are not a 3-letter code`,
      );
    }
    return {
      kind: "secondary",
      secondary: {
        id: mask.id,
        manufacturer: manufacturerLetters(mask.manufacturer),
        version: mask.version,
        medium: mask.medium,
      },
    };
  }
  throw new AddressError(
    "BAD_ADDRESS",
    text,
    `Cannot parse meter address "${text}": expected a primary address 0 to 250, an 8-digit ID or 16 hex digits`,
  );
}

/**
 * Formats a meter address the way {@link parseMeterAddress} reads it.
 *
 * @param address The address.
 * @returns `5` or 16 hex digits.
 */
export function formatMeterAddress(address: MeterAddress): string {
  return address.kind === "primary"
    ? String(address.address)
    : formatSecondaryAddress(address.secondary);
}

/**
 * Tells whether an address matches a mask (what a standard slave does on a select).
 *
 * @param mask The mask.
 * @param address The full secondary address.
 * @returns True when every non-wildcard part is equal.
 */
export function maskMatches(
  mask: SecondaryMask,
  address: SecondaryAddress,
): boolean {
  const id = address.id.toUpperCase();
  for (let i = 0; i < 8; i++) {
    const m = mask.id.charAt(i);
    if (m !== "F" && m !== id.charAt(i)) return false;
  }
  const full = secondaryMask(address);
  return (mask.manufacturer === 0xffff ||
    mask.manufacturer === full.manufacturer) &&
    (mask.version === 0xff || mask.version === full.version) &&
    (mask.medium === 0xff || mask.medium === full.medium);
}
