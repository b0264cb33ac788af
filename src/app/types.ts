/**
 * The plain data shapes of the application layer (EN 13757-3): decoded telegrams and
 * records, and the inputs of the encoder.
 *
 * @module
 */
import type { DecodeError } from "../util/mod.ts";

/** The function field of a DIF (bits 5–4): what kind of value the record holds. */
export type RecordFunction = "instantaneous" | "maximum" | "minimum" | "error";

/**
 * A record value: numbers; dates as ISO-8601-like strings (`2014-03-13`,
 * `2014-03-13T12:10:00Z`, `12:10:05`); text as strings; binary and undecodable BCD as hex
 * or digit strings; `null` for no data or an invalid date.
 */
export type RecordValue = number | string | null;

/** How the data field of a record is coded; the encoder accepts the same names. */
export type DataType =
  | "none"
  | "selection"
  | "int8"
  | "int16"
  | "int24"
  | "int32"
  | "int48"
  | "int64"
  | "real32"
  | "bcd2"
  | "bcd4"
  | "bcd6"
  | "bcd8"
  | "bcd12"
  | "text"
  | "binary"
  | "bcdVar"
  | "dateG"
  | "dateTimeF"
  | "timeJ"
  | "dateTimeI"
  | "dateK";

/** One decoded data record (DIB + VIB + data). */
export interface DataRecord {
  /** Position of the record in the telegram, 0-based (continues across telegrams with `startIndex`). */
  index: number;
  /** The DIF byte, two lowercase hex digits. */
  dif: string;
  /** The DIFE bytes, lowercase hex. */
  dife: string[];
  /** The VIF byte, lowercase hex (`fd`, `fb` for the extension tables). */
  vif: string;
  /** The VIFE bytes, lowercase hex (after `fd`/`fb` the first one is the real code). */
  vife: string[];
  /** Function field of the DIF. */
  function: RecordFunction;
  /** Storage number (DIF bit 6 plus the DIFE storage bits). */
  storage: number;
  /** Tariff (DIFE bits 5–4). */
  tariff: number;
  /** Subunit / device unit (DIFE bit 6). */
  subunit: number;
  /** Quantity name, as libmbus normalises it (`Energy`, `Volume`, `Fabrication No`, …); plain-text VIFs give their text. */
  quantity: string;
  /** Unit (`Wh`, `m^3`, `°C`, `s`, …) or `""` when dimensionless. */
  unit: string;
  /** The value with the unit factor applied (unless `applyUnitFactor` is false). */
  value: RecordValue;
  /** The value as coded, before the unit factor. */
  raw: RecordValue;
  /** How the data field is coded. */
  dataType: DataType;
  /** The multiplier from raw to value (10^n from the VIF and VIFE corrections, or a duration factor). */
  factor: number;
  /**
   * Additive correction constant (VIFE 0x78–0x7B: 10^(n−3), added like libmbus does), else 0.
   * With the unit factor applied, `value = raw × factor + offset`.
   */
  offset: number;
  /** Meanings of the combinable VIFEs (`per hour`, `at phase L1`, …) in order. */
  vifeDescriptions: string[];
}

/** The long (or short) transport header of a variable data telegram. */
export interface Header {
  /** Identification number, 8 digits; hex digits A–F are kept. `""` for a short header. */
  id: string;
  /** Three manufacturer letters (`KAM`); `""` for a short header. */
  manufacturer: string;
  /** Version (generation) byte. */
  version: number;
  /** Medium (device type) code and name. */
  medium: { code: number; name: string };
  /** Access number. */
  accessNumber: number;
  /** Status byte. */
  status: number;
  /** Signature / configuration field (16 bits, LE). */
  signature: number;
}

/** A decoded application layer telegram. */
export interface Telegram {
  /** The CI field. */
  ci: number;
  /** The transport header, or null for CI values without one. */
  header: Header | null;
  /** The data records decoded so far. */
  records: DataRecord[];
  /** True when a DIF 0x1F ended the records (another telegram follows). */
  moreRecordsFollow: boolean;
  /** Bytes after DIF 0x0F / 0x1F as lowercase hex (wire order), or null. */
  manufacturerData: string | null;
  /** True when a DIF 0x7F (global readout request, master → slave) ended the records. */
  globalReadout: boolean;
  /** Application error code of a CI 0x70 telegram (EN 13757-3 table, 0–9), else null. */
  applicationError: number | null;
  /**
   * Null, or the reason decoding stopped early (the records before it are kept); its offset
   * counts from the first byte after the CI.
   */
  error: DecodeError | null;
}

/** Options of the decoders. */
export interface DecodeOptions {
  /**
   * Multiply raw values by the VIF's unit factor into `value` (`raw` keeps the coded value).
   * @default true
   */
  applyUnitFactor?: boolean;
}

/** What {@link decodeRecords} returns. */
export interface RecordsResult {
  /** The records decoded so far. */
  records: DataRecord[];
  /** True when a DIF 0x1F ended the records. */
  moreRecordsFollow: boolean;
  /** Bytes after DIF 0x0F / 0x1F (a view), or null. */
  manufacturerData: Uint8Array | null;
  /** True when a DIF 0x7F (global readout request, master → slave) ended the records. */
  globalReadout: boolean;
  /** Null, or why decoding stopped early (offset relative to the input). */
  error: DecodeError | null;
}

/** One record for the encoder: explicit DIF/DIFE bytes, or a data type and fields. */
export interface RecordInput {
  /** The DIF byte as hex; built from `dataType` and the fields when absent. */
  dif?: string;
  /** The DIFE bytes as hex; built from storage, tariff and subunit when absent. */
  dife?: string[];
  /** Data type; derived from `dif` (and the VIF for dates) when absent, else from `raw`. */
  dataType?: DataType;
  /** Function field. @default "instantaneous" */
  function?: RecordFunction;
  /** Storage number. @default 0 */
  storage?: number;
  /** Tariff. @default 0 */
  tariff?: number;
  /** Subunit. @default 0 */
  subunit?: number;
  /** The VIF byte as hex. */
  vif: string;
  /** The VIFE bytes as hex. */
  vife?: string[];
  /** Text of a plain-text VIF (`7c`/`fc`), as displayed (the encoder reverses it on the wire). */
  vifText?: string;
  /** The value as coded (before the unit factor). */
  raw: RecordValue;
}

/** A telegram for the encoder. */
export interface UserDataInput {
  /** CI field: 0x72 (long header), 0x7A (short), 0x78 / 0x51 (none), … @default 0x72 */
  ci?: number;
  /** Header; required for long-header CIs (only access, status, signature for short ones). */
  header?: Header;
  /** Records in order. */
  records: RecordInput[];
  /** End with DIF 0x1F (more records follow). @default false */
  moreRecordsFollow?: boolean;
  /** Manufacturer specific bytes after DIF 0x0F (or after 0x1F). */
  manufacturerData?: Uint8Array;
}
