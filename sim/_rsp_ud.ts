/**
 * The RSP_UD long frame of a virtual slave: variable data (CI 0x72) with the long header,
 * its records, and DIF 0x1F when more telegrams follow (EN 13757-3).
 *
 * @module
 */
import {
  C_RSP_UD,
  CI_RSP_UD_VARIABLE,
  encodeFrame,
  longFrame,
  MAX_DATA_LENGTH,
} from "../src/link/mod.ts";

/** DIF 0x1F: more records follow in the next telegram. */
const DIF_MORE_RECORDS_FOLLOW = 0x1f;
/** Bytes of the long header (ID, manufacturer, version, medium, ACC, STS, signature). */
const LONG_HEADER_LENGTH = 12;

/** What one RSP_UD carries. */
export interface RspUdInput {
  /** The A field: the slave's primary address. */
  primaryAddress: number;
  /** The 8 secondary address bytes in header order. */
  address: Uint8Array;
  /** Access number. */
  accessNumber: number;
  /** Status byte. */
  status: number;
  /** Encoded records. */
  records: Uint8Array;
  /** Append DIF 0x1F. */
  hasMore: boolean;
}

/**
 * Encodes the frame.
 *
 * @param input Header fields and records.
 * @returns The frame bytes.
 */
export function encodeRspUd(input: RspUdInput): Uint8Array {
  const more = input.hasMore ? 1 : 0;
  const data = new Uint8Array(LONG_HEADER_LENGTH + input.records.length + more);
  data.set(input.address, 0);
  data[8] = input.accessNumber;
  data[9] = input.status;
  data.set(input.records, LONG_HEADER_LENGTH);
  if (more) data[data.length - 1] = DIF_MORE_RECORDS_FOLLOW;
  return encodeFrame(
    longFrame(C_RSP_UD, input.primaryAddress, CI_RSP_UD_VARIABLE, data),
  );
}

/**
 * Checks that every telegram fits one frame with the header (and DIF 0x1F where needed).
 *
 * @param name The slave's name, for the message.
 * @param telegrams Record bytes per telegram.
 * @throws {RangeError} Naming the first telegram that is too long.
 */
export function checkTelegrams(
  name: string,
  telegrams: readonly Uint8Array[],
): void {
  telegrams.forEach((t, i) => {
    const room = MAX_DATA_LENGTH - LONG_HEADER_LENGTH -
      (i < telegrams.length - 1 ? 1 : 0);
    if (t.length > room) {
      throw new RangeError(
        `Cannot create slave "${name}": telegram ${i} has ${t.length} record bytes, at most ${room} fit`,
      );
    }
  });
}
