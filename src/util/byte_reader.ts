/**
 * A bounded little-endian cursor over bytes. Reads past the end return 0 and set a
 * sticky `overrun`, so decoders check once per record instead of at every read.
 *
 * @module
 */

/** Little-endian cursor over a byte array; never throws on short input. */
export class ByteReader {
  /** The bytes read. */
  readonly bytes: Uint8Array;
  #view: DataView;
  #offset: number;
  #overrunAt = -1;

  /**
   * Creates a reader over `bytes`.
   *
   * @param bytes The bytes to read (a subarray is fine).
   * @param offset Start offset; default 0.
   */
  constructor(bytes: Uint8Array, offset = 0) {
    this.bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#offset = offset;
  }

  /** Current offset. */
  get offset(): number {
    return this.#offset;
  }

  /** Moves the cursor. */
  set offset(value: number) {
    this.#offset = value;
  }

  /** Bytes left to read (0 when past the end). */
  get remaining(): number {
    return Math.max(0, this.bytes.length - this.#offset);
  }

  /** True once any read went past the end. */
  get overrun(): boolean {
    return this.#overrunAt >= 0;
  }

  /** Offset of the first read that went past the end, or -1. */
  get overrunAt(): number {
    return this.#overrunAt;
  }

  #take(n: number): number {
    const at = this.#offset;
    if (at + n > this.bytes.length) {
      if (this.#overrunAt < 0) this.#overrunAt = at;
      this.#offset = this.bytes.length;
      return -1;
    }
    this.#offset = at + n;
    return at;
  }

  /** Reads one byte. @returns 0..255, or 0 past the end. */
  u8(): number {
    const at = this.#take(1);
    return at < 0 ? 0 : this.#view.getUint8(at);
  }

  /** Looks at a byte without moving. @param ahead Distance from the cursor. @returns The byte or -1 past the end. */
  peek(ahead = 0): number {
    const at = this.#offset + ahead;
    return at < this.bytes.length ? this.#view.getUint8(at) : -1;
  }

  /** Reads an unsigned 16-bit little-endian integer. @returns The value. */
  u16le(): number {
    const at = this.#take(2);
    return at < 0 ? 0 : this.#view.getUint16(at, true);
  }

  /** Reads an unsigned 24-bit little-endian integer. @returns The value. */
  u24le(): number {
    const at = this.#take(3);
    return at < 0
      ? 0
      : this.#view.getUint16(at, true) + this.#view.getUint8(at + 2) * 0x10000;
  }

  /** Reads an unsigned 32-bit little-endian integer. @returns The value. */
  u32le(): number {
    const at = this.#take(4);
    return at < 0 ? 0 : this.#view.getUint32(at, true);
  }

  /** Reads an unsigned 48-bit little-endian integer (exact in a number). @returns The value. */
  u48le(): number {
    const at = this.#take(6);
    return at < 0 ? 0 : this.#view.getUint32(at, true) +
      this.#view.getUint16(at + 4, true) * 0x100000000;
  }

  /** Reads an unsigned 64-bit little-endian integer. @returns The value as bigint. */
  u64le(): bigint {
    const at = this.#take(8);
    return at < 0 ? 0n : this.#view.getBigUint64(at, true);
  }

  /** Reads a 32-bit IEEE 754 float, little-endian. @returns The value. */
  f32le(): number {
    const at = this.#take(4);
    return at < 0 ? 0 : this.#view.getFloat32(at, true);
  }

  /**
   * Reads `n` bytes as a view (no copy).
   *
   * @param n Byte count.
   * @returns A subarray; shorter than `n` (and overrun set) past the end.
   */
  bytesView(n: number): Uint8Array {
    const start = this.#offset;
    const at = this.#take(n);
    return at < 0
      ? this.bytes.subarray(Math.min(start, this.bytes.length))
      : this.bytes.subarray(at, at + n);
  }

  /** Skips `n` bytes. @param n Byte count. */
  skip(n: number): void {
    this.#take(n);
  }
}
