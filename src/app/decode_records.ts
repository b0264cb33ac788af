/**
 * Decoding of the data records of variable data (EN 13757-3, mbus-wired.md §3.3–3.9):
 * the records found by the one record walker (`walk_records.ts`), with their VIF/VIFE
 * meaning (primary, FB, FD, plain text, manufacturer specific), data field and unit
 * factor. Total: never throws, returns the records decoded before any error.
 *
 * @module
 */
import { byteHex } from "../util/mod.ts";
import type {
  DataRecord,
  DataType,
  DecodeOptions,
  RecordsResult,
  RecordValue,
} from "./types.ts";
import { interpretVib, scaleByPowerOfTen } from "./_vib.ts";
import { type RecordSpan, walkRecords } from "./walk_records.ts";
import { dateTypeFor, decodeVariable, readFixed } from "./_data_value.ts";

export { scaleByPowerOfTen };

/** Mode 2 (CI 0x76): a multi-byte field is sent most significant byte first. */
function readReversed(
  data: Uint8Array,
  at: number,
  dataType: DataType,
  len: number,
): RecordValue {
  const reversed = new Uint8Array(len);
  for (let i = 0; i < len; i++) reversed[i] = data[at + len - 1 - i] ?? 0;
  return readFixed(reversed, 0, dataType);
}

/** Decodes one record the walker has delimited. */
function toRecord(
  data: Uint8Array,
  span: RecordSpan,
  index: number,
  apply: boolean,
  msbFirst: boolean,
): DataRecord {
  const vib = interpretVib(data, span);
  const info = vib.info;
  let dataType = span.dataType;
  let raw: RecordValue;
  if (span.lvar >= 0) {
    raw = decodeVariable(
      data,
      span.dataAt,
      span.dataLength,
      dataType,
      span.negative,
    );
  } else {
    const dateType = dateTypeFor(info.kind, span.dif & 0x0f);
    if (dateType !== null) dataType = dateType;
    raw = msbFirst && span.dataLength > 1
      ? readReversed(data, span.dataAt, dataType, span.dataLength)
      : readFixed(data, span.dataAt, dataType);
  }
  const exponent = info.exponent + vib.exponentChange;
  const factor = vib.exponentChange === 0
    ? info.factor
    : info.multiplier * scaleByPowerOfTen(1, exponent);
  let value = raw;
  if (apply && typeof raw === "number") {
    value = scaleByPowerOfTen(raw, exponent);
    if (info.multiplier !== 1) value *= info.multiplier;
    if (vib.offset !== 0) value += vib.offset;
  }
  const dife: string[] = [];
  for (let i = 1; i <= span.difeCount; i++) {
    dife.push(byteHex(data[span.start + i] ?? 0));
  }
  return {
    index,
    dif: byteHex(span.dif),
    dife,
    vif: byteHex(span.vif),
    vife: vib.vife,
    function: span.function,
    storage: span.storage,
    tariff: span.tariff,
    subunit: span.subunit,
    quantity: vib.text ?? info.quantity,
    unit: apply ? info.unit : info.rawUnit,
    value,
    raw,
    dataType,
    factor,
    offset: vib.offset,
    vifeDescriptions: vib.descriptions,
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
  const apply = options.applyUnitFactor ?? true;
  const msbFirst = options.msbFirst ?? false;
  const walk = walkRecords(data);
  const start = options.startIndex ?? 0;
  const spans = walk.spans;
  const records: DataRecord[] = [];
  for (let i = 0; i < spans.length; i++) {
    records.push(toRecord(
      data,
      spans[i] as RecordSpan,
      start + i,
      apply,
      msbFirst,
    ));
  }
  return {
    records,
    moreRecordsFollow: walk.stop === "more_records",
    manufacturerData: walk.manufacturerData,
    globalReadout: walk.stop === "global_readout",
    error: walk.error,
  };
}
