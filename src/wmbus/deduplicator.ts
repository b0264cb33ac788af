/**
 * Suppression of repeated telegrams: many meters send each telegram several times, and
 * several receivers may hear the same one. A telegram is a duplicate when the same bytes
 * were seen within a window of time, measured on an injected {@link Clock}.
 *
 * @module
 */
import type { Clock } from "../util/mod.ts";

/** Options of a {@link Deduplicator}. */
export interface DeduplicatorOptions {
  /** Time source. */
  clock: Clock;
  /** How long a telegram counts as recent, in milliseconds. @default 10000 */
  windowMs?: number;
  /** Upper bound on remembered telegrams (oldest forgotten first). @default 10000 */
  maxEntries?: number;
}

/** One character per byte; built in chunks (a telegram is short, one chunk as a rule). */
function keyOf(bytes: Uint8Array): string {
  const CHUNK = 1024;
  if (bytes.length <= CHUNK) {
    return String.fromCharCode.apply(null, bytes as unknown as number[]);
  }
  let s = "";
  for (let at = 0; at < bytes.length; at += CHUNK) {
    const part = bytes.subarray(at, at + CHUNK);
    s += String.fromCharCode.apply(null, part as unknown as number[]);
  }
  return s;
}

/** Remembers recent telegrams and tells repeats apart. */
export class Deduplicator {
  #clock: Clock;
  #windowMs: number;
  #maxEntries: number;
  #seen = new Map<string, number>();
  #suppressed = 0;

  /**
   * Creates an empty deduplicator.
   *
   * @param options Clock, window and bound.
   */
  constructor(options: DeduplicatorOptions) {
    this.#clock = options.clock;
    this.#windowMs = options.windowMs ?? 10_000;
    this.#maxEntries = Math.max(1, options.maxEntries ?? 10_000);
  }

  /** Number of telegrams reported as duplicates so far. */
  get suppressed(): number {
    return this.#suppressed;
  }

  /** Number of telegrams currently remembered. */
  get size(): number {
    return this.#seen.size;
  }

  /**
   * Records a telegram and tells whether it is a repeat within the window.
   *
   * @param bytes The telegram (compare the same form every time, e.g. without CRCs).
   * @returns True when the same bytes were seen less than `windowMs` ago.
   */
  isDuplicate(bytes: Uint8Array): boolean {
    const now = this.#clock.now();
    this.#expire(now);
    const key = keyOf(bytes);
    const last = this.#seen.get(key);
    if (last !== undefined && now - last < this.#windowMs) {
      this.#suppressed++;
      return true;
    }
    this.#seen.delete(key);
    this.#seen.set(key, now);
    if (this.#seen.size > this.#maxEntries) {
      const oldest = this.#seen.keys().next();
      if (!oldest.done) this.#seen.delete(oldest.value);
    }
    return false;
  }

  /** Forgets everything. */
  clear(): void {
    this.#seen.clear();
  }

  #expire(now: number): void {
    for (const [key, at] of this.#seen) {
      if (now - at < this.#windowMs) break;
      this.#seen.delete(key);
    }
  }
}
