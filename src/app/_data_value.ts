/**
 * Decoding of one data field (EN 13757-3 types A, B, H, LVAR and the date types) from a
 * {@link ByteReader}. Internal to the app layer.
 *
 * @module
 */
import {
  byteHex,
  type ByteReader,
  decodeBcdNumber,
  formatBcd,
} from "../util/mod.ts";
import type { DataType, RecordValue } from "./types.ts";
import type { VifKind } from "./vif_table.ts";
import {
  decodeDateG,
  decodeDateK,
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

/** Reads `n` BCD bytes at the cursor (util's one BCD decoder). */
function readBcd(r: ByteReader, n: number): RecordValue {
  return bcdValue(r.bytesView(n));
}

function bcdValue(bytes: Uint8Array): RecordValue {
  const n = decodeBcdNumber(bytes);
  return n === undefined ? formatBcd(bytes) : n;
}

function latin1Reversed(bytes: Uint8Array): string {
  let s = "";
  for (let i = bytes.length - 1; i >= 0; i--) {
    s += String.fromCharCode(bytes[i] ?? 0);
  }
  return s;
}

function hexOf(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += byteHex(bytes[i] ?? 0);
  return s;
}

/**
 * Reads a fixed-length data field (not 0xD). The caller has checked the length.
 *
 * @param r Reader positioned at the data.
 * @param dataType The type to read.
 * @returns The raw value.
 */
export function readFixed(r: ByteReader, dataType: DataType): RecordValue {
  switch (dataType) {
    case "none":
    case "selection":
      return null;
    case "int8":
      return (r.u8() << 24) >> 24;
    case "int16":
      return (r.u16le() << 16) >> 16;
    case "int24":
      return (r.u24le() << 8) >> 8;
    case "int32":
      return r.u32le() | 0;
    case "int48": {
      const v = r.u48le();
      return v >= 0x800000000000 ? v - 0x1000000000000 : v;
    }
    case "int64":
      return Number(BigInt.asIntN(64, r.u64le()));
    case "real32": {
      const f = r.f32le();
      return Number.isNaN(f) ? null : f;
    }
    case "bcd2":
      return readBcd(r, 1);
    case "bcd4":
      return readBcd(r, 2);
    case "bcd6":
      return readBcd(r, 3);
    case "bcd8":
      return readBcd(r, 4);
    case "bcd12":
      return readBcd(r, 6);
    case "dateG": {
      const b0 = r.u8();
      return decodeDateG(b0, r.u8());
    }
    case "timeJ": {
      const at = r.offset;
      r.skip(3);
      return decodeTimeJ(r.bytes, at);
    }
    case "dateTimeF": {
      const at = r.offset;
      r.skip(4);
      return decodeDateTimeF(r.bytes, at);
    }
    case "dateTimeI": {
      const at = r.offset;
      r.skip(6);
      return decodeDateTimeI(r.bytes, at);
    }
    case "dateK":
      return decodeDateK(r.bytesView(4));
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
 * @param bytes The field bytes (after LVAR).
 * @param dataType text, bcdVar or binary.
 * @param negative For bcdVar: LVAR D0–D9.
 * @returns The raw value.
 */
export function decodeVariable(
  bytes: Uint8Array,
  dataType: DataType,
  negative: boolean,
): RecordValue {
  if (dataType === "text") return latin1Reversed(bytes);
  if (dataType === "binary") return hexOf(bytes);
  const v = bcdValue(bytes);
  return negative && typeof v === "number" ? -v : v;
}
