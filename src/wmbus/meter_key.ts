/**
 * A meter's key with its AES key schedules, expanded once and kept for as long as the key
 * object lives: the gateway's meter table holds one per configured meter (made when the
 * key is set, replaced when it changes, dropped with the meter), so a telegram costs no
 * key expansion. Nothing is kept at module level.
 *
 * The block cipher and the key schedules are `@noble/ciphers`' (`unsafe.expandKeyLE`,
 * `expandKeyDecLE`, `encrypt`, `decrypt` on little-endian 32-bit words, the same on every
 * host); the modes wireless M-Bus needs (CBC decryption, CTR, CMAC of RFC 4493) are
 * written here over them and tested against noble's own `cbc`, `ctr` and `cmac`.
 *
 * @module
 */
import { unsafe } from "@noble/ciphers/aes.js";

const BLOCK = 16;

/** Reads the little-endian 32-bit word at `i` (the word order of noble's AES core). */
function word(b: Uint8Array, i: number): number {
  return (b[i] ?? 0) | (b[i + 1] ?? 0) << 8 | (b[i + 2] ?? 0) << 16 |
    (b[i + 3] ?? 0) << 24;
}

function putWord(b: Uint8Array, i: number, w: number): void {
  b[i] = w & 0xff;
  b[i + 1] = (w >>> 8) & 0xff;
  b[i + 2] = (w >>> 16) & 0xff;
  b[i + 3] = w >>> 24;
}

/** Doubling in GF(2^128) of RFC 4493 §2.3 (big-endian shift, 0x87 on carry). */
function double(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    out[i] = ((block[i] ?? 0) << 1 | (block[i + 1] ?? 0) >>> 7) & 0xff;
  }
  if (((block[0] ?? 0) & 0x80) !== 0) {
    out[BLOCK - 1] = (out[BLOCK - 1] ?? 0) ^ 0x87;
  }
  return out;
}

/**
 * A key of one meter: 16 bytes (AES) or 8 (DES modes 2 and 3). Immutable: the bytes are
 * copied in; the AES schedules are expanded on first use and kept.
 */
export class MeterKey {
  /** The key bytes (a private copy; do not change them). */
  readonly bytes: Uint8Array;
  #enc: Uint32Array | null = null;
  #dec: Uint32Array | null = null;
  #k1: Uint8Array | null = null;
  #k2: Uint8Array | null = null;

  /** @param bytes The key; copied. */
  constructor(bytes: Uint8Array) {
    this.bytes = bytes.slice();
  }

  /** Key length in bytes. */
  get length(): number {
    return this.bytes.length;
  }

