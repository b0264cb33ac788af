/**
 * The EN 13757-2 link layer: the four frame kinds, their encoder and decoder, the
 * streaming {@link FrameReader} (resync on garbage), {@link classifyReception} (none /
 * frame / garbled for collision detection) and the constants of the layer. Pure: no I/O.
 *
 * @example
 * ```ts
 * import { C_REQ_UD2, decodeFrame, encodeFrame, shortFrame } from "./mod.ts";
 * const bytes = encodeFrame(shortFrame(C_REQ_UD2, 5)); // 10 5b 05 60 16
 * decodeFrame(bytes).ok; // true
 * ```
 * @module
 */
export * from "./constants.ts";
export * from "./frame.ts";
export { checksum } from "./checksum.ts";
export { encodeFrame } from "./encode_frame.ts";
export { bytesNeeded, decodeFrame, frameLength } from "./decode_frame.ts";
export {
  type FrameEvent,
  FrameReader,
  type FrameReaderStats,
} from "./frame_reader.ts";
export {
  type ClassifyOptions,
  classifyReception,
  type Reception,
} from "./classify_reception.ts";
