/**
 * Decoding of the data records of variable data (EN 13757-3, mbus-wired.md §3.3–3.9):
 * DIF/DIFE, VIF/VIFE (primary, FB, FD, plain text, manufacturer specific), data field and
 * unit factor. Total: never throws, returns the records decoded before any error.
 *
 * @module
 */
import { byteHex, ByteReader, type DecodeError } from "../util/mod.ts";
import type {
  DataRecord,
  DataType,
  DecodeOptions,
  RecordFunction,
  RecordsResult,
  RecordValue,
} from "./types.ts";
import {
  APP_ERROR,
  DIF_GLOBAL_READOUT,
  DIF_IDLE_FILLER,
  DIF_MANUFACTURER,
  DIF_MORE_RECORDS,
  MAX_DIFE,
} from "./constants.ts";
import { RESERVED_VIF } from "./vif_table.ts";
import { type Cursor, readVib, scaleByPowerOfTen, truncated } from "./_vib.ts";

export { scaleByPowerOfTen };
import {
  DATA_FIELD_LENGTH,
  DATA_FIELD_TYPE,
  dateTypeFor,
  decodeVariable,
  lvarLayout,
  readFixed,
} from "./_data_value.ts";

const FUNCTIONS: readonly RecordFunction[] = [
  "instantaneous",
  "maximum",
  "minimum",
  "error",
];

/** Mode 2 (CI 0x76): a multi-byte field is sent most significant byte first. */
function readReversed(
  r: ByteReader,
  dataType: DataType,
  len: number,
): RecordValue {
  const field = r.bytesView(len);
  const reversed = new Uint8Array(len);
  for (let i = 0; i < len; i++) reversed[i] = field[len - 1 - i] ?? 0;
  return readFixed(new ByteReader(reversed), dataType);
}

/** Reads one record whose DIF is not special. */
function readRecord(
  c: Cursor,
  dif: number,
  index: number,
): DataRecord | DecodeError {
  const r = c.r;
  let storage = (dif >> 6) & 1;
  let tariff = 0;
  let subunit = 0;
  const dife: string[] = [];
  let more = dif & 0x80;
  while (more) {
    if (dife.length >= MAX_DIFE) {
      return {
        code: APP_ERROR.TOO_MANY_DIFES,
        offset: r.offset,
        message: `Cannot decode record: more than ${MAX_DIFE} DIFEs`,
      };
    }
    if (r.remaining === 0) return truncated(r.offset, "DIFE");
    const b = r.u8();
    const k = dife.length;
    dife.push(byteHex(b));
    storage += (b & 0x0f) * 2 ** (1 + 4 * k);
    tariff += ((b >> 4) & 0x03) * 2 ** (2 * k);
    subunit += ((b >> 6) & 0x01) * 2 ** k;
    more = b & 0x80;
  }
  const vibError = readVib(c);
  if (vibError) return vibError;
  const dataField = dif & 0x0f;
  const info = c.info;
  let dataType = DATA_FIELD_TYPE[dataField] ?? "none";
  let raw;
  const at = r.offset;
  if (dataField === 0x0d) {
    if (r.remaining === 0) return truncated(at, "LVAR");
    const lvar = r.u8();
    const layout = lvarLayout(lvar);
    if (layout === null) {
      return {
        code: APP_ERROR.RESERVED_LVAR,
        offset: at,
        message: `Cannot decode record: reserved LVAR 0x${byteHex(lvar)}`,
      };
    }
    if (layout.length > r.remaining) return truncated(at, "data");
    dataType = layout.dataType;
    raw = decodeVariable(r.bytesView(layout.length), dataType, layout.negative);
  } else {
    const len = DATA_FIELD_LENGTH[dataField] ?? 0;
    if (len > r.remaining) return truncated(at, "data");
    const dateType = dateTypeFor(info.kind, dataField);
    if (dateType !== null) dataType = dateType;
    raw = c.msbFirst && len > 1
      ? readReversed(r, dataType, len)
      : readFixed(r, dataType);
  }
  const exponent = info.exponent + c.exponentChange;
  const factor = c.exponentChange === 0
    ? info.factor
    : info.multiplier * scaleByPowerOfTen(1, exponent);
  let value = raw;
  if (c.apply && typeof raw === "number") {
    value = scaleByPowerOfTen(raw, exponent);
    if (info.multiplier !== 1) value *= info.multiplier;
    if (c.offset !== 0) value += c.offset;
  }
  return {
    index,
    dif: byteHex(dif),
    dife,
    vif: byteHex(c.vif),
    vife: c.vife,
    function: FUNCTIONS[(dif >> 4) & 0x03] ?? "instantaneous",
    storage,
    tariff,
    subunit,
    quantity: c.text ?? info.quantity,
    unit: c.apply ? info.unit : info.rawUnit,
    value,
    raw,
    dataType,
    factor,
    offset: c.offset,
    vifeDescriptions: c.descriptions,
  };
}

/**
 * Decodes the data records of variable data (the bytes after the transport header).
 * Stops at DIF 0x0F / 0x1F (the rest is manufacturer data) and 0x7F (global readout
 * request), skips 0x2F fillers, and
 * returns the records decoded before any error.
 *
 * @param data The record bytes.
 * @param options `applyUnitFactor` (default true); `startIndex` of the first record
 *   (default 0); `msbFirst` for mode 2 data, multi-byte fields most significant byte first
 *   (CI 0x76; default false).
 * @returns Records, the more-records flag, manufacturer data and the error, if any.
 * @example
 * ```ts
 * import { fromHex } from "../util/mod.ts";
 * decodeRecords(fromHex("04 06 17 92 00 00")).records[0]?.value; // 37399000 (Wh)
 * ```
 */
export function decodeRecords(
  data: Uint8Array,
  options: DecodeOptions & { startIndex?: number; msbFirst?: boolean } = {},
): RecordsResult {
  const c: Cursor = {
    r: new ByteReader(data),
    apply: options.applyUnitFactor ?? true,
    msbFirst: options.msbFirst ?? false,
    vif: 0,
    info: RESERVED_VIF,
    vife: [],
    descriptions: [],
    exponentChange: 0,
    offset: 0,
    text: null,
  };
  const r = c.r;
  const records: DataRecord[] = [];
  let index = options.startIndex ?? 0;
  let manufacturerData: Uint8Array | null = null;
  let moreRecordsFollow = false;
  let globalReadout = false;
  let error: DecodeError | null = null;
  while (r.remaining > 0) {
    const start = r.offset;
    const dif = r.u8();
    if ((dif & 0x0f) === 0x0f) {
      if (dif === DIF_IDLE_FILLER) continue;
      if (dif === DIF_MANUFACTURER || dif === DIF_MORE_RECORDS) {
        moreRecordsFollow = dif === DIF_MORE_RECORDS;
        const rest = data.subarray(r.offset);
        manufacturerData = moreRecordsFollow && rest.length === 0 ? null : rest;
        break;
      }
      if (dif === DIF_GLOBAL_READOUT) {
        globalReadout = true;
        manufacturerData = r.remaining > 0 ? data.subarray(r.offset) : null;
        break;
      }
      manufacturerData = data.subarray(r.offset);
      error = {
        code: APP_ERROR.RESERVED_DIF,
        offset: start,
        message: `Cannot decode record: reserved DIF 0x${byteHex(dif)}`,
      };
      break;
    }
    const rec = readRecord(c, dif, index);
    if ("code" in rec) {
      error = rec;
      break;
    }
    records.push(rec);
    index++;
  }
  return { records, moreRecordsFollow, manufacturerData, globalReadout, error };
}
