/**
 * The records as the drivers match and read them, found by the application layer's one
 * record walker (`app/walk_records.ts`): raw header key, storage/tariff/subunit,
 * measurement type, combinable VIFEs and the data bytes; and the readers of their data
 * (integers, BCD through util's decoder, dates through the app layer's date fields in
 * the reference's text format). Never throws.
 *
 * @module
 */
import {
  dateFields,
  type RecordFunction,
  type RecordSpan,
  walkRecords,
} from "../../app/mod.ts";
import { decodeBcdNumber } from "../../util/mod.ts";

/** Measurement type from DIF bits 4–5 (the app layer's record function). */
export type MeasurementType = RecordFunction;

/** One data record, as the driver engine matches it. */
export interface DvEntry {
  /** Byte offset of the DIF in the data. */
  readonly offset: number;
  /** Upper-case hex of DIF, DIFEs, VIF and VIFEs, without a plain-text unit (the reference's "difvif key"). */
  readonly key: string;
  /** DIF byte. */
  readonly dif: number;
  /** True VIF: `0x00–0x7f` plain, `0xfd00 | x` / `0xfb00 | x` extensions, `0x7c` text, `0x7f` manufacturer. */
  readonly vif: number;
  /** Combinable VIFEs after the true VIF, as 2-digit upper-case hex (bit 7 cleared); `7Fxx`/`7Cxx` pair with the next. */
  readonly combinables: readonly string[];
  /** Measurement type. */
  readonly mt: MeasurementType;
  /** Storage number. */
  readonly storage: number;
  /** Tariff number. */
  readonly tariff: number;
  /** Subunit number. */
  readonly subunit: number;
  /** Data field coding (DIF low nibble). */
  readonly coding: number;
  /** For variable length data (coding `0xd`): the LVAR byte. */
  readonly lvar: number;
  /** The data bytes. */
  readonly data: Uint8Array;
}

/** Records found, plus the manufacturer data after DIF `0F`/`1F` and where decoding stopped. */
export interface DvRecords {
  /** The records in telegram order. */
  readonly entries: DvEntry[];
  /** Bytes after DIF `0F`/`1F`, or null. */
  readonly manufacturerData: Uint8Array | null;
  /** Set when a record was truncated or malformed (the walker's error code and offset). */
  readonly error: { readonly code: string; readonly offset: number } | null;
}

/** Upper-case 2-digit hex of every byte value. */
const HEX2: readonly string[] = Array.from(
  { length: 256 },
  (_, b) => b.toString(16).toUpperCase().padStart(2, "0"),
);

/** Keys of headers up to 6 bytes by their bytes as a number (flat, shared strings). */
const KEYS = new Map<number, string>();

/** Keys cached before the cache starts again (a bound on memory). */
const MAX_KEYS = 4096;

function keyOf(data: Uint8Array, from: number, to: number): string {
  if (to - from <= 6) {
    // 1 + the bytes, so that leading zero bytes still tell lengths apart.
    let code = 1;
    for (let i = from; i < to; i++) code = code * 256 + (data[i] ?? 0);
    let key = KEYS.get(code);
    if (key === undefined) {
      key = hexKey(data, from, to);
      if (KEYS.size >= MAX_KEYS) KEYS.clear();
      KEYS.set(code, key);
    }
    return key;
  }
  return hexKey(data, from, to);
}

function hexKey(data: Uint8Array, from: number, to: number): string {
  let s = "";
  for (let i = from; i < to; i++) s += HEX2[data[i] ?? 0] ?? "";
  return s;
}

/** The combinable VIFEs of a span, `7F`/`7C` paired with the VIFE after them. */
function combinablesOf(data: Uint8Array, span: RecordSpan): string[] {
  const out: string[] = [];
  const end = span.headerEnd;
  for (let at = span.combinableAt; at < end; at++) {
    const code = (data[at] ?? 0) & 0x7f;
    if ((code === 0x7f || code === 0x7c) && at + 1 < end) {
      out.push((HEX2[code] ?? "") + (HEX2[(data[at + 1] ?? 0) & 0x7f] ?? ""));
      at++;
    } else {
      out.push(HEX2[code] ?? "");
    }
  }
  return out;
}

function entryOf(data: Uint8Array, span: RecordSpan): DvEntry {
  return {
    offset: span.start,
    key: span.textAt < 0
      ? keyOf(data, span.start, span.headerEnd)
      : keyOf(data, span.start, span.textAt) +
        keyOf(data, span.combinableAt, span.headerEnd),
    dif: span.dif,
    vif: span.vifCode,
    combinables: span.combinableAt === span.headerEnd
      ? NONE
      : combinablesOf(data, span),
    mt: span.function,
    storage: span.storage,
    tariff: span.tariff,
    subunit: span.subunit,
    coding: span.dif & 0x0f,
    lvar: span.lvar < 0 ? 0 : span.lvar,
    data: data.subarray(span.dataAt, span.end),
  };
}

/** The combinables of a record without any (shared, empty). */
const NONE: readonly string[] = [];

/**
 * Splits DIF/VIF records through the application layer's walker.
 *
 * @param data Application data (fillers `2F` allowed).
 * @returns The records, manufacturer data and the first error.
 */
