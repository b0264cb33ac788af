/**
 * Data link layer of EN 13757-4: frame formats A and B (CRC check, removal and adding,
 * doc §2) and the DLL header fields (doc §3).
 *
 * @module
 */
import { type DecodeResult, fail, ok } from "../util/mod.ts";
import { crcWmbus } from "./crc.ts";
import { WMBUS_ERRORS } from "./constants.ts";
import type { CrcPresence, FrameFormat, WmbusAddress } from "./telegram.ts";

export type { CrcPresence, FrameFormat };

/** A frame with its DLL CRCs removed and L rewritten as "bytes after L". */
export interface LinkFrame {
  /** L C M A CI … without CRCs; a fresh copy when CRCs were removed. */
  frame: Uint8Array;
  /** The format whose CRCs were found and removed, or `none`. */
  format: FrameFormat;
  /** Quirks met on the way (L fixed, trailing bytes dropped). */
  warnings: string[];
}

const FIRST_BLOCK = 10;
const BLOCK = 16;
const FORMAT_B_FIRST = 126;

/**
 * Length on air of a format A frame whose L (without CRCs) is `l`.
 *
 * @param l The L field (bytes after L, CRCs not counted).
 * @returns Total bytes including L and all CRCs.
 */
export function formatALength(l: number): number {
  return 1 + l + 2 * (1 + Math.ceil(Math.max(0, l - 9) / BLOCK));
}

function crcAt(bytes: Uint8Array, at: number, msbFirst: boolean): number {
  const a = bytes[at] ?? 0;
  const b = bytes[at + 1] ?? 0;
  return msbFirst ? (a << 8) | b : (b << 8) | a;
}

/** Strips format A CRCs, or returns null when any block CRC fails. */
function stripFormatA(bytes: Uint8Array): Uint8Array | null {
  const l = bytes[0] ?? 0;
  if (l < FIRST_BLOCK - 1 || bytes.length !== formatALength(l)) return null;
  const out = new Uint8Array(l + 1);
  let from = 0;
  let to = 0;
  let size = FIRST_BLOCK;
  while (to < out.length) {
    const n = Math.min(size, out.length - to);
    if (crcWmbus(bytes, from, from + n) !== crcAt(bytes, from + n, true)) {
      return null;
    }
    out.set(bytes.subarray(from, from + n), to);
    from += n + 2;
    to += n;
    size = BLOCK;
  }
  return out;
}

/** Strips format B CRCs, or returns null when a CRC fails. */
function stripFormatB(bytes: Uint8Array): Uint8Array | null {
  const len = bytes.length;
  if (len < FIRST_BLOCK + 3 || (bytes[0] ?? 0) + 1 !== len) return null;
  if (len <= FORMAT_B_FIRST + 2) {
    if (crcWmbus(bytes, 0, len - 2) !== crcAt(bytes, len - 2, true)) {
      return null;
    }
    const out = bytes.slice(0, len - 2);
    out[0] = len - 3;
    return out;
  }
  if (len < FORMAT_B_FIRST + 5) return null;
  if (
    crcWmbus(bytes, 0, FORMAT_B_FIRST) !== crcAt(bytes, FORMAT_B_FIRST, true)
  ) {
    return null;
  }
  if (
    crcWmbus(bytes, FORMAT_B_FIRST + 2, len - 2) !== crcAt(bytes, len - 2, true)
  ) {
    return null;
  }
  const out = new Uint8Array(len - 4);
  out.set(bytes.subarray(0, FORMAT_B_FIRST));
  out.set(bytes.subarray(FORMAT_B_FIRST + 2, len - 2), FORMAT_B_FIRST);
  out[0] = out.length - 1;
  return out;
}

function withoutCrc(bytes: Uint8Array): DecodeResult<LinkFrame> {
  const l = bytes[0] ?? 0;
  const len = bytes.length;
  if (l + 1 === len) return ok({ frame: bytes, format: "none", warnings: [] });
  if (l + 1 === len + 2 || (l + 1 === len + 4 && len > FORMAT_B_FIRST)) {
    // Older rtl_wmbus leaves a format B L (counting the removed CRCs) unchanged.
    const frame = bytes.slice();
    frame[0] = len - 1;
    return ok({
      frame,
      format: "none",
      warnings: ["L_FIXED: L counted removed CRC bytes"],
    });
  }
  if (l + 1 < len) {
    return ok({
      frame: bytes.subarray(0, l + 1),
      format: "none",
      warnings: [
        `TRAILING_BYTES: ${len - l - 1} bytes after the frame dropped`,
      ],
    });
  }
  return fail(
    WMBUS_ERRORS.truncated,
    len,
    `Cannot read telegram: L says ${l + 1} bytes, got ${len}`,
  );
}

/**
 * Removes DLL CRCs (formats A and B, doc §2.4) or checks that the frame has none.
 *
 * `auto` tries format A, then format B, then no CRCs. A CRC-less frame whose last two
 * bytes happen to form a valid format B CRC (about 1 in 65,536) is misread as format B:
 * pass `absent` when the source is known to strip CRCs (dongles do).
 *
 * @param bytes The frame from L on.
 * @param crc Whether CRCs are present; default `auto`.
 * @returns The frame without CRCs, or `TRUNCATED`, `BAD_CRC`, `BAD_LENGTH`.
 */
