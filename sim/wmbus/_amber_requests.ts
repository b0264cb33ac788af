/**
 * The module side of the Amber command framing: splits host bytes into `FF cmd len … CS`
 * requests, checks the XOR checksum, resynchronises on the next `FF` after a bad frame
 * and keeps at most one frame's worth of unfinished bytes.
 *
 * @module
 */

/** One host request. */
export interface AmberRequest {
  /** Command code. */
  command: number;
  /** Payload (without length and checksum). */
  payload: Uint8Array;
}

const START = 0xff;
const MAX_FRAME = 4 + 255;

/** Incremental request decoder. */
export class AmberRequestDecoder {
  #buffer = new Uint8Array(0);
  #dropped = 0;

  /** Bytes dropped while resynchronising. */
  get droppedBytes(): number {
    return this.#dropped;
  }

  /**
   * Feeds host bytes.
   *
   * @param chunk Bytes as written by the host.
   * @returns The requests completed by this chunk.
   */
  push(chunk: Uint8Array): AmberRequest[] {
    const bytes = new Uint8Array(this.#buffer.length + chunk.length);
    bytes.set(this.#buffer);
    bytes.set(chunk, this.#buffer.length);
    const out: AmberRequest[] = [];
    let at = 0;
    while (at < bytes.length) {
      if (bytes[at] !== START) {
        at++;
        this.#dropped++;
        continue;
      }
      if (bytes.length - at < 3) break;
      const size = 4 + (bytes[at + 2] ?? 0);
      if (bytes.length - at < size) break;
      let x = 0;
      for (let i = at; i < at + size - 1; i++) x ^= bytes[i] ?? 0;
      if (x !== bytes[at + size - 1]) {
        at++;
        this.#dropped++;
        continue;
      }
      out.push({
        command: bytes[at + 1] ?? 0,
        payload: bytes.slice(at + 3, at + size - 1),
      });
      at += size;
    }
    this.#buffer = bytes.slice(Math.max(at, bytes.length - MAX_FRAME));
    return out;
  }
}
