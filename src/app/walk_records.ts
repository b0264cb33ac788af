/**
 * The one record walker of the project (EN 13757-3, mbus-wired.md §3.3–3.9): finds where
 * each data record's DIF, DIFEs, VIF, plain-text unit, VIFEs, LVAR and data lie, without
 * interpreting them. The wired decoder (`decodeRecords`), the wireless drivers and the
 * analyzer all read records through it, so they agree on every length rule:
 *
 * - DIF `2F` is a filler; `0F` / `1F` end the records (manufacturer data follows, `1F`:
 *   more records follow); `7F` is a global readout request; other `xF` DIFs are reserved;
 * - at most {@link MAX_DIFE} DIFEs and {@link MAX_VIFE} VIFEs (the `FB`/`FD` code counts);
 * - VIF `FB`/`FD`: the next byte is the true VIF; VIF `7C`/`FC`: one length byte and that
 *   many characters follow the VIF, before any VIFE;
 * - DIF data field `D`: LVAR `00`–`BF` text, `C0`–`C9` / `D0`–`D9` BCD, `E0`–`EF` binary,
 *   `F0`–`F4` 4 × (LVAR − `EC`) bytes, `F5` 48 bytes, `F6` 64 bytes, the rest reserved.
 *
 * Total: never throws; every input ends in a stop reason with its offset.
 *
 * @module
 */
import { byteHex, type DecodeError } from "../util/mod.ts";
import {
  APP_ERROR,
  DIF_GLOBAL_READOUT,
  DIF_IDLE_FILLER,
  DIF_MANUFACTURER,
  DIF_MORE_RECORDS,
  MAX_DIFE,
  MAX_VIFE,
  VIF_FB,
  VIF_FD,
  VIF_PLAIN_TEXT,
} from "./constants.ts";
import type { DataType, RecordFunction } from "./types.ts";
import {
  DATA_FIELD_LENGTH,
  DATA_FIELD_TYPE,
  lvarLayout,
} from "./_data_value.ts";

/** Where one record's parts lie in the walked bytes (all offsets absolute). */
export interface RecordSpan {
  /** Offset of the DIF. */
  readonly start: number;
  /** The DIF byte. */
  readonly dif: number;
  /** Number of DIFEs. */
  readonly difeCount: number;
  /** Function field of the DIF. */
  readonly function: RecordFunction;
  /** Storage number (DIF bit 6 plus the DIFE storage bits). */
  readonly storage: number;
  /** Tariff (DIFE bits 5–4). */
  readonly tariff: number;
  /** Subunit (DIFE bit 6). */
  readonly subunit: number;
  /** Offset of the VIF. */
  readonly vifAt: number;
  /** The VIF byte as sent. */
  readonly vif: number;
  /**
   * The true VIF: `0x00`–`0x7F` primary (bit 7 masked), `0xFD00 | x` / `0xFB00 | x` for the
   * extension tables (x = code of the byte after `FD`/`FB`, bit 7 masked).
   */
  readonly vifCode: number;
  /** Offset of the plain-text length byte (VIF `7C`/`FC`), else -1. */
  readonly textAt: number;
  /** Offset of the first combinable VIFE (equals `headerEnd` when there is none). */
  readonly combinableAt: number;
  /** End of the DIB and VIB (offset of the LVAR byte, or of the data). */
  readonly headerEnd: number;
  /** The LVAR byte of a variable-length field, else -1. */
  readonly lvar: number;
  /** Offset of the data. */
  readonly dataAt: number;
  /** Data length in bytes. */
  readonly dataLength: number;
  /** Coding of the data from the DIF (or the LVAR); date types are chosen by the VIF later. */
  readonly dataType: DataType;
  /** LVAR `D0`–`D9`: negative BCD. */
  readonly negative: boolean;
  /** Offset after the record. */
  readonly end: number;
}

/** Why a walk stopped. */
export type WalkStop =
  | "end"
  | "manufacturer"
  | "more_records"
  | "global_readout"
  | "reserved_dif"
  | "error";

/** The outcome of {@link walkRecords}. */
export interface WalkResult {
  /** The records, in order. */
  readonly spans: RecordSpan[];
  /** Why the walk stopped. */
  readonly stop: WalkStop;
  /** Offset of the byte that stopped the walk (the DIF, or where the error lies). */
  readonly stopAt: number;
  /** Bytes after DIF `0F`/`1F`/`7F`/reserved (a view), or null when none. */
  readonly manufacturerData: Uint8Array | null;
  /** The error when `stop` is `error` or `reserved_dif`, else null. */
  readonly error: DecodeError | null;
}

const FUNCTIONS: readonly RecordFunction[] = [
  "instantaneous",
  "maximum",
  "minimum",
  "error",
];

function truncated(offset: number, what: string): DecodeError {
  return {
    code: APP_ERROR.TRUNCATED_RECORD,
    offset,
    message: `Cannot decode record: premature end of data in ${what}`,
  };
}

/**
 * Reads the DIB and VIB of the record whose DIF is at `start` (the DIF must not be
 * `xF`), and with `withData` its LVAR and data too.
 *
 * @param data The record bytes.
 * @param start Offset of the DIF.
 * @param withData false for compact-frame formats (headers without data): the span's
 *   data is empty and a variable-length DIF is accepted without LVAR.
 * @returns The span, or the error that stops the walk there.
 */