export function decodeLinkFrame(
  bytes: Uint8Array,
  crc: CrcPresence = "auto",
): DecodeResult<LinkFrame> {
  if (bytes.length < FIRST_BLOCK + 1) {
    return fail(
      WMBUS_ERRORS.truncated,
      bytes.length,
      `Cannot read telegram: ${bytes.length} bytes is shorter than a DLL header`,
    );
  }
  if (crc !== "absent") {
    const a = stripFormatA(bytes);
    if (a) return ok({ frame: a, format: "A", warnings: [] });
    const b = stripFormatB(bytes);
    if (b) return ok({ frame: b, format: "B", warnings: [] });
    if (crc === "present") {
      const l = bytes[0] ?? 0;
      const plausible = bytes.length === formatALength(l) ||
        l + 1 === bytes.length;
      return plausible
        ? fail(
          WMBUS_ERRORS.badCrc,
          0,
          "Cannot check telegram: DLL CRC mismatch",
        )
        : fail(
          WMBUS_ERRORS.badLength,
          0,
          `Cannot check telegram: L ${l} fits neither format A nor B for ${bytes.length} bytes`,
        );
    }
  }
  return withoutCrc(bytes);
}

/**
 * Adds DLL CRCs to a CRC-less frame (the encoder twin of {@link decodeLinkFrame}).
 *
 * @param frame L C M A CI … with L = bytes after L.
 * @param format `A` or `B`.
 * @returns The frame as on air; RangeError when L cannot count it.
 */
export function encodeLinkFrame(
  frame: Uint8Array,
  format: "A" | "B",
): Uint8Array {
  const limit = format === "A" ? 256 : 252;
  if (frame.length < 1 || frame.length > limit) {
    throw new RangeError(
      `Cannot encode format ${format} frame: ${frame.length} bytes (1..${limit})`,
    );
  }
  if (format === "A") {
    const out = new Uint8Array(formatALength(frame.length - 1));
    let from = 0;
    let to = 0;
    let size = FIRST_BLOCK;
    while (from < frame.length) {
      const n = Math.min(size, frame.length - from);
      out.set(frame.subarray(from, from + n), to);
      const c = crcWmbus(frame, from, from + n);
      out[to + n] = c >> 8;
      out[to + n + 1] = c & 0xff;
      from += n;
      to += n + 2;
      size = BLOCK;
    }
    out[0] = frame.length - 1;
    return out;
  }
  const twoBlocks = frame.length > FORMAT_B_FIRST;
  const out = new Uint8Array(frame.length + (twoBlocks ? 4 : 2));
  out[0] = out.length - 1;
  const first = Math.min(frame.length, FORMAT_B_FIRST);
  out.set(frame.subarray(1, first), 1);
  const c1 = crcWmbus(out, 0, first);
  out[first] = c1 >> 8;
  out[first + 1] = c1 & 0xff;
  if (twoBlocks) {
    out.set(frame.subarray(FORMAT_B_FIRST), FORMAT_B_FIRST + 2);
    const c2 = crcWmbus(out, FORMAT_B_FIRST + 2, out.length - 2);
    out[out.length - 2] = c2 >> 8;
    out[out.length - 1] = c2 & 0xff;
  }
  return out;
}

/**
 * The 3-letter manufacturer code of an M field (mbus-wired.md §3.2.1).
 *
 * @param m The M field as a 16-bit number.
 * @returns Three letters (`@` for a zero group).
 */
export function formatManufacturer(m: number): string {
  return String.fromCharCode(
    ((m >> 10) & 0x1f) + 64,
    ((m >> 5) & 0x1f) + 64,
    (m & 0x1f) + 64,
  );
}

/**
 * Reads an 8-byte address as the DLL (and ELL III/IV, and a long TPL header reordered)
 * carries it: M field (2 bytes, LE), ID (4 bytes), version, device type.
 *
 * @param a The 8 bytes (missing bytes read as 0).
 * @returns The identity.
 */
export function decodeWmbusAddress(a: Uint8Array): WmbusAddress {
  return {
    manufacturer: formatManufacturer((a[0] ?? 0) | ((a[1] ?? 0) << 8)),
    id: formatWmbusId(a.subarray(2, 6)),
    version: a[6] ?? 0,
    deviceType: a[7] ?? 0,
  };
}

/**
 * A wireless ID as wmbusmeters prints it: 4 bytes reversed, lowercase hex.
 *
 * @param bytes At least 4 bytes; the first 4 are the ID as transmitted.
 * @returns 8 characters.
 */
export function formatWmbusId(bytes: Uint8Array): string {
  return (HEX_LOWER[bytes[3] ?? 0] ?? "") + (HEX_LOWER[bytes[2] ?? 0] ?? "") +
    (HEX_LOWER[bytes[1] ?? 0] ?? "") + (HEX_LOWER[bytes[0] ?? 0] ?? "");
}

/** Lower-case 2-digit hex of every byte value. */
const HEX_LOWER: readonly string[] = Array.from(
  { length: 256 },
  (_, b) => b.toString(16).padStart(2, "0"),
);
