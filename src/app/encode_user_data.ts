/**
 * Encoding of application layer user data: transport header by CI, records, and the
 * DIF 0x1F / 0x0F tail.
 *
 * @module
 */
import { ByteWriter, encodeBcd } from "../util/mod.ts";
import type { Header, UserDataInput } from "./types.ts";
import {
  CI,
  DIF_MANUFACTURER,
  DIF_MORE_RECORDS,
  LONG_HEADER_LENGTH,
  SHORT_HEADER_LENGTH,
} from "./constants.ts";
import { encodeManufacturer } from "./manufacturer.ts";
import { encodeRecords } from "./encode_record.ts";
import { variableHeaderLength } from "./decode_user_data.ts";

/**
 * Encodes the 12-byte long header.
 *
 * @param header The header (id up to 8 digits, three manufacturer letters).
 * @returns 12 bytes.
 * @throws {RangeError} On a bad id or manufacturer.
 */
export function encodeLongHeader(header: Header): Uint8Array {
  return new ByteWriter(LONG_HEADER_LENGTH)
    .bytes(encodeBcd(header.id, 4))
    .u16le(encodeManufacturer(header.manufacturer))
    .u8(header.version)
    .u8(header.medium.code)
    .u8(header.accessNumber)
    .u8(header.status)
    .u16le(header.signature)
    .toBytes();
}

/**
 * Encodes user data: the bytes that follow the CI in a long frame.
 *
 * @param input CI (default 0x72), header, records, more-records flag, manufacturer data.
 * @returns The CI and the data bytes.
 * @throws {RangeError} On an unsupported CI, a missing header or a value that does not fit.
 * @example
 * ```ts
 * const { ci, data } = encodeUserData({
 *   header: { id: "12345678", manufacturer: "KAM", version: 8, medium: { code: 4, name: "" },
 *     accessNumber: 1, status: 0, signature: 0 },
 *   records: [{ dataType: "int32", vif: "06", raw: 37351 }],
 * });
 * ```
 */
export function encodeUserData(
  input: UserDataInput,
): { ci: number; data: Uint8Array } {
  const ci = input.ci ?? CI.VARIABLE_LONG;
  const headerLength = variableHeaderLength(ci);
  if (headerLength < 0) {
    throw new RangeError(
      `Cannot encode user data: CI 0x${ci.toString(16)} carries no records`,
    );
  }
  const w = new ByteWriter(64);
  if (headerLength > 0) {
    const h = input.header;
    if (!h) {
      throw new RangeError(
        `Cannot encode user data: CI 0x${ci.toString(16)} needs a header`,
      );
    }
    if (headerLength === LONG_HEADER_LENGTH) w.bytes(encodeLongHeader(h));
    if (headerLength === SHORT_HEADER_LENGTH) {
      w.u8(h.accessNumber).u8(h.status).u16le(h.signature);
    }
  }
  w.bytes(encodeRecords(input.records));
  if (input.moreRecordsFollow) {
    w.u8(DIF_MORE_RECORDS);
    if (input.manufacturerData) w.bytes(input.manufacturerData);
  } else if (input.manufacturerData) {
    w.u8(DIF_MANUFACTURER).bytes(input.manufacturerData);
  }
  return { ci, data: w.toBytes() };
}