export function readRecordSpan(
  data: Uint8Array,
  start: number,
  withData = true,
): RecordSpan | DecodeError {
  const size = data.length;
  let pos = start;
  const dif = data[pos++] ?? 0;
  let storage = (dif >> 6) & 1;
  let tariff = 0;
  let subunit = 0;
  let difeCount = 0;
  // Place values of the next DIFE's storage, tariff and subunit bits (2^(1+4n), 4^n, 2^n).
  let storageScale = 2;
  let tariffScale = 1;
  let subunitScale = 1;
  let more = dif & 0x80;
  while (more) {
    if (difeCount >= MAX_DIFE) {
      return {
        code: APP_ERROR.TOO_MANY_DIFES,
        offset: pos,
        message: `Cannot decode record: more than ${MAX_DIFE} DIFEs`,
      };
    }
    if (pos >= size) return truncated(pos, "DIFE");
    const b = data[pos++] ?? 0;
    storage += (b & 0x0f) * storageScale;
    tariff += ((b >> 4) & 0x03) * tariffScale;
    subunit += ((b >> 6) & 0x01) * subunitScale;
    storageScale *= 16;
    tariffScale *= 4;
    subunitScale *= 2;
    difeCount++;
    more = b & 0x80;
  }
  if (pos >= size) return truncated(pos, "VIF");
  const vifAt = pos;
  const vif = data[pos++] ?? 0;
  let vifCode = vif & 0x7f;
  let vifes = 0;
  let textAt = -1;
  more = vif & 0x80;
  if (vif === VIF_FD || vif === VIF_FB) {
    if (pos >= size) return truncated(pos, "VIFE");
    const e = data[pos++] ?? 0;
    vifes++;
    vifCode = (vif << 8) | (e & 0x7f);
    more = e & 0x80;
  } else if (vifCode === VIF_PLAIN_TEXT) {
    if (pos >= size) return truncated(pos, "plain-text VIF");
    const len = data[pos] ?? 0;
    if (len > size - pos - 1) return truncated(pos, "plain-text VIF");
    textAt = pos;
    pos += 1 + len;
  }
  const combinableAt = pos;
  while (more) {
    if (vifes >= MAX_VIFE) {
      return {
        code: APP_ERROR.TOO_MANY_VIFES,
        offset: pos,
        message: `Cannot decode record: more than ${MAX_VIFE} VIFEs`,
      };
    }
    if (pos >= size) return truncated(pos, "VIFE");
    more = (data[pos++] ?? 0) & 0x80;
    vifes++;
  }
  const headerEnd = pos;
  const dataField = dif & 0x0f;
  let dataType = DATA_FIELD_TYPE[dataField] ?? "none";
  let lvar = -1;
  let length = DATA_FIELD_LENGTH[dataField] ?? 0;
  let negative = false;
  if (!withData) {
    length = 0;
  } else if (dataField === 0x0d) {
    if (pos >= size) return truncated(pos, "LVAR");
    lvar = data[pos] ?? 0;
    const layout = lvarLayout(lvar);
    if (layout === null) {
      return {
        code: APP_ERROR.RESERVED_LVAR,
        offset: pos,
        message: `Cannot decode record: reserved LVAR 0x${byteHex(lvar)}`,
      };
    }
    pos++;
    length = layout.length;
    dataType = layout.dataType;
    negative = layout.negative;
    if (length > size - pos) return truncated(pos - 1, "data");
  } else if (length > size - pos) {
    return truncated(pos, "data");
  }
  return {
    start,
    dif,
    difeCount,
    function: FUNCTIONS[(dif >> 4) & 0x03] ?? "instantaneous",
    storage,
    tariff,
    subunit,
    vifAt,
    vif,
    vifCode,
    textAt,
    combinableAt,
    headerEnd,
    lvar,
    dataAt: pos,
    dataLength: length,
    dataType,
    negative,
    end: pos + length,
  };
}

/**
 * Walks the data records of variable data.
 *
 * @param data The record bytes (after the transport header).
 * @param visit Called with each record as it is found (optional; the spans are returned
 *   as well).
 * @returns The records, the stop reason and where it lies, manufacturer data and error.
 * @example
 * ```ts
 * import { fromHex } from "../util/mod.ts";
 * walkRecords(fromHex("04 06 17 92 00 00 0F 01")).stop; // "manufacturer"
 * ```
 */
export function walkRecords(
  data: Uint8Array,
  visit?: (span: RecordSpan) => void,
): WalkResult {
  const spans: RecordSpan[] = [];
  let pos = 0;
  while (pos < data.length) {
    const dif = data[pos] ?? 0;
    if ((dif & 0x0f) === 0x0f) {
      if (dif === DIF_IDLE_FILLER) {
        pos++;
        continue;
      }
      const rest = data.subarray(pos + 1);
      if (dif === DIF_MANUFACTURER || dif === DIF_MORE_RECORDS) {
        const more = dif === DIF_MORE_RECORDS;
        return {
          spans,
          stop: more ? "more_records" : "manufacturer",
          stopAt: pos,
          manufacturerData: more && rest.length === 0 ? null : rest,
          error: null,
        };
      }
      if (dif === DIF_GLOBAL_READOUT) {
        return {
          spans,
          stop: "global_readout",
          stopAt: pos,
          manufacturerData: rest.length > 0 ? rest : null,
          error: null,
        };
      }
      return {
        spans,
        stop: "reserved_dif",
        stopAt: pos,
        manufacturerData: rest,
        error: {
          code: APP_ERROR.RESERVED_DIF,
          offset: pos,
          message: `Cannot decode record: reserved DIF 0x${byteHex(dif)}`,
        },
      };
    }
    const span = readRecordSpan(data, pos);
    if ("code" in span) {
      return {
        spans,
        stop: "error",
        stopAt: span.offset,
        manufacturerData: null,
        error: span,
      };
    }
    spans.push(span);
    visit?.(span);
    pos = span.end;
  }
  return {
    spans,
    stop: "end",
    stopAt: pos,
    manufacturerData: null,
    error: null,
  };
}
