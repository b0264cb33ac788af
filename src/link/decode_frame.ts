/**
 * Frame decoder and the length helpers a master reads with.
 *
 * @module
 */
import { type DecodeResult, fail, ok } from "../util/mod.ts";
import { inspectFrame } from "./_inspect.ts";
import { ACK, LinkErrorCode, MIN_L_FIELD, SHORT_START } from "./constants.ts";
import type { Frame } from "./frame.ts";

/**
 * Builds the frame from bytes already checked complete (internal to the link folder).
 *
 * @param bytes Bytes of one valid frame at offset 0.
 * @param length The frame's length.
 * @returns The frame; a long frame's data is a view into `bytes`.
 */
export function frameFromValidBytes(bytes: Uint8Array, length: number): Frame {
  const first = bytes[0];
  if (first === ACK || length === 1) return { type: "ack" };
  const c = bytes[first === SHORT_START ? 1 : 4] ?? 0;
  const a = bytes[first === SHORT_START ? 2 : 5] ?? 0;
  if (first === SHORT_START) return { type: "short", c, a };
  const l = bytes[1] ?? MIN_L_FIELD;
  const ci = bytes[6] ?? 0;
  if (l === MIN_L_FIELD) return { type: "control", c, a, ci };
  return { type: "long", c, a, ci, data: bytes.subarray(7, l + 4) };
}

/**
 * Decodes exactly one frame. Never throws. A long frame's `data` is a view into `bytes`.
 *
 * Error codes (with the offset of the first wrong byte, checked in wire order):
 * `TRUNCATED` (offset = input length), `BAD_START` (0, or 3 for the second `68`),
 * `BAD_LENGTH` (1), `LENGTH_MISMATCH` (2), `BAD_CHECKSUM`, `BAD_STOP`, `TRAILING_BYTES`
 * (offset of the first extra byte).
 *
 * @example
 * ```ts
 * import { decodeFrame } from "./mod.ts";
 * import { fromHex } from "../util/mod.ts";
 * const r = decodeFrame(fromHex("10 5b 05 60 16"));
 * // r.ok && r.value is { type: "short", c: 0x5b, a: 5 }
 * ```
 *
 * @param bytes The frame's bytes.
 * @returns The frame or a link error.
 */
export function decodeFrame(bytes: Uint8Array): DecodeResult<Frame> {
  const ins = inspectFrame(bytes);
  switch (ins.status) {
    case "invalid":
      return fail(ins.code, ins.offset, ins.message);
    case "incomplete":
      return fail(
        LinkErrorCode.TRUNCATED,
        bytes.length,
        ins.length > 0
          ? `Cannot decode frame: ${bytes.length} of ${ins.length} bytes present`
          : `Cannot decode frame: ${bytes.length} bytes are too few to tell the length`,
      );
    case "complete":
      if (bytes.length > ins.length) {
        return fail(
          LinkErrorCode.TRAILING_BYTES,
          ins.length,
          `Cannot decode frame: ${
            bytes.length - ins.length
          } bytes follow a complete frame of ${ins.length} bytes`,
        );
      }
      return ok(frameFromValidBytes(bytes, ins.length));
  }
}

/**
 * The total length of the frame that starts at offset 0, as far as the bytes tell.
 *
 * @param bytes Received bytes.
 * @returns 1 (`E5`), 5 (short), L + 6 (control/long); 0 when too few bytes to tell yet
 *   (empty, or a lone `68`); -1 when the bytes cannot start a valid frame (bad start byte,
 *   bad or mismatched length, or any wrong byte so far).
 */
export function frameLength(bytes: Uint8Array): number {
  const ins = inspectFrame(bytes);
  return ins.status === "invalid" ? -1 : ins.length;
}

/**
 * How many more bytes to read to complete the frame that starts at offset 0 (never more
 * than the frame can need: after a lone `68`, 8).
 *
 * @param bytes Received bytes.
 * @returns 0 when a frame is complete (extra bytes may follow), -1 when the bytes cannot
 *   start a valid frame, else the count of missing bytes (at least 1).
 */
export function bytesNeeded(bytes: Uint8Array): number {
  const ins = inspectFrame(bytes);
  if (ins.status === "invalid") return -1;
  return ins.status === "complete" ? 0 : ins.needed;
}
