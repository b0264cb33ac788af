/**
 * Authentication and fragmentation layer (AFL, CI 0x90, doc §6).
 *
 * @module
 */
import { ByteReader, type DecodeResult, fail, ok } from "../util/mod.ts";
import { WMBUS_ERRORS } from "./constants.ts";
import type { AflHeader } from "./telegram.ts";

/** FCL bits. */
const FCL = {
  ki: 1 << 9,
  mac: 1 << 10,
  mcr: 1 << 11,
  ml: 1 << 12,
  mcl: 1 << 13,
  more: 1 << 14,
} as const;

/** MAC length in bytes per authentication type (MCL bits 0–3). */
const MAC_LENGTHS: ReadonlyMap<number, number> = new Map([
  [0, 0],
  [3, 2],
  [4, 4],
  [5, 8],
  [6, 12],
  [7, 16],
  [8, 12],
]);

/**
 * The MAC length an MCL announces.
 *
 * @param mcl The message control byte.
 * @returns Bytes (0 for types without a MAC).
 */
export function aflMacLength(mcl: number): number {
  return MAC_LENGTHS.get(mcl & 0x0f) ?? 0;
}

/** A parsed AFL plus what mode 7 needs to check the MAC. */
export interface AflResult {
  /** The header. */
  afl: AflHeader;
  /** MCL || KI || MCR || ML as transmitted: the head of the MAC input (doc §9.2). */
  macPrefix: Uint8Array;
  /** MCR bytes as transmitted (KDF input), empty when absent. */
  mcrBytes: Uint8Array;
  /** Bytes after the AFL. */
  rest: Uint8Array;
}

/**
 * Parses an AFL at the start of `body`.
 *
 * @param body Bytes from CI 0x90 to the end.
 * @param offset Offset of `body` in the frame (for errors).
 * @returns The header and the rest, or `TRUNCATED` / `BAD_LENGTH`.
 */
export function decodeAfl(
  body: Uint8Array,
  offset: number,
): DecodeResult<AflResult> {
  const length = body[1] ?? 0;
  if (body.length < 2 + length || length < 2) {
    return fail(
      WMBUS_ERRORS.truncated,
      offset + body.length,
      "Cannot read AFL: shorter than AFL.L",
    );
  }
  const r = new ByteReader(body.subarray(2, 2 + length));
  const fcl = r.u16le();
  const afl: AflHeader = {
    ci: body[0] ?? 0,
    length,
    fcl,
    fragmentId: fcl & 0xff,
    moreFragments: (fcl & FCL.more) !== 0,
  };
  const prefix: number[] = [];
  let mcrBytes: Uint8Array = new Uint8Array(0);
  let macLength = 0;
  if (fcl & FCL.mcl) {
    const mcl = r.u8();
    afl.mcl = mcl;
    prefix.push(mcl);
    macLength = MAC_LENGTHS.get(mcl & 0x0f) ?? 0;
  }
  if (fcl & FCL.ki) {
    const at = r.offset;
    afl.ki = r.u16le();
    prefix.push(...r.bytes.subarray(at, at + 2));
  }
  if (fcl & FCL.mcr) {
    mcrBytes = r.bytesView(4);
    afl.mcr = r.overrun
      ? 0
      : new DataView(mcrBytes.buffer, mcrBytes.byteOffset, 4).getUint32(
        0,
        true,
      );
    prefix.push(...mcrBytes);
  }
  // EN 13757-7 order: MCL, KI, MCR, MAC, ML; the MAC covers MCL || KI || MCR || ML.
  if (fcl & FCL.mac) afl.mac = r.bytesView(macLength).slice();
  if (fcl & FCL.ml) {
    const at = r.offset;
    afl.ml = r.u16le();
    prefix.push(...r.bytes.subarray(at, at + 2));
  }
  if (r.overrun) {
    return fail(
      WMBUS_ERRORS.badLength,
      offset + 2 + r.overrunAt,
      "Cannot read AFL: fields exceed AFL.L",
    );
  }
  return ok({
    afl,
    macPrefix: Uint8Array.from(prefix),
    mcrBytes,
    rest: body.subarray(2 + length),
  });
}
