/**
 * Tells a master what one reception window held: nothing, exactly one frame, or garbage
 * (a collision when more than one slave may have answered).
 *
 * @module
 */
import type { DecodeError } from "../util/mod.ts";
import { inspectFrame } from "./_inspect.ts";
import { decodeFrame, frameFromValidBytes } from "./decode_frame.ts";
import type { Frame } from "./frame.ts";

/** The outcome of one reception window. */
export type Reception =
  | {
    /** Nothing arrived: no slave answered. */
    kind: "none";
  }
  | {
    /** Exactly one valid frame and nothing else. */
    kind: "frame";
    /** The frame. */
    frame: Frame;
  }
  | {
    /** Bytes arrived but not exactly one valid frame: a collision or line noise. */
    kind: "garbled";
    /** Everything that arrived (after an echo, if one was stripped). */
    bytes: Uint8Array;
    /** Why it is not one frame (`TRAILING_BYTES` when a valid frame had extra bytes). */
    error: DecodeError;
    /** The valid frame at the start, when extra bytes followed it. */
    frame?: Frame;
  };

/** Options of {@link classifyReception}. */
export interface ClassifyOptions {
  /**
   * The request just sent; when the reception starts with exactly these bytes (a converter
   * that echoes), they are removed first.
   * @default undefined (no echo expected)
   */
  echo?: Uint8Array;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length === 0 || bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (bytes[i] !== prefix[i]) return false;
  }
  return true;
}

/**
 * Classifies everything received in one answer window (until the answer timeout or the
 * inter-character timeout after the last byte). Never throws.
 *
 * @example
 * ```ts
 * import { classifyReception } from "./mod.ts";
 * classifyReception(new Uint8Array(0)).kind; // "none"
 * classifyReception(Uint8Array.of(0xe5)).kind; // "frame"
 * classifyReception(Uint8Array.of(0xe5, 0xe5)).kind; // "garbled"
 * ```
 *
 * @param bytes All bytes of the window.
 * @param options Echo to strip.
 * @returns `none`, `frame` or `garbled`.
 */
export function classifyReception(
  bytes: Uint8Array,
  options: ClassifyOptions = {},
): Reception {
  let rx = bytes;
  if (options.echo !== undefined && startsWith(rx, options.echo)) {
    rx = rx.subarray(options.echo.length);
  }
  if (rx.length === 0) return { kind: "none" };
  const r = decodeFrame(rx);
  if (r.ok) return { kind: "frame", frame: r.value };
  if (r.error.code === "TRAILING_BYTES") {
    const ins = inspectFrame(rx);
    if (ins.status === "complete") {
      return {
        kind: "garbled",
        bytes: rx,
        error: r.error,
        frame: frameFromValidBytes(rx, ins.length),
      };
    }
  }
  return { kind: "garbled", bytes: rx, error: r.error };
}
