/**
 * Encoding of data records (EN 13757-3): DIF/DIFE from the data type, function, storage,
 * tariff and subunit; VIF/VIFE with the extension bits set; the data field. Reads the same
 * tables as the decoder. Misuse (a value that does not fit its type) throws RangeError or
 * TypeError.
 *
 * @module
 */
import {
  ByteWriter,
  encodeBcd,
  encodeBcdNumber,
  fromHex,
  parseHex,
} from "../util/mod.ts";
import type {
  DataType,
  RecordFunction,
  RecordInput,
  RecordValue,
} from "./types.ts";
import { MAX_DIFE, VIF_FB, VIF_FD } from "./constants.ts";
import {
  FB_VIF,
  FD_VIF,
  PRIMARY_VIF,
  RESERVED_VIF,
  type VifInfo,
} from "./vif_table.ts";
import { DATA_FIELD_TYPE, dateTypeFor } from "./_data_value.ts";
import {
  encodeDateG,
  encodeDateTimeF,
  encodeDateTimeI,
  encodeTimeJ,
} from "./date_time.ts";

/** Data field code (DIF bits 3–0) of each data type. */
export const DATA_FIELD_OF: Readonly<Record<DataType, number>> = {
  none: 0x0,
  selection: 0x8,
  int8: 0x1,
  int16: 0x2,
  int24: 0x3,
  int32: 0x4,
  real32: 0x5,
  int48: 0x6,
  int64: 0x7,
  bcd2: 0x9,
  bcd4: 0xa,
  bcd6: 0xb,
  bcd8: 0xc,
  bcd12: 0xe,
  text: 0xd,
  binary: 0xd,
  bcdVar: 0xd,
  dateG: 0x2,
  timeJ: 0x3,
  dateTimeF: 0x4,
  dateTimeI: 0x6,
  dateK: 0x4,
};

const FUNCTION_CODE: Readonly<Record<RecordFunction, number>> = {
  instantaneous: 0,
  maximum: 1,
  minimum: 2,
  error: 3,
};

function hexByte(text: string, what: string): number {
  const r = parseHex(text);
  if (!r.ok || r.value.length !== 1) {
    throw new TypeError(
      `Cannot encode record: ${what} "${text}" is not one hex byte`,
    );
  }
  return r.value[0] ?? 0;
}

function vifInfoOf(vif: number, vife: readonly number[]): VifInfo {
  if (vif === VIF_FD) return FD_VIF[(vife[0] ?? 0) & 0x7f] ?? RESERVED_VIF;
  if (vif === VIF_FB) return FB_VIF[(vife[0] ?? 0) & 0x7f] ?? RESERVED_VIF;
  return PRIMARY_VIF[vif & 0x7f] ?? RESERVED_VIF;
}

function inferType(
  raw: RecordValue,
  info: VifInfo,
  dif: number | null,
): DataType {
  if (dif !== null) {
    const field = dif & 0x0f;
    const date = dateTypeFor(info.kind, field);
    if (date !== null) return date;
    if (field === 0x0d) return typeof raw === "number" ? "bcdVar" : "text";
    return DATA_FIELD_TYPE[field] ?? "none";
  }
  if (raw === null) return "none";
  if (typeof raw === "number") {
    if (!Number.isInteger(raw)) return "real32";
    return raw >= -0x80000000 && raw <= 0x7fffffff ? "int32" : "int64";
  }
  if (info.kind === "date") {
    if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return "dateG";
    if (/^\d{2}:\d{2}:\d{2}$/.test(raw)) return "timeJ";
    if (/T\d{2}:\d{2}:00Z$/.test(raw)) return "dateTimeF";
    if (/T\d{2}:\d{2}:\d{2}Z$/.test(raw)) return "dateTimeI";
  }
  return "text";
}

