/**
 * Encoding of data records (EN 13757-3): DIF/DIFE from the data type, function, storage,
 * tariff and subunit; VIF/VIFE with the extension bits set; the data field. Reads the same
 * tables as the decoder. Misuse (a value that does not fit its type) throws RangeError or
 * TypeError.
 *
 * @module
 */
import { ByteWriter, parseHex } from "../util/mod.ts";
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
import { latin1Reversed, writeValue } from "./_encode_value.ts";

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
  if (isExtension && vife.length === 0) {
    throw new RangeError(
      `Cannot encode record: VIF "${input.vif}" needs the extension code as first VIFE`,
    );
  }
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