export function splitRecords(data: Uint8Array): DvRecords {
  const walk = walkRecords(data);
  const entries = walk.spans.map((s) => entryOf(data, s));
  const stopped = walk.stop === "manufacturer" || walk.stop === "more_records";
  return {
    entries,
    manufacturerData: stopped ? walk.manufacturerData ?? EMPTY : null,
    error: walk.error === null
      ? null
      : { code: walk.error.code, offset: walk.error.offset },
  };
}

const EMPTY = new Uint8Array(0);

/**
 * The DIF/VIF header bytes of every record, concatenated (the compact-frame format).
 *
 * @param data Full-frame record bytes.
 * @returns The header bytes.
 */
export function formatOf(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  walkRecords(data, (s) => {
    for (let i = s.start; i < s.headerEnd; i++) out.push(data[i] ?? 0);
  });
  return Uint8Array.from(out);
}

/**
 * The compact-frame format of full-frame record bytes (as {@link formatOf}) and where
 * their data bytes lie: the walk reads every other byte, so bytes equal outside those
 * ranges walk to the same format.
 *
 * @param data Full-frame record bytes.
 * @returns The header bytes, the data ranges (start, end pairs) and whether the walk ended
 *   without an error.
 */
export function formatAndData(
  data: Uint8Array,
): { format: Uint8Array; ranges: number[]; complete: boolean } {
  const walk = walkRecords(data);
  let n = 0;
  for (const s of walk.spans) n += s.headerEnd - s.start;
  const format = new Uint8Array(n);
  const ranges: number[] = [];
  let at = 0;
  for (const s of walk.spans) {
    format.set(data.subarray(s.start, s.headerEnd), at);
    at += s.headerEnd - s.start;
    ranges.push(s.dataAt, s.end);
  }
  return { format, ranges, complete: walk.error === null };
}

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
  if (b.length === 0 || ((b[b.length - 1] ?? 0) & 0x80) === 0) return uintLE(b);
  // Negative: minus (complement + 1), exact for small magnitudes of 7- and 8-byte values
  // (subtracting 2^64 from the unsigned value would lose their low bits).
  let v = 0;
  for (let i = b.length - 1; i >= 0; i--) v = v * 256 + (~(b[i] ?? 0) & 0xff);
  return -(v + 1);
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
    case 0xe:
      return decodeBcdNumber(d);
    case 0xd: {
      if (e.lvar >= 0xc0 && e.lvar <= 0xc9) return decodeBcdNumber(d) ?? NaN;
      if (e.lvar >= 0xd0 && e.lvar <= 0xd9) {
        return -(decodeBcdNumber(d) ?? NaN);
      }
      if (e.lvar >= 0xe0 && e.lvar <= 0xef) {
        return signed ? intLE(d) : uintLE(d);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Dates by their two date bytes (at most 65,536 entries). */
const DATES = new Map<number, string | null>();

/**
 * The date part of a G/F/I date as the reference prints it: year 2000 + the 7 year bits,
 * normalised like C `mktime` (day 0 is the last day of the previous month); null when the
 * month is above 12.
 */
function datePart(b: Uint8Array, at: number): string | null {
  const code = (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
  let text = DATES.get(code);
  if (text === undefined) {
    const f = dateFields(b, at, 2);
    if (f === null || f.month > 12) text = null;
    else {
      const d = new Date(Date.UTC(2000 + f.year, f.month - 1, f.day));
      text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${
        pad(d.getUTCDate())
      }`;
    }
    DATES.set(code, text);
  }
  return text;
}

/**
 * A date (G), date-time (F: `YYYY-MM-DD HH:MM`) or date-time with seconds (I) as the
 * reference prints it, chosen by data length. The invalid flag is not applied (the
 * reference prints the fields as coded).
 *
 * @param e The record.
 * @returns The text, null for an impossible month, undefined for other lengths.
 */
export function dateText(e: DvEntry): string | null | undefined {
  const n = e.data.length;
  if (n !== 2 && n !== 4 && n !== 6) return undefined;
  const f = dateFields(e.data, 0, n);
  const date = datePart(e.data, n === 2 ? 0 : n === 4 ? 2 : 3);
  if (f === null || date === null) return null;
  if (n === 2) return date;
  const hm = `${date} ${pad(f.hour)}:${pad(f.minute)}`;
  return n === 4 ? hm : `${hm}:${pad(f.second)}`;
}

/**
 * Upper-case hex of the bytes, most significant (last) byte first.
 *
 * @param b Bytes.
 * @returns Hex text.
 */
export function hexReversed(b: Uint8Array): string {
  let s = "";
  for (let i = b.length - 1; i >= 0; i--) s += HEX2[b[i] ?? 0] ?? "";
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
  // Near a half, toFixed rounds the exact binary value as the reference's printf("%f")
  // does: 85 × 10^-7 is 8.4999…e-6 and prints 0.000008 (v × 1e6 rounds up to 9).
  const m = v * 1e6;
  const r = Math.abs(m - Math.trunc(m)) - 0.5 < 1e-6 &&
      Math.abs(m - Math.trunc(m)) - 0.5 > -1e-6 && Math.abs(v) < 1e21
    ? Number(v.toFixed(6))
    : Math.round(m) / 1e6;
  return r === 0 ? 0 : r;
}
