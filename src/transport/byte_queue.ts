/**
 * Received bytes waiting to be read, and waits for more measured on a {@link Clock}.
 *
 * @module
 */
import type { Clock } from "../util/mod.ts";

/** A FIFO of byte chunks with clock-timed waits for new data or a state change. */
export class ByteQueue {
  #clock: Clock;
  #chunks: Uint8Array[] = [];
  #length = 0;
  #waiters = new Set<() => void>();

  /**
   * Creates an empty queue.
   *
   * @param clock Measures {@link wait}.
   */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Bytes waiting. */
  get length(): number {
    return this.#length;
  }

  /**
   * Appends a chunk (kept, not copied) and wakes waiters.
   *
   * @param chunk The bytes.
   */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    this.notify();
  }

  /**
   * Removes up to `maxBytes` from the front.
   *
   * @param maxBytes Upper bound (at least 1 is taken when bytes wait).
   * @returns The bytes (possibly empty).
   */
  take(maxBytes: number): Uint8Array {
    const want = Math.min(Math.max(1, maxBytes), this.#length);
    const out = new Uint8Array(want);
    let at = 0;
    while (at < want) {
      const head = this.#chunks[0];
      if (head === undefined) break;
      const n = Math.min(head.length, want - at);
      out.set(head.subarray(0, n), at);
      at += n;
      if (n === head.length) this.#chunks.shift();
      else this.#chunks[0] = head.subarray(n);
    }
    this.#length -= at;
    return out;
  }

  /** Drops everything. @returns How many bytes were dropped. */
  clear(): number {
    const n = this.#length;
    this.#chunks = [];
    this.#length = 0;
    return n;
  }

  /** Wakes every waiter (new data, or a state change such as a drop or close). */
  notify(): void {
    for (const w of this.#waiters) w();
    this.#waiters.clear();
  }

  /**
   * Waits until {@link notify} (or {@link push}), `ms` on the clock, or an abort,
   * whichever comes first. Never rejects; callers check their state afterwards.
   *
   * @param ms Longest wait.
   * @param signal Ends the wait early.
   */
  async wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    let wake = () => {};
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    this.#waiters.add(wake);
    const timer = this.#clock.sleep(ms, stop.signal).catch(() => {});
    try {
      await Promise.race([woken, timer]);
    } finally {
      this.#waiters.delete(wake);
      signal?.removeEventListener("abort", onAbort);
      stop.abort();
      await timer;
    }
  }
}
