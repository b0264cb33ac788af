/**
 * Reading record data: integers, BCD, reals, dates (types G, F, I) and texts.
 *
 * @module
 */

import type { DvEntry } from "./_dv.ts";

/**
 * Unsigned little-endian integer of up to 6 bytes (7 and 8 via float math).
 *
 * @param b Bytes.
 * @returns The value.
 */
export function uintLE(b: Uint8Array): number {
  let v = 0;
  for (let i = b.length - 1; i >= 0; i--) v = v * 256 + (b[i] ?? 0);
  return v;
}

/**
 * Signed (two's complement) little-endian integer.
 *
 * @param b Bytes.
 * @returns The value.
 */
export function intLE(b: Uint8Array): number {
  const u = uintLE(b);
  const top = 2 ** (8 * b.length);
  return b.length > 0 && ((b[b.length - 1] ?? 0) & 0x80) !== 0 ? u - top : u;
}

/**
 * Little-endian BCD; a top nibble `F` means negative. NaN when not decimal.
 *
 * @param b Bytes.
 * @returns The value.
 */
export function bcdLE(b: Uint8Array): number {
  let v = 0;
  let neg = false;
  for (let i = b.length - 1; i >= 0; i--) {
    const byte = b[i] ?? 0;
    let hi = byte >> 4;
    const lo = byte & 0x0f;
    if (i === b.length - 1 && hi === 0x0f) {
      neg = true;
      hi = 0;
    }
    if (hi > 9 || lo > 9) return NaN;
    v = v * 100 + hi * 10 + lo;
  }
  return neg ? -v : v;
}

/**
 * The raw numeric value of a record (before the VIF factor), or undefined.
 *
 * @param e The record.
 * @param signed Whether binary integers are two's complement.
 * @returns The number.
 */
export function rawNumber(e: DvEntry, signed = true): number | undefined {
  const d = e.data;
  switch (e.coding) {
    case 0x1:
    case 0x2:
    case 0x3:
    case 0x4:
    case 0x6:
    case 0x7:
      return signed ? intLE(d) : uintLE(d);
    case 0x5: {
      if (d.length < 4) return undefined;
      return new DataView(d.buffer, d.byteOffset, 4).getFloat32(0, true);
    }
    case 0x9:
    case 0xa:
    case 0xb:
    case 0xc:
    case 0xe: {
      const v = bcdLE(d);
      return Number.isNaN(v) ? undefined : v;
    }
    case 0xd: {
      if (e.lvar >= 0xc0 && e.lvar <= 0xc9) return bcdLE(d);
      if (e.lvar >= 0xd0 && e.lvar <= 0xd9) return -bcdLE(d);
      if (e.lvar >= 0xe0 && e.lvar <= 0xef) {
        return signed ? intLE(d) : uintLE(d);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/**
 * Date type G (2 bytes): `YYYY-MM-DD`, normalised like C `mktime` (day 0 is the last
 * day of the previous month); null when all bits are set or the month is above 12.
 *
 * @param b Bytes (at least 2).
 * @returns The date text or null.
 */
export function dateG(b: Uint8Array): string | null {
  const b0 = b[0] ?? 0;
  const b1 = b[1] ?? 0;
  const code = b0 | (b1 << 8);
  let text = DATES_G.get(code);
  if (text === undefined) {
    text = formatDateG(b0, b1);
    DATES_G.set(code, text);
  }
  return text;
}

/** Type G texts by their 16-bit code (at most 65,536 entries). */
const DATES_G = new Map<number, string | null>();

function formatDateG(b0: number, b1: number): string | null {
  const day = b0 & 0x1f;
  const month = b1 & 0x0f;
  const year = 2000 + (((b0 & 0xe0) >> 5) | ((b1 & 0xf0) >> 1));
  if (month > 12) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${
    pad(d.getUTCDate())
  }`;
}

/**
 * Date-time type F (4 bytes): `YYYY-MM-DD HH:MM`.
 *
 * @param b Bytes (at least 4).
 * @returns The date-time text, or null when invalid.
 */
export function dateTimeF(b: Uint8Array): string | null {
  const min = (b[0] ?? 0) & 0x3f;
  const hour = (b[1] ?? 0) & 0x1f;
  const date = dateG(b.subarray(2, 4));
  return date === null ? null : `${date} ${pad(hour)}:${pad(min)}`;
}

/**
 * Date-time type I (6 bytes): `YYYY-MM-DD HH:MM:SS`.
 *
 * @param b Bytes (at least 6).
 * @returns The date-time text, or null when invalid.
 */
export function dateTimeI(b: Uint8Array): string | null {
  const sec = (b[0] ?? 0) & 0x3f;
  const min = (b[1] ?? 0) & 0x3f;
  const hour = (b[2] ?? 0) & 0x1f;
  const date = dateG(b.subarray(3, 5));
  return date === null ? null : `${date} ${pad(hour)}:${pad(min)}:${pad(sec)}`;
}

/**
 * A date or date-time record as text, chosen by data length.
 *
 * @param e The record.
 * @returns The text, or undefined for other lengths.
 */
export function dateText(e: DvEntry): string | null | undefined {
  if (e.data.length === 2) return dateG(e.data);
  if (e.data.length === 4) return dateTimeF(e.data);
  if (e.data.length === 6) return dateTimeI(e.data);
  return undefined;
}

/**
 * Upper-case hex of the bytes, most significant (last) byte first.
 *
 * @param b Bytes.
 * @returns Hex text.
 */
export function hexReversed(b: Uint8Array): string {
  let s = "";
  for (let i = b.length - 1; i >= 0; i--) {
    s += (b[i] ?? 0).toString(16).toUpperCase().padStart(2, "0");
  }
  return s;
}

/**
 * ASCII text stored last-character-first (M-Bus LVAR strings).
 *
 * @param b Bytes.
 * @returns The text.
 */
export function asciiReversed(b: Uint8Array): string {
  let s = "";
  for (let i = b.length - 1; i >= 0; i--) s += String.fromCharCode(b[i] ?? 0);
  return s;
}

/**
 * Rounds like the reference output (6 decimals), avoiding `-0`.
 *
 * @param v The number.
 * @returns The rounded number.
 */
export function round6(v: number): number {
  const r = Math.round(v * 1e6) / 1e6;
  return r === 0 ? 0 : r;
}
