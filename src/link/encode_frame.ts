/**
 * Frame encoder.
 *
 * @module
 */
import { checksum } from "./checksum.ts";
import {
  ACK,
  LONG_START,
  MAX_DATA_LENGTH,
  SHORT_START,
  STOP,
} from "./constants.ts";
import type { Frame } from "./frame.ts";

function checkByte(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) {
    throw new RangeError(
      `Cannot encode frame: ${name} must be an integer 0..255, got ${v}`,
    );
  }
  return v;
}

/**
 * Encodes a frame for the wire. A long frame with no data is encoded like a control frame.
 *
 * @example
 * ```ts
 * import { encodeFrame } from "./mod.ts";
 * encodeFrame({ type: "short", c: 0x5b, a: 5 }); // 10 5b 05 60 16
 * ```
 *
 * @param frame The frame.
 * @returns The bytes.
 * @throws {RangeError} A field is not a byte, or the data is longer than 252 bytes.
 * @throws {TypeError} The frame type is unknown.
 */
export function encodeFrame(frame: Frame): Uint8Array {
  switch (frame.type) {
    case "ack":
      return Uint8Array.of(ACK);
    case "short": {
      const c = checkByte("C", frame.c);
      const a = checkByte("A", frame.a);
      return Uint8Array.of(SHORT_START, c, a, (c + a) & 0xff, STOP);
    }
    case "control":
    case "long": {
      const c = checkByte("C", frame.c);
      const a = checkByte("A", frame.a);
      const ci = checkByte("CI", frame.ci);
      const data = frame.type === "long" ? frame.data : new Uint8Array(0);
      if (data.length > MAX_DATA_LENGTH) {
        throw new RangeError(
          `Cannot encode frame: data is ${data.length} bytes, at most ${MAX_DATA_LENGTH} fit`,
        );
      }
      const l = data.length + 3;
      const out = new Uint8Array(l + 6);
      out[0] = LONG_START;
      out[1] = l;
      out[2] = l;
      out[3] = LONG_START;
      out[4] = c;
      out[5] = a;
      out[6] = ci;
      out.set(data, 7);
      out[l + 4] = checksum(out, 4, l + 4);
      out[l + 5] = STOP;
      return out;
    }
    default: {
      const unknown: { type?: unknown } = frame;
      throw new TypeError(
        `Cannot encode frame: unknown type "${String(unknown.type)}"`,
      );
    }
  }
}
