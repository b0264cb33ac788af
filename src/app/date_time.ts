/**
 * Date and time types of EN 13757-3 (mbus-wired.md §3.9): G (date), F (date and time),
 * J (time), I (date and time with seconds) and K (daylight saving, kept raw). Decoders
 * take the raw bytes and return the string the record carries, in libmbus's format
 * (`2013-12-31`, `2014-03-13T12:10:00Z`), or null when the invalid flag is set.
 *
 * @module
 */
import { byteHex } from "../util/mod.ts";

const PAD2: readonly string[] = Array.from(
  { length: 100 },
  (_, i) => (i < 10 ? "0" : "") + i,
);

function pad2(n: number): string {
  return PAD2[n] ?? String(n);
}

function pad4(n: number): string {
  return n >= 1000 ? String(n) : String(n).padStart(4, "0");
}

/** Two-digit year to a full year as libmbus does: 0..80 → 20xx, 81..127 → 19xx. */
function fullYear(y: number, hundreds: number): number {
  if (hundreds === 0) return y <= 80 ? 2000 + y : 1900 + y;
  return 1900 + 100 * hundreds + y;
}

/**
 * The fields of a type G, F or I date as coded, before any century or validity rule: the
 * one bit-level date decoder (the wired decoder formats them libmbus's way, the wireless
 * drivers the reference's way).
 */
export interface DateFields {
  /** Year within the century, 0..127 (7 bits). */
  readonly year: number;
  /** Hundred-year bits of type F (0..3), else 0. */
  readonly hundreds: number;
  /** Month, 0..15 as coded. */
  readonly month: number;
  /** Day, 0..31 as coded. */
  readonly day: number;
  /** Hour, 0..31 as coded (0 for type G). */
  readonly hour: number;
  /** Minute, 0..63 as coded (0 for type G). */
  readonly minute: number;
  /** Second, 0..63 as coded (types I only). */
  readonly second: number;
  /** The invalid flag (IV) of types F and I; for type G, both bytes `FF`. */
  readonly invalid: boolean;
}

/**
 * Splits a date of 2 (G), 4 (F) or 6 (I) bytes into its fields.
 *
 * @param b Bytes, wire order.
 * @param at Offset of the first byte.
 * @param length 2, 4 or 6.
 * @returns The fields, or null for another length.
 */
export function dateFields(
  b: Uint8Array,
  at: number,
  length: number,
): DateFields | null {
  const d = length === 2
    ? at
    : length === 4
    ? at + 2
    : length === 6
    ? at + 3
    : -1;
  if (d < 0) return null;
  const d0 = b[d] ?? 0;
  const d1 = b[d + 1] ?? 0;
  const b0 = b[at] ?? 0;
  const b1 = b[at + 1] ?? 0;
  return {
    year: ((d0 & 0xe0) >> 5) | ((d1 & 0xf0) >> 1),
    hundreds: length === 4 ? (b1 >> 5) & 0x03 : 0,
    month: d1 & 0x0f,
    day: d0 & 0x1f,
    hour: length === 4 ? b1 & 0x1f : length === 6 ? (b[at + 2] ?? 0) & 0x1f : 0,
    minute: length === 4 ? b0 & 0x3f : length === 6 ? b1 & 0x3f : 0,
    second: length === 6 ? b0 & 0x3f : 0,
    invalid: length === 2
      ? d0 === 0xff && d1 === 0xff
      : ((length === 4 ? b0 : b1) & 0x80) !== 0,
  };
}

/**
 * Decodes type G (2 bytes): day, month, year. `FF FF` is invalid.
 *
 * @param b0 First byte on the wire.
 * @param b1 Second byte.
 * @returns `YYYY-MM-DD`, or null.
 */
export function decodeDateG(b0: number, b1: number): string | null {
  return decodeDateGAt(Uint8Array.of(b0, b1), 0);
}

/**
 * Decodes type G (2 bytes) where it lies in `b`, without copying.
 *
 * @param b Bytes holding the two bytes, wire order.
 * @param at Offset of the first byte.
 * @returns `YYYY-MM-DD`, or null.
 */
export function decodeDateGAt(b: Uint8Array, at: number): string | null {
  const f = dateFields(b, at, 2);
  if (f === null || f.invalid) return null;
  return `${pad4(fullYear(f.year, 0))}-${pad2(f.month)}-${pad2(f.day)}`;
}

/**
 * Decodes type F (4 bytes): minute, hour, day, month, year, hundred-year; IV (byte 0
 * bit 7) set means invalid.
 *
 * @param b Bytes holding the four bytes, wire order.
 * @param at Offset of the first byte (default 0).
 * @returns `YYYY-MM-DDTHH:MM:00Z`, or null.
 */
export function decodeDateTimeF(b: Uint8Array, at = 0): string | null {
  const f = dateFields(b, at, 4);
  if (f === null || f.invalid) return null;
  return `${pad4(fullYear(f.year, f.hundreds))}-${pad2(f.month)}-${
    pad2(f.day)
  }T${pad2(f.hour)}:${pad2(f.minute)}:00Z`;
}

