/**
 * Writing one data field of a record (EN 13757-3 types A, B, H, LVAR, dates) for the
 * encoder. Internal to the app layer; misuse throws RangeError or TypeError.
 *
 * @module
 */
import {
  type ByteWriter,
  encodeBcd,
  encodeBcdNumber,
  fromHex,
} from "../util/mod.ts";
import type { DataType, RecordValue } from "./types.ts";
import {
  encodeDateG,
  encodeDateTimeF,
  encodeDateTimeI,
  encodeTimeJ,
} from "./date_time.ts";

function needNumber(raw: RecordValue, type: DataType): number {
  if (typeof raw !== "number") {
    throw new TypeError(
      `Cannot encode ${type}: ${JSON.stringify(raw)} is not a number`,
    );
  }
  return raw;
}

function writeInt(
  w: ByteWriter,
  raw: RecordValue,
  type: DataType,
  bytes: number,
): void {
  const v = needNumber(raw, type);
  const limit = 2 ** (8 * bytes - 1);
  if (!Number.isInteger(v) || v < -limit || v >= 2 * limit) {
    throw new RangeError(`Cannot encode ${type}: ${v} does not fit`);
  }
  let u = v < 0 ? v + 2 * limit : v;
  for (let i = 0; i < bytes; i++) {
    w.u8(u % 256);
    u = Math.floor(u / 256);
  }
}

export function latin1Reversed(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) {
      throw new RangeError(`Cannot encode text "${text}": not ISO 8859-1`);
    }
    out[text.length - 1 - i] = c;
  }
  return out;
}

function binaryLvar(length: number): number {
  if (length <= 15) return 0xe0 + length;
  if (length >= 16 && length <= 32 && length % 4 === 0) {
    return 0xec + length / 4;
  }
  if (length === 48) return 0xf5;
  if (length === 64) return 0xf6;
  throw new RangeError(`Cannot encode binary: no LVAR for ${length} bytes`);
}

function writeBcdVar(w: ByteWriter, raw: RecordValue): void {
  if (typeof raw === "string") {
    const bytes = encodeBcd(raw, Math.ceil(raw.length / 2));
    if (bytes.length > 9) {
      throw new RangeError(`Cannot encode bcdVar "${raw}": too long`);
    }
    w.u8(0xc0 + bytes.length).bytes(bytes);
    return;
  }
  const v = needNumber(raw, "bcdVar");
  const len = Math.max(
    1,
    Math.ceil(Math.abs(Math.trunc(v)).toString().length / 2),
  );
  if (len > 9) throw new RangeError(`Cannot encode bcdVar ${v}: too long`);
  w.u8((v < 0 ? 0xd0 : 0xc0) + len).bytes(encodeBcdNumber(Math.abs(v), len));
}

function writeBcd(w: ByteWriter, raw: RecordValue, bytes: number): void {
  if (typeof raw === "string") w.bytes(encodeBcd(raw, bytes));
  else w.bytes(encodeBcdNumber(needNumber(raw, "bcd8"), bytes));
}

function needString(raw: RecordValue, type: DataType): string {
  if (typeof raw !== "string") {
    throw new TypeError(
      `Cannot encode ${type}: ${JSON.stringify(raw)} is not a string`,
    );
  }
  return raw;
}

/** Writes the data field of `type` holding `raw`. */
export function writeValue(
  w: ByteWriter,
  type: DataType,
  raw: RecordValue,
): void {
  switch (type) {
    case "none":
    case "selection":
      return;
    case "int8":
      return writeInt(w, raw, type, 1);
    case "int16":
      return writeInt(w, raw, type, 2);
    case "int24":
      return writeInt(w, raw, type, 3);
    case "int32":
      return writeInt(w, raw, type, 4);
    case "int48":
      return writeInt(w, raw, type, 6);
    case "int64":
      w.u64le(BigInt.asUintN(64, BigInt(Math.trunc(needNumber(raw, type)))));
      return;
    case "real32":
      w.f32le(raw === null ? Number.NaN : needNumber(raw, type));
      return;
    case "bcd2":
      return writeBcd(w, raw, 1);
    case "bcd4":
      return writeBcd(w, raw, 2);
    case "bcd6":
      return writeBcd(w, raw, 3);
    case "bcd8":
      return writeBcd(w, raw, 4);
    case "bcd12":
      return writeBcd(w, raw, 6);
    case "text": {
      const bytes = latin1Reversed(needString(raw, type));
      if (bytes.length > 0xbf) {
        throw new RangeError("Cannot encode text: longer than 191");
      }
      w.u8(bytes.length).bytes(bytes);
      return;
    }
    case "binary": {
      const bytes = fromHex(needString(raw, type));
      w.u8(binaryLvar(bytes.length)).bytes(bytes);
      return;
    }
    case "bcdVar":
      return writeBcdVar(w, raw);
    case "dateG":
      w.bytes(encodeDateG(raw === null ? null : needString(raw, type)));
      return;
    case "timeJ":
      w.bytes(encodeTimeJ(raw === null ? null : needString(raw, type)));
      return;
    case "dateTimeF":
      w.bytes(encodeDateTimeF(raw === null ? null : needString(raw, type)));
      return;
    case "dateTimeI":
      w.bytes(encodeDateTimeI(raw === null ? null : needString(raw, type)));
      return;
    case "dateK": {
      const bytes = fromHex(needString(raw, type));
      if (bytes.length !== 4) {
        throw new RangeError("Cannot encode dateK: 4 bytes expected");
      }
      w.bytes(bytes);
      return;
    }
  }
}
