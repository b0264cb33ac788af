/**
 * Decoding of one data field (EN 13757-3 types A, B, H, LVAR and the date types) in place
 * (bytes and offset: no reader, view or copy per field). Internal to the app layer.
 *
 * @module
 */
import { byteHex, decodeBcdNumber, formatBcd } from "../util/mod.ts";
import type { DataType, RecordValue } from "./types.ts";
import type { VifKind } from "./vif_table.ts";
import {
  decodeDateGAt,
  decodeDateTimeF,
  decodeDateTimeI,
  decodeTimeJ,
} from "./date_time.ts";

/** Byte length of data fields 0..0xE (0xD = variable, resolved from LVAR; -1 = special). */
export const DATA_FIELD_LENGTH: readonly number[] = [
  0,
  1,
  2,
  3,
  4,
  4,
  6,
  8,
  0,
  1,
  2,
  3,
  4,
  -1,
  6,
  -1,
];

/** Data type by data field code (integers; dates are chosen later by the VIF). */
export const DATA_FIELD_TYPE: readonly DataType[] = [
  "none",
  "int8",
  "int16",
  "int24",
  "int32",
  "real32",
  "int48",
  "int64",
  "selection",
  "bcd2",
  "bcd4",
  "bcd6",
  "bcd8",
  "binary",
  "bcd12",
  "none",
];

/** A decoded value and its type, or the code of why it could not be read. */
export interface FieldValue {
  /** The raw value. */
  raw: RecordValue;
  /** Its type. */
  dataType: DataType;
}

/** The date type a data field carries under a date VIF, or null when it is a plain number. */
export function dateTypeFor(kind: VifKind, dataField: number): DataType | null {
  if (kind === "date") {
    switch (dataField) {
      case 2:
        return "dateG";
      case 3:
        return "timeJ";
      case 4:
        return "dateTimeF";
      case 6:
        return "dateTimeI";
    }
    return null;
  }
  if (kind === "daylight" && dataField === 4) return "dateK";
  return null;
}

/** BCD digits of `n` bytes at `at` as a number, or as their digit string when a digit is not decimal. */
function bcdValue(bytes: Uint8Array, at: number, n: number): RecordValue {
  const v = decodeBcdNumber(bytes, at, n);
  return v === undefined ? formatBcd(bytes, at, n) : v;
}

function latin1Reversed(bytes: Uint8Array, at: number, n: number): string {
  let s = "";
  for (let i = at + n - 1; i >= at; i--) {
    s += String.fromCharCode(bytes[i] ?? 0);
  }
  return s;
}

function hexOf(bytes: Uint8Array, at: number, n: number): string {
  let s = "";
  for (let i = at; i < at + n; i++) s += byteHex(bytes[i] ?? 0);
  return s;
}

/** Scratch for the IEEE 754 and 64-bit reads (one copy of the bytes, no view per field). */
const SCRATCH = new DataView(new ArrayBuffer(8));

function copyToScratch(bytes: Uint8Array, at: number, n: number): DataView {
  for (let i = 0; i < n; i++) SCRATCH.setUint8(i, bytes[at + i] ?? 0);
  return SCRATCH;
}

/**
 * Reads a fixed-length data field (not 0xD) from `bytes` at `at`, without allocating a
 * reader or a view. The caller has checked the length (a byte past the end reads as 0).
 *
 * @param bytes The bytes holding the field.
 * @param at Offset of the field.
 * @param dataType The type to read.
 * @returns The raw value.
 */
export function readFixed(
  bytes: Uint8Array,
  at: number,
  dataType: DataType,
): RecordValue {
  switch (dataType) {
    case "none":
    case "selection":
      return null;
    case "int8":
      return ((bytes[at] ?? 0) << 24) >> 24;
    case "int16":
      return (((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8)) << 16) >> 16;
    case "int24":
      return (((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) |
        ((bytes[at + 2] ?? 0) << 16)) << 8) >> 8;
    case "int32":
      return (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) |
        ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24);
    case "int48": {
      const lo = ((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) |
        ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24)) >>> 0;
      const hi = (bytes[at + 4] ?? 0) | ((bytes[at + 5] ?? 0) << 8);
      const v = hi * 0x100000000 + lo;
      return v >= 0x800000000000 ? v - 0x1000000000000 : v;
    }
    case "int64":
      return Number(copyToScratch(bytes, at, 8).getBigInt64(0, true));
    case "real32": {
      const f = copyToScratch(bytes, at, 4).getFloat32(0, true);
      return Number.isNaN(f) ? null : f;
    }
    case "bcd2":
      return bcdValue(bytes, at, 1);
    case "bcd4":
      return bcdValue(bytes, at, 2);
    case "bcd6":
      return bcdValue(bytes, at, 3);
    case "bcd8":
      return bcdValue(bytes, at, 4);
    case "bcd12":
      return bcdValue(bytes, at, 6);
    case "dateG":
      return decodeDateGAt(bytes, at);
    case "timeJ":
      return decodeTimeJ(bytes, at);
    case "dateTimeF":
      return decodeDateTimeF(bytes, at);
    case "dateTimeI":
      return decodeDateTimeI(bytes, at);
    case "dateK":
      return hexOf(bytes, at, 4);
    default:
      return null;
  }
}

/**
 * Byte count and type of a variable-length (LVAR) field, or null for a reserved LVAR.
 *
 * @param lvar The LVAR byte.
 * @returns `{ length, dataType, negative }` or null.
 */
export function lvarLayout(
  lvar: number,
): { length: number; dataType: DataType; negative: boolean } | null {
  if (lvar <= 0xbf) return { length: lvar, dataType: "text", negative: false };
  if (lvar <= 0xc9) {
    return { length: lvar - 0xc0, dataType: "bcdVar", negative: false };
  }
  if (lvar >= 0xd0 && lvar <= 0xd9) {
    return { length: lvar - 0xd0, dataType: "bcdVar", negative: true };
  }
  if (lvar >= 0xe0 && lvar <= 0xef) {
    return { length: lvar - 0xe0, dataType: "binary", negative: false };
  }
  if (lvar >= 0xf0 && lvar <= 0xf4) {
    return { length: 4 * (lvar - 0xec), dataType: "binary", negative: false };
  }
  if (lvar === 0xf5) return { length: 48, dataType: "binary", negative: false };
  if (lvar === 0xf6) return { length: 64, dataType: "binary", negative: false };
  return null;
}

/**
 * Reads the bytes of a variable-length field whose layout is known.
 *
 * @param bytes The bytes holding the field.
 * @param at Offset of the field (after LVAR).
 * @param n Field length in bytes.
 * @param dataType text, bcdVar or binary.
 * @param negative For bcdVar: LVAR D0–D9.
 * @returns The raw value.
 */
export function decodeVariable(
  bytes: Uint8Array,
  at: number,
  n: number,
  dataType: DataType,
  negative: boolean,
): RecordValue {
  if (dataType === "text") return latin1Reversed(bytes, at, n);
  if (dataType === "binary") return hexOf(bytes, at, n);
  const v = bcdValue(bytes, at, n);
  return negative && typeof v === "number" ? -v : v;
}
