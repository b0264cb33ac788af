/**
 * Capped exponential back-off between reconnection attempts.
 *
 * @module
 */
import type { Clock } from "../util/mod.ts";

/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /** Wait after the first failed attempt, in ms. @default 250 */
  initialMs?: number;
  /** Longest wait, in ms. @default 30000 */
  maxMs?: number;
  /** Growth per failure. @default 2 */
  factor?: number;
}

/** Counts consecutive failures and says how long to wait before the next attempt. */
export class Backoff {
  #initial: number;
  #max: number;
  #factor: number;
  #failures = 0;
  #notBefore = 0;

  /**
   * Creates a back-off with no failures yet.
   *
   * @param options Initial and maximum delay, growth factor.
   */
  constructor(options: BackoffOptions = {}) {
    this.#initial = Math.max(0, options.initialMs ?? 250);
    this.#max = Math.max(this.#initial, options.maxMs ?? 30_000);
    this.#factor = Math.max(1, options.factor ?? 2);
  }

  /** Consecutive failures so far. */
  get failures(): number {
    return this.#failures;
  }

  /**
   * Milliseconds to wait before an attempt is allowed.
   *
   * @param now The current time.
   * @returns 0 when an attempt may start now.
   */
  remaining(now: number): number {
    return Math.max(0, this.#notBefore - now);
  }

  /**
   * Records a failed attempt.
   *
   * @param now The time of the failure.
   * @returns The delay until the next attempt.
   */
  fail(now: number): number {
    const delay = Math.min(
      this.#max,
      this.#initial * this.#factor ** this.#failures,
    );
    this.#failures++;
    this.#notBefore = now + delay;
    return delay;
  }

  /** Records a success: the next failure starts again at the initial delay. */
  succeed(): void {
    this.#failures = 0;
    this.#notBefore = 0;
  }
}

/**
 * Attempts whenever the back-off allows, until `done()` holds or `signal` aborts. A failed
 * attempt is the attempt's own business to count (it calls `backoff.fail`).
 *
 * @param o The back-off, clock, stop signal, end condition and the attempt.
 */
export async function retryWithBackoff(o: {
  backoff: Backoff;
  clock: Clock;
  signal: AbortSignal;
  done: () => boolean;
  attempt: () => Promise<void>;
}): Promise<void> {
  while (!o.done()) {
    const wait = o.backoff.remaining(o.clock.now());
    if (wait > 0) {
      try {
        await o.clock.sleep(wait, o.signal);
      } catch {
        return;
      }
      continue;
    }
    try {
      await o.attempt();
    } catch {
      // Counted by the attempt; the loop waits out the back-off.
    }
  }
}
