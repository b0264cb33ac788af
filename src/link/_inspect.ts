/**
 * One pass over the bytes of a frame that starts at offset 0, checking every byte that has
 * arrived in wire order. Shared by the decoder, the length helpers and the frame reader.
 *
 * @module
 */
import { checksum } from "./checksum.ts";
import {
  ACK,
  CONTROL_FRAME_LENGTH,
  LinkErrorCode,
  LONG_START,
  MIN_L_FIELD,
  SHORT_FRAME_LENGTH,
  SHORT_START,
  STOP,
} from "./constants.ts";

/** What is known about a frame that starts at offset 0. */
export type Inspection =
  | { status: "complete"; length: number }
  | { status: "incomplete"; length: number; needed: number }
  | {
    status: "invalid";
    code: LinkErrorCode;
    offset: number;
    message: string;
  };

function hex(b: number): string {
  return b.toString(16).padStart(2, "0");
}

function invalid(
  code: LinkErrorCode,
  offset: number,
  message: string,
): Inspection {
  return { status: "invalid", code, offset, message };
}

function tail(bytes: Uint8Array, total: number, csAt: number): Inspection {
  const n = bytes.length;
  if (n > csAt) {
    const want = checksum(bytes, csAt === 3 ? 1 : 4, csAt);
    const got = bytes[csAt] ?? 0;
    if (got !== want) {
      return invalid(
        LinkErrorCode.BAD_CHECKSUM,
        csAt,
        `Cannot decode frame: checksum is 0x${hex(got)}, expected 0x${
          hex(want)
        }`,
      );
    }
  }
  if (n > csAt + 1) {
    const stop = bytes[csAt + 1] ?? 0;
    if (stop !== STOP) {
      return invalid(
        LinkErrorCode.BAD_STOP,
        csAt + 1,
        `Cannot decode frame: stop byte is 0x${hex(stop)}, expected 0x16`,
      );
    }
  }
  return n >= total
    ? { status: "complete", length: total }
    : { status: "incomplete", length: total, needed: total - n };
}

/**
 * Checks the bytes of a frame starting at offset 0, as far as they go.
 *
 * @param bytes Received bytes.
 * @returns Complete (with the frame length; more bytes may follow), incomplete (with the
 *   total length when known, else 0, and how many more bytes to read at least), or invalid
 *   (the first wrong byte).
 */
export function inspectFrame(bytes: Uint8Array): Inspection {
  const n = bytes.length;
  const first = bytes[0];
  if (first === undefined) {
    return { status: "incomplete", length: 0, needed: 1 };
  }
  if (first === ACK) return { status: "complete", length: 1 };
  if (first === SHORT_START) return tail(bytes, SHORT_FRAME_LENGTH, 3);
  if (first !== LONG_START) {
    return invalid(
      LinkErrorCode.BAD_START,
      0,
      `Cannot decode frame: start byte is 0x${
        hex(first)
      }, expected e5, 10 or 68`,
    );
  }
  const l = bytes[1];
  if (l === undefined) {
    return {
      status: "incomplete",
      length: 0,
      needed: CONTROL_FRAME_LENGTH - n,
    };
  }
  if (l < MIN_L_FIELD) {
    return invalid(
      LinkErrorCode.BAD_LENGTH,
      1,
      `Cannot decode frame: length field is ${l}, at least 3 expected`,
    );
  }
  const l2 = bytes[2];
  if (l2 !== undefined && l2 !== l) {
    return invalid(
      LinkErrorCode.LENGTH_MISMATCH,
      2,
      `Cannot decode frame: length fields differ: ${l} and ${l2}`,
    );
  }
  const start2 = bytes[3];
  if (start2 !== undefined && start2 !== LONG_START) {
    return invalid(
      LinkErrorCode.BAD_START,
      3,
      `Cannot decode frame: second start byte is 0x${
        hex(start2)
      }, expected 0x68`,
    );
  }
  return tail(bytes, l + 6, l + 4);
}
