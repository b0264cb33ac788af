/**
 * A growable little-endian byte writer whose method names mirror {@link ByteReader}.
 *
 * @module
 */

/** Appends little-endian values to a growing buffer. */
export class ByteWriter {
  #buf: Uint8Array;
  #view: DataView;
  #length = 0;

  /**
   * Creates an empty writer; it grows as needed.
   *
   * @param capacity Initial capacity in bytes; default 64.
   */
  constructor(capacity = 64) {
    this.#buf = new Uint8Array(capacity);
    this.#view = new DataView(this.#buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#length;
  }

  #reserve(n: number): number {
    const at = this.#length;
    if (at + n > this.#buf.length) {
      const next = new Uint8Array(Math.max(this.#buf.length * 2, at + n));
      next.set(this.#buf.subarray(0, at));
      this.#buf = next;
      this.#view = new DataView(next.buffer);
    }
    this.#length = at + n;
    return at;
  }

  /** Writes one byte. @param v 0..255. @returns this. */
  u8(v: number): this {
    const at = this.#reserve(1);
    this.#view.setUint8(at, v & 0xff);
    return this;
  }

  /** Writes a 16-bit little-endian integer. @param v Value. @returns this. */
  u16le(v: number): this {
    const at = this.#reserve(2);
    this.#view.setUint16(at, v & 0xffff, true);
    return this;
  }

  /** Writes a 24-bit little-endian integer. @param v Value. @returns this. */
  u24le(v: number): this {
    const at = this.#reserve(3);
    this.#view.setUint16(at, v & 0xffff, true);
    this.#view.setUint8(at + 2, (v >>> 16) & 0xff);
    return this;
  }

  /** Writes a 32-bit little-endian integer. @param v Value. @returns this. */
  u32le(v: number): this {
    const at = this.#reserve(4);
    this.#view.setUint32(at, v >>> 0, true);
    return this;
  }

  /** Writes a 48-bit little-endian integer. @param v Value (0..2^48-1). @returns this. */
  u48le(v: number): this {
    const at = this.#reserve(6);
    this.#view.setUint32(at, v % 0x100000000, true);
    this.#view.setUint16(at + 4, Math.floor(v / 0x100000000) & 0xffff, true);
    return this;
  }

  /** Writes a 64-bit little-endian integer. @param v Value. @returns this. */
  u64le(v: bigint): this {
    const at = this.#reserve(8);
    this.#view.setBigUint64(at, BigInt.asUintN(64, v), true);
    return this;
  }

  /** Writes a 32-bit IEEE 754 float, little-endian. @param v Value. @returns this. */
  f32le(v: number): this {
    const at = this.#reserve(4);
    this.#view.setFloat32(at, v, true);
    return this;
  }

  /** Appends bytes. @param b Bytes. @returns this. */
  bytes(b: Uint8Array): this {
    const at = this.#reserve(b.length);
    this.#buf.set(b, at);
    return this;
  }

  /**
   * The bytes written so far.
   *
   * @returns A copy of the bytes written.
   */
  toBytes(): Uint8Array {
    return this.#buf.slice(0, this.#length);
  }
}