/**
 * Decodes type J (3 bytes): second, minute, hour. `FF FF FF` is invalid.
 *
 * @param b Bytes holding the three bytes, wire order.
 * @param at Offset of the first byte (default 0).
 * @returns `HH:MM:SS`, or null.
 */
export function decodeTimeJ(b: Uint8Array, at = 0): string | null {
  const b0 = b[at] ?? 0;
  const b1 = b[at + 1] ?? 0;
  const b2 = b[at + 2] ?? 0;
  if (b0 === 0xff && b1 === 0xff && b2 === 0xff) return null;
  return `${pad2(b2 & 0x1f)}:${pad2(b1 & 0x3f)}:${pad2(b0 & 0x3f)}`;
}

/**
 * Decodes type I (6 bytes): second … year (2000 + year); IV (byte 1 bit 7) means invalid.
 *
 * @param b Bytes holding the six bytes, wire order.
 * @param at Offset of the first byte (default 0).
 * @returns `YYYY-MM-DDTHH:MM:SSZ`, or null.
 */
export function decodeDateTimeI(b: Uint8Array, at = 0): string | null {
  const f = dateFields(b, at, 6);
  if (f === null || f.invalid) return null;
  return `${pad4(2000 + f.year)}-${pad2(f.month)}-${pad2(f.day)}T${
    pad2(f.hour)
  }:${pad2(f.minute)}:${pad2(f.second)}Z`;
}

/**
 * Type K (daylight saving, 4 bytes): its layout is unconfirmed, so it is kept as hex.
 *
 * @param b Four bytes, wire order.
 * @returns Lowercase hex of the bytes.
 */
export function decodeDateK(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += byteHex(b[i] ?? 0);
  return s;
}

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function parseParts(text: string): DateParts {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?Z?)?$/
      .exec(text);
  if (!m) {
    throw new RangeError(
      `Cannot encode date "${text}": expected YYYY-MM-DD[THH:MM[:SS]Z]`,
    );
  }
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
  };
}

function splitYear(year: number): { y: number; hundreds: number } {
  if (year >= 1981 && year <= 2080) return { y: year % 100, hundreds: 0 };
  const rel = year - 1900;
  return { y: rel % 100, hundreds: Math.floor(rel / 100) & 0x03 };
}

/**
 * Encodes type G; null gives the invalid value `FF FF`.
 *
 * @param value `YYYY-MM-DD` or null.
 * @returns Two bytes.
 * @throws {RangeError} On a malformed date.
 */
export function encodeDateG(value: string | null): Uint8Array {
  if (value === null) return Uint8Array.of(0xff, 0xff);
  const p = parseParts(value);
  const y = p.year % 100;
  return Uint8Array.of(
    (p.day & 0x1f) | ((y & 0x07) << 5),
    (p.month & 0x0f) | ((y & 0x78) << 1),
  );
}

/**
 * Encodes type F; null sets the invalid flag.
 *
 * @param value `YYYY-MM-DDTHH:MM:00Z` or null.
 * @returns Four bytes.
 * @throws {RangeError} On a malformed date.
 */
export function encodeDateTimeF(value: string | null): Uint8Array {
  if (value === null) return Uint8Array.of(0x80, 0, 0, 0);
  const p = parseParts(value);
  const { y, hundreds } = splitYear(p.year);
  return Uint8Array.of(
    p.minute & 0x3f,
    (p.hour & 0x1f) | (hundreds << 5),
    (p.day & 0x1f) | ((y & 0x07) << 5),
    (p.month & 0x0f) | ((y & 0x78) << 1),
  );
}

/**
 * Encodes type J; null gives `FF FF FF`.
 *
 * @param value `HH:MM:SS` or null.
 * @returns Three bytes.
 * @throws {RangeError} On a malformed time.
 */
export function encodeTimeJ(value: string | null): Uint8Array {
  if (value === null) return Uint8Array.of(0xff, 0xff, 0xff);
  const m = /^(\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!m) {
    throw new RangeError(`Cannot encode time "${value}": expected HH:MM:SS`);
  }
  return Uint8Array.of(
    Number(m[3]) & 0x3f,
    Number(m[2]) & 0x3f,
    Number(m[1]) & 0x1f,
  );
}

/**
 * Encodes type I; null sets the invalid flag. Years 2000–2127.
 *
 * @param value `YYYY-MM-DDTHH:MM:SSZ` or null.
 * @returns Six bytes.
 * @throws {RangeError} On a malformed date.
 */
export function encodeDateTimeI(value: string | null): Uint8Array {
  if (value === null) return Uint8Array.of(0, 0x80, 0, 0, 0, 0);
  const p = parseParts(value);
  const y = (p.year - 2000) & 0x7f;
  return Uint8Array.of(
    p.second & 0x3f,
    p.minute & 0x3f,
    p.hour & 0x1f,
    (p.day & 0x1f) | ((y & 0x07) << 5),
    (p.month & 0x0f) | ((y & 0x78) << 1),
    0,
  );
}
