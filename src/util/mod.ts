/**
 * Small shared pieces: hex and BCD text, a bounded byte reader and writer, the
 * {@link Clock} (real and virtual), decode results and typed errors. Imports nothing of
 * ours; does no I/O.
 *
 * @example
 * ```ts
 * import { fromHex, toHex } from "./mod.ts";
 * toHex(fromHex("68 03 03 68")); // "68030368"
 * ```
 * @module
 */
export * from "./bcd.ts";
export * from "./byte_reader.ts";
export * from "./byte_writer.ts";
export * from "./clock.ts";
export * from "./decode_result.ts";
export * from "./errors.ts";
export * from "./error_codes.ts";
export * from "./hex.ts";
