/**
 * Streaming framer: arbitrary chunks in, frames and garbage events out.
 *
 * @module
 */
import { inspectFrame } from "./_inspect.ts";
import { frameFromValidBytes } from "./decode_frame.ts";
import {
  ACK,
  LinkErrorCode,
  LONG_START,
  MAX_FRAME_LENGTH,
  SHORT_START,
} from "./constants.ts";
import type { Frame } from "./frame.ts";

/** What {@link FrameReader.push} found. */
export type FrameEvent =
  | {
    /** A complete, valid frame. */
    type: "frame";
    /** The decoded frame (a long frame's data is a view into `bytes`). */
    frame: Frame;
    /** The frame's own bytes (a copy, safe to keep). */
    bytes: Uint8Array;
  }
  | {
    /** Bytes dropped while looking for a frame. */
    type: "garbage";
    /** The dropped bytes (a copy), consecutive on the wire. */
    bytes: Uint8Array;
    /** Why the first of them was dropped: a {@link LinkErrorCode} (`TRUNCATED` on flush). */
    reason: LinkErrorCode;
  };

/** Counters of a {@link FrameReader}. */
export interface FrameReaderStats {
  /** Valid frames emitted. */
  frames: number;
  /** Bytes dropped as garbage. */
  garbageBytes: number;
  /** Garbage events emitted. */
  garbageEvents: number;
}

function isStart(b: number): boolean {
  return b === ACK || b === SHORT_START || b === LONG_START;
}

/**
 * Turns a byte stream into frames. On a bad start, length, checksum or stop byte it drops
 * one byte and looks again (resync), reporting the dropped bytes as one garbage event per
 * run. It keeps at most one unfinished frame buffered (< 261 bytes).
 *
 * @example
 * ```ts
 * import { FrameReader } from "./mod.ts";
 * const reader = new FrameReader();
 * reader.push(Uint8Array.of(0xff, 0xe5, 0x10, 0x5b)); // garbage ff, frame ack
 * reader.push(Uint8Array.of(0x05, 0x60, 0x16)); // frame short
 * ```
 */
export class FrameReader {
  #pending: Uint8Array = new Uint8Array(0);
  #stats: FrameReaderStats = { frames: 0, garbageBytes: 0, garbageEvents: 0 };

  /** Bytes of an unfinished frame held back (always below 261). */
  get buffered(): number {
    return this.#pending.length;
  }

  /**
   * How many more bytes the buffered frame needs at least (1 when nothing is buffered).
   * A master reads this many with an inter-character timeout.
   */
  get needed(): number {
    const ins = inspectFrame(this.#pending);
    return ins.status === "incomplete" ? ins.needed : 1;
  }

  /** A copy of the counters. */
  get stats(): FrameReaderStats {
    return { ...this.#stats };
  }

  /**
   * Feeds bytes.
   *
   * @param chunk Any number of bytes (not kept; may be reused by the caller).
   * @returns The events, in wire order.
   */
  push(chunk: Uint8Array): FrameEvent[] {
    let data: Uint8Array;
    if (this.#pending.length === 0) data = chunk;
    else {
      data = new Uint8Array(this.#pending.length + chunk.length);
      data.set(this.#pending);
      data.set(chunk, this.#pending.length);
    }
    return this.#scan(data, false);
  }

  /**
   * Ends a reception: the buffered bytes can no longer complete a frame. The first of them
   * is dropped as garbage (`TRUNCATED`) and the rest scanned again, so a frame hidden
   * behind a false start is still found.
   *
   * @returns The events; nothing stays buffered.
   */
  flush(): FrameEvent[] {
    const data = this.#pending;
    this.#pending = new Uint8Array(0);
    return data.length === 0 ? [] : this.#scan(data, true);
  }

  #scan(data: Uint8Array, final: boolean): FrameEvent[] {
    const events: FrameEvent[] = [];
    let pos = 0;
    let junkStart = -1;
    let junkReason: LinkErrorCode = LinkErrorCode.BAD_START;
    const flushJunk = (end: number) => {
      if (junkStart < 0) return;
      this.#garbage(events, data.slice(junkStart, end), junkReason);
      junkStart = -1;
    };
    while (pos < data.length) {
      const ins = inspectFrame(data.subarray(pos, pos + MAX_FRAME_LENGTH));
      if (ins.status === "incomplete" && !final) break;
      if (ins.status !== "complete") {
        if (junkStart < 0) {
          junkStart = pos;
          junkReason = ins.status === "invalid"
            ? ins.code
            : LinkErrorCode.TRUNCATED;
        }
        pos++;
        // Skip straight to the next possible start byte.
        while (pos < data.length && !isStart(data[pos] ?? 0)) pos++;
        continue;
      }
      flushJunk(pos);
      const bytes = data.slice(pos, pos + ins.length);
      events.push({
        type: "frame",
        frame: frameFromValidBytes(bytes, ins.length),
        bytes,
      });
      this.#stats.frames++;
      pos += ins.length;
    }
    flushJunk(pos);
    this.#pending = data.slice(pos);
    return events;
  }

  /**
   * Drops buffered bytes without reporting them.
   *
   * @returns How many bytes were dropped.
   */
  reset(): number {
    const n = this.#pending.length;
    this.#pending = new Uint8Array(0);
    return n;
  }

  #garbage(
    events: FrameEvent[],
    bytes: Uint8Array,
    reason: LinkErrorCode,
  ): void {
    events.push({ type: "garbage", bytes, reason });
    this.#stats.garbageBytes += bytes.length;
    this.#stats.garbageEvents++;
  }
}
