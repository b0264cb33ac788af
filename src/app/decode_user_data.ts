/**
 * Decoding of application layer user data by CI field (mbus-wired.md §3.1–3.2, 3.11,
 * 3.12): variable data with long, short or no header, fixed data, application errors.
 *
 * @module
 */
import {
  byteHex,
  ByteReader,
  type DecodeResult,
  fail,
  formatBcd,
  ok,
} from "../util/mod.ts";
import type { DecodeOptions, Header, Telegram } from "./types.ts";
import {
  APP_ERROR,
  APPLICATION_ERROR_MESSAGES,
  CI,
  FIXED_DATA_LENGTH,
  LONG_HEADER_LENGTH,
  SHORT_HEADER_LENGTH,
} from "./constants.ts";
import { decodeManufacturer } from "./manufacturer.ts";
import { mediumName } from "./medium.ts";
import { decodeRecords } from "./decode_records.ts";
import { decodeFixedData } from "./fixed_data.ts";

/** Header length of each CI that carries variable data records. */
const VARIABLE_HEADER: ReadonlyMap<number, number> = new Map([
  [CI.VARIABLE_LONG, LONG_HEADER_LENGTH],
  [CI.VARIABLE_MODE2, LONG_HEADER_LENGTH],
  [CI.SELECT_LONG, LONG_HEADER_LENGTH],
  [CI.COMMAND_LONG, LONG_HEADER_LENGTH],
  [CI.RESPONSE_LONG, LONG_HEADER_LENGTH],
  [CI.VARIABLE_SHORT, SHORT_HEADER_LENGTH],
  [CI.COMMAND_SHORT, SHORT_HEADER_LENGTH],
  [CI.RESPONSE_SHORT, SHORT_HEADER_LENGTH],
  [CI.VARIABLE_NONE, 0],
  [CI.DATA_SEND, 0],
  [CI.RESPONSE_NONE, 0],
]);

/**
 * Header length for a CI that carries variable data, or -1.
 *
 * @param ci The CI field.
 * @returns 12, 4, 0 or -1.
 */
export function variableHeaderLength(ci: number): number {
  return VARIABLE_HEADER.get(ci) ?? -1;
}

/**
 * Decodes the 12-byte long header (ID, manufacturer, version, medium, access, status,
 * signature).
 *
 * @param data At least 12 bytes.
 * @returns The header.
 */
export function decodeLongHeader(data: Uint8Array): Header {
  const medium = data[7] ?? 0;
  return {
    id: formatBcd(data.subarray(0, 4)),
    manufacturer: decodeManufacturer((data[4] ?? 0) | ((data[5] ?? 0) << 8)),
    version: data[6] ?? 0,
    medium: { code: medium, name: mediumName(medium) },
    accessNumber: data[8] ?? 0,
    status: data[9] ?? 0,
    signature: (data[10] ?? 0) | ((data[11] ?? 0) << 8),
  };
}

function decodeShortHeader(data: Uint8Array): Header {
  const r = new ByteReader(data);
  return {
    id: "",
    manufacturer: "",
    version: 0,
    medium: { code: 0xff, name: "" },
    accessNumber: r.u8(),
    status: r.u8(),
    signature: r.u16le(),
  };
}

function emptyTelegram(ci: number): Telegram {
  return {
    ci,
    header: null,
    records: [],
    moreRecordsFollow: false,
    manufacturerData: null,
    globalReadout: false,
    applicationError: null,
    error: null,
  };
}

/**
 * Decodes application layer user data: the bytes after the CI field of a long frame (or of
 * a wireless telegram). Never throws.
 *
 * @param ci The CI field.
 * @param data The bytes after the CI.
 * @param options `applyUnitFactor` (default true).
 * @returns The telegram (with `error` set when decoding stopped early: the records before
 *   it are kept), or a failure when nothing is usable: `UNSUPPORTED_CI`, `TRUNCATED_HEADER`.
 * @example
 * ```ts
 * import { fromHex } from "../util/mod.ts";
 * const r = decodeUserData(0x72, fromHex("07 20 18 00 e6 1e 35 07 4c 00 00 00 0c 16 69 02 00 00"));
 * if (r.ok) r.value.records[0]?.value; // 269 (m^3)
 * ```
 */
export function decodeUserData(
  ci: number,
  data: Uint8Array,
  options: DecodeOptions = {},
): DecodeResult<Telegram> {
  const headerLength = variableHeaderLength(ci);
  if (headerLength >= 0) {
    if (data.length < headerLength) {
      return fail(
        APP_ERROR.TRUNCATED_HEADER,
        data.length,
        `Cannot decode header: ${headerLength} bytes needed after CI 0x${
          byteHex(ci)
        }, ${data.length} present`,
      );
    }
    const t = emptyTelegram(ci);
    if (headerLength === LONG_HEADER_LENGTH) t.header = decodeLongHeader(data);
    if (headerLength === SHORT_HEADER_LENGTH) {
      t.header = decodeShortHeader(data);
    }
    const res = decodeRecords(data.subarray(headerLength), {
      applyUnitFactor: options.applyUnitFactor ?? true,
      msbFirst: ci === CI.VARIABLE_MODE2,
    });
    t.records = res.records;
    t.moreRecordsFollow = res.moreRecordsFollow;
    t.globalReadout = res.globalReadout;
    t.manufacturerData = res.manufacturerData === null
      ? null
      : toHexString(res.manufacturerData);
    if (res.error) {
      t.error = { ...res.error, offset: res.error.offset + headerLength };
    }
    return ok(t);
  }
  if (ci === CI.APPLICATION_ERROR) {
    const t = emptyTelegram(ci);
    const code = data.length > 0 ? data[0] ?? 0 : 0;
    t.applicationError = code;
    t.error = {
      code: APP_ERROR.APPLICATION_ERROR,
      offset: 0,
      message: `Application error ${code}: ${
        APPLICATION_ERROR_MESSAGES[code] ?? "Reserved"
      }`,
    };
    return ok(t);
  }
  if (ci === CI.ALARM) {
    const t = emptyTelegram(ci);
    t.manufacturerData = toHexString(data);
    return ok(t);
  }
  if (ci === CI.FIXED || ci === CI.FIXED_MODE2) {
    if (data.length !== FIXED_DATA_LENGTH) {
      return fail(
        APP_ERROR.TRUNCATED_HEADER,
        Math.min(data.length, FIXED_DATA_LENGTH),
        `Cannot decode fixed data: ${FIXED_DATA_LENGTH} bytes expected after CI 0x${
          byteHex(ci)
        }, ${data.length} present`,
      );
    }
    const t = emptyTelegram(ci);
    const fixed = decodeFixedData(
      data,
      options.applyUnitFactor ?? true,
      ci === CI.FIXED_MODE2,
    );
    t.header = fixed.header;
    t.records = fixed.records;
    return ok(t);
  }
  return fail(
    APP_ERROR.UNSUPPORTED_CI,
    0,
    `Cannot decode user data: unsupported CI 0x${byteHex(ci)}`,
  );
}

function toHexString(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += byteHex(bytes[i] ?? 0);
  return s;
}