  #checkAes(): void {
    if (this.bytes.length !== BLOCK) {
      throw new RangeError(
        `Cannot use AES key: expected 16 bytes, got ${this.bytes.length}`,
      );
    }
  }

  #encRounds(): Uint32Array {
    this.#checkAes();
    return this.#enc ??= unsafe.expandKeyLE(this.bytes);
  }

  #decRounds(): Uint32Array {
    this.#checkAes();
    return this.#dec ??= unsafe.expandKeyDecLE(this.bytes);
  }

  /**
   * AES-128-CBC decryption without padding.
   *
   * @param data Whole blocks (RangeError otherwise: misuse).
   * @param iv 16 bytes.
   * @returns The plaintext (new array).
   */
  cbcDecrypt(data: Uint8Array, iv: Uint8Array): Uint8Array {
    if (data.length % BLOCK !== 0) {
      throw new RangeError(
        `Cannot run AES-CBC: ${data.length} bytes is not whole blocks`,
      );
    }
    const xk = this.#decRounds();
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i += BLOCK) {
      const r = unsafe.decrypt(
        xk,
        word(data, i),
        word(data, i + 4),
        word(data, i + 8),
        word(data, i + 12),
      );
      // Each block is XORed with the ciphertext block before it (the IV for the first).
      const prev = i === 0 ? iv : data;
      const at = i === 0 ? 0 : i - BLOCK;
      putWord(out, i, r.s0 ^ word(prev, at));
      putWord(out, i + 4, r.s1 ^ word(prev, at + 4));
      putWord(out, i + 8, r.s2 ^ word(prev, at + 8));
      putWord(out, i + 12, r.s3 ^ word(prev, at + 12));
    }
    return out;
  }

  /**
   * AES-128-CTR (its own inverse); the counter block counts as a 128-bit big-endian
   * integer.
   *
   * @param data Any length.
   * @param counter The initial counter block, 16 bytes (not changed).
   * @returns `data` XOR keystream (new array).
   */
  ctr(data: Uint8Array, counter: Uint8Array): Uint8Array {
    const xk = this.#encRounds();
    const out = new Uint8Array(data.length);
    const n = new Uint8Array(BLOCK);
    n.set(counter.subarray(0, BLOCK));
    const stream = new Uint8Array(BLOCK);
    for (let i = 0; i < data.length; i += BLOCK) {
      stream.set(n);
      this.#encryptBlock(xk, stream);
      const end = Math.min(BLOCK, data.length - i);
      for (let j = 0; j < end; j++) {
        out[i + j] = (data[i + j] ?? 0) ^ (stream[j] ?? 0);
      }
      for (let j = BLOCK - 1; j >= 0; j--) {
        n[j] = ((n[j] ?? 0) + 1) & 0xff;
        if (n[j] !== 0) break;
      }
    }
    return out;
  }

  /** Encrypts one block in place. */
  #encryptBlock(xk: Uint32Array, b: Uint8Array): void {
    const r = unsafe.encrypt(
      xk,
      word(b, 0),
      word(b, 4),
      word(b, 8),
      word(b, 12),
    );
    putWord(b, 0, r.s0);
    putWord(b, 4, r.s1);
    putWord(b, 8, r.s2);
    putWord(b, 12, r.s3);
  }

  /**
   * AES-CMAC (RFC 4493); the subkeys are kept with the schedule.
   *
   * @param message Any length (empty is one padded block).
   * @returns The 16-byte tag.
   */
  cmac(message: Uint8Array): Uint8Array {
    const xk = this.#encRounds();
    if (this.#k1 === null || this.#k2 === null) {
      const l = new Uint8Array(BLOCK);
      this.#encryptBlock(xk, l);
      this.#k1 = double(l);
      this.#k2 = double(this.#k1);
    }
    const blocks = Math.max(1, Math.ceil(message.length / BLOCK));
    const lastStart = (blocks - 1) * BLOCK;
    const complete = message.length > 0 && message.length % BLOCK === 0;
    const x = new Uint8Array(BLOCK);
    for (let i = 0; i < lastStart; i += BLOCK) {
      for (let j = 0; j < BLOCK; j++) {
        x[j] = (x[j] ?? 0) ^ (message[i + j] ?? 0);
      }
      this.#encryptBlock(xk, x);
    }
    const sub = complete ? this.#k1 : this.#k2;
    const rest = message.length - lastStart;
    for (let j = 0; j < BLOCK; j++) {
      const m = j < rest ? message[lastStart + j] ?? 0 : j === rest ? 0x80 : 0;
      x[j] = (x[j] ?? 0) ^ m ^ (sub[j] ?? 0);
    }
    this.#encryptBlock(xk, x);
    return x;
  }
}

/** A key as given by a caller: bytes (expanded per use) or a {@link MeterKey} (kept). */
export type KeyInput = Uint8Array | MeterKey;

/**
 * The {@link MeterKey} of a key input: the same object, or a new one around the bytes.
 *
 * @param key Bytes or a key object.
 * @returns A key object.
 */
export function meterKey(key: KeyInput): MeterKey {
  return key instanceof MeterKey ? key : new MeterKey(key);
}