function buildDife(storage: number, tariff: number, subunit: number): number[] {
  const out: number[] = [];
  let s = Math.floor(storage / 2);
  let t = tariff;
  let u = subunit;
  while (s > 0 || t > 0 || u > 0) {
    if (out.length >= MAX_DIFE) {
      throw new RangeError(
        `Cannot encode record: storage ${storage}, tariff ${tariff}, subunit ${subunit} need more than ${MAX_DIFE} DIFEs`,
      );
    }
    out.push((s % 16) | ((t & 0x03) << 4) | ((u & 0x01) << 6));
    s = Math.floor(s / 16);
    t = Math.floor(t / 4);
    u = Math.floor(u / 2);
  }
  for (let i = 0; i < out.length - 1; i++) out[i] = (out[i] ?? 0) | 0x80;
  return out;
}

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

function latin1Reversed(text: string): Uint8Array {
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

function writeValue(w: ByteWriter, type: DataType, raw: RecordValue): void {
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

function writeRecord(w: ByteWriter, input: RecordInput): void {
  const vif = hexByte(input.vif, "VIF");
  const vife = (input.vife ?? []).map((v) => hexByte(v, "VIFE"));
  const explicitDif = input.dif === undefined
    ? null
    : hexByte(input.dif, "DIF");
  const info = vifInfoOf(vif, vife);
  const type = input.dataType ?? inferType(input.raw, info, explicitDif);
  let dife: number[];
  let dif: number;
  if (explicitDif !== null) {
    dif = explicitDif;
    dife = input.dife
      ? input.dife.map((d) => hexByte(d, "DIFE"))
      : dif & 0x80
      ? buildDife(input.storage ?? 0, input.tariff ?? 0, input.subunit ?? 0)
      : [];
  } else {
    const storage = input.storage ?? 0;
    dife = input.dife
      ? input.dife.map((d) => hexByte(d, "DIFE"))
      : buildDife(storage, input.tariff ?? 0, input.subunit ?? 0);
    dif = DATA_FIELD_OF[type] |
      (FUNCTION_CODE[input.function ?? "instantaneous"] << 4) |
      ((storage & 1) << 6) | (dife.length > 0 ? 0x80 : 0);
  }
  w.u8(dif);
  for (const d of dife) w.u8(d);
  const isPlainText = (vif & 0x7f) === 0x7c;
  const isExtension = vif === VIF_FD || vif === VIF_FB;
  const chained = isExtension ? vife.length > 1 : vife.length > 0;
  w.u8(isExtension ? vif : chained ? vif | 0x80 : vif & 0x7f);
  let first = 0;
  if (isExtension) {
    w.u8(vife.length > 1 ? (vife[0] ?? 0) | 0x80 : (vife[0] ?? 0) & 0x7f);
    first = 1;
  }
  if (isPlainText) {
    const text = latin1Reversed(input.vifText ?? "");
    w.u8(text.length).bytes(text);
  }
  for (let i = first; i < vife.length; i++) {
    const e = vife[i] ?? 0;
    w.u8(i < vife.length - 1 ? e | 0x80 : e & 0x7f);
  }
  writeValue(w, type, input.raw);
}

/**
 * Encodes one data record.
 *
 * @param input The record: VIF/VIFE as hex, the raw value, and a data type or a DIF.
 * @returns The record bytes (DIF … data).
 * @throws {RangeError|TypeError} When the value does not fit its type or a hex field is bad.
 * @example
 * ```ts
 * encodeRecord({ dataType: "int32", vif: "06", raw: 37351 }); // 04 06 e7 91 00 00
 * ```
 */
export function encodeRecord(input: RecordInput): Uint8Array {
  const w = new ByteWriter(16);
  writeRecord(w, input);
  return w.toBytes();
}

/**
 * Encodes records one after another.
 *
 * @param inputs The records.
 * @returns The concatenated record bytes.
 * @throws {RangeError|TypeError} As {@link encodeRecord}.
 */
export function encodeRecords(inputs: readonly RecordInput[]): Uint8Array {
  const w = new ByteWriter(16 * inputs.length + 16);
  for (const input of inputs) writeRecord(w, input);
  return w.toBytes();
}
