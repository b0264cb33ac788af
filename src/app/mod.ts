/**
 * The EN 13757-3 application layer: fixed and variable data, DIF/DIFE/VIF/VIFE tables,
 * units and unit factors, date/time types, manufacturer and medium codes; a total decoder
 * and an encoder that read the same tables. Imports util only.
 *
 * @example
 * ```ts
 * import { decodeUserData, encodeUserData } from "./mod.ts";
 * const { ci, data } = encodeUserData({
 *   header: { id: "06855817", manufacturer: "KAM", version: 8, medium: { code: 4, name: "" },
 *     accessNumber: 4, status: 0, signature: 0 },
 *   records: [{ dataType: "int32", vif: "06", raw: 37351 }],
 * });
 * const r = decodeUserData(ci, data);
 * if (r.ok) r.value.records[0]?.value; // 37351000 (Wh)
 * ```
 * @module
 */
export type {
  DataRecord,
  DataType,
  DecodeOptions,
  Header,
  RecordFunction,
  RecordInput,
  RecordsResult,
  RecordValue,
  Telegram,
  UserDataInput,
} from "./types.ts";
export type { DecodeError, DecodeResult } from "../util/mod.ts";
export { decodeRecords, scaleByPowerOfTen } from "./decode_records.ts";
export {
  analyzeAfterCi,
  analyzeHeader,
  analyzeRecords,
  type AnalyzeResult,
  analyzeResult,
  type AnalyzeSpan,
  SpanSink,
  statusText,
} from "./analyze.ts";
export {
  readRecordSpan,
  type RecordSpan,
  walkRecords,
  type WalkResult,
  type WalkStop,
} from "./walk_records.ts";
export {
  decodeLongHeader,
  decodeUserData,
  variableHeaderLength,
} from "./decode_user_data.ts";
export { decodeFixedData, type FixedData } from "./fixed_data.ts";
export { DATA_FIELD_OF, encodeRecord, encodeRecords } from "./encode_record.ts";
export { encodeLongHeader, encodeUserData } from "./encode_user_data.ts";
export { decodeManufacturer, encodeManufacturer } from "./manufacturer.ts";
export { MEDIUM_ROWS, mediumName, mediumRefName } from "./medium.ts";
export {
  DURATION_UNITS,
  FB_VIF,
  FB_VIF_ROWS,
  FD_VIF,
  FD_VIF_ROWS,
  PRIMARY_VIF,
  PRIMARY_VIF_ROWS,
  type VifInfo,
  type VifKind,
  type VifRow,
} from "./vif_table.ts";
export {
  COMBINABLE_EXT_VIFE,
  COMBINABLE_EXT_VIFE_ROWS,
  COMBINABLE_VIFE,
  COMBINABLE_VIFE_ROWS,
  vifeExponent,
  vifeOffset,
  type VifeRow,
} from "./vife_table.ts";
export { APP_ERROR, APPLICATION_ERROR_MESSAGES, CI } from "./constants.ts";
export {
  type DateFields,
  dateFields,
  decodeDateG,
  decodeDateK,
  decodeDateTimeF,
  decodeDateTimeI,
  decodeTimeJ,
  encodeDateG,
  encodeDateTimeF,
  encodeDateTimeI,
  encodeTimeJ,
} from "./date_time.ts";
