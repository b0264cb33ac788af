/**
 * Time as a dependency: every timeout, pause and schedule reads a {@link Clock}. The
 * {@link VirtualClock} runs hours of bus time in milliseconds for tests and benchmarks.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import { MbusError } from "./errors.ts";

/** A source of time and of waits. */
export interface Clock {
  /** Milliseconds since the Unix epoch (virtual clocks start where they are told). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds; rejects with `signal.reason` when aborted.
   *
   * @param ms Milliseconds to wait (negative counts as 0).
   * @param signal Cancels the wait.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ??
    new DOMException("The operation was aborted", "AbortError");
}

/**
 * The longest single `setTimeout` delay (2^31 − 1 ms, about 24.8 days). Longer delays make
 * the runtime print a TimeoutOverflowWarning and fire after 1 ms, so {@link RealClock}
 * waits in chunks of at most this length.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** Options of {@link RealClock}. */
export interface RealClockOptions {
  /**
   * Longest single timer; longer waits are chained. Only tests lower it.
   *
   * @default MAX_TIMER_MS
   */
  maxTimerMs?: number;
}

/** The wall clock: `Date.now()` and `setTimeout`. */
export class RealClock implements Clock {
  #maxTimerMs: number;

  /**
   * Creates the wall clock.
   *
   * @param options The longest single timer.
   */
  constructor(options: RealClockOptions = {}) {
    const max = options.maxTimerMs ?? MAX_TIMER_MS;
    this.#maxTimerMs = max >= 1 && max <= MAX_TIMER_MS ? max : MAX_TIMER_MS;
  }

  /**
   * The current wall-clock time.
   *
   * @returns `Date.now()`.
   */
  now(): number {
    return Date.now();
  }

  /**
   * Waits with `setTimeout`, in chunks of at most {@link MAX_TIMER_MS}, so a wait of any
   * length (a yearly cron, `Infinity`) neither overflows nor fires early. NaN counts as 0.
   *
   * @param ms Milliseconds.
   * @param signal Cancels the wait.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    let remaining = ms > 0 ? ms : 0;
    return new Promise((resolve, reject) => {
      let id: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        clearTimeout(id);
        reject(abortReason(signal as AbortSignal));
      };
      const arm = () => {
        const chunk = Math.min(remaining, this.#maxTimerMs);
        remaining -= chunk;
        id = setTimeout(() => {
          if (remaining > 0) return arm();
          signal?.removeEventListener("abort", onAbort);
          resolve();
        }, chunk);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      arm();
    });
  }
}

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
  cancel: () => void;
}

/** Lets pending promise continuations (and other macrotask-free work) run. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when told. `sleep` registers a timer; {@link advance} and
 * {@link runUntilIdle} fire timers in time order, letting promise continuations run
 * between them, so code under test sees time pass exactly as on a real bus.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];

  /**
   * Creates a clock stopped at `startMs`.
   *
   * @param startMs Start time in ms since the epoch; default 2026-01-01T00:00:00Z.
   */
  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
  }

  /**
   * The current virtual time.
   *
   * @returns Virtual milliseconds since the epoch.
   */
  now(): number {
    return this.#now;
  }

  /** Number of timers waiting. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Virtual time of the next timer, or undefined. */
  get nextAt(): number | undefined {
    return this.#timers[0]?.at;
  }

  /** Registers a virtual timer. @param ms Milliseconds. @param signal Cancels the wait. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const timer: Timer = {
        at: this.#now + (ms > 0 ? ms : 0),
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        cancel: () => {},
      };
      const onAbort = () => {
        this.#remove(timer);
        reject(abortReason(signal as AbortSignal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#insert(timer);
    });
  }

  #insert(t: Timer): void {
    const a = this.#timers;
    let i = a.length;
    while (i > 0) {
      const prev = a[i - 1] as Timer;
      if (prev.at < t.at || (prev.at === t.at && prev.seq < t.seq)) break;
      i--;
    }
    a.splice(i, 0, t);
  }

  #remove(t: Timer): void {
    const i = this.#timers.indexOf(t);
    if (i >= 0) this.#timers.splice(i, 1);
  }

  /**
   * Moves time forward by `ms`, firing every timer due on the way, in order, and letting
   * the code they wake run before the next one fires.
   *
   * @param ms Milliseconds to advance.
   */
  async advance(ms: number): Promise<void> {
    const target = this.#now + Math.max(0, ms);
    await flushMicrotasks();
    for (;;) {
      const next = this.#timers[0];
      if (!next || next.at > target) break;
      this.#timers.shift();
      this.#now = Math.max(this.#now, next.at);
      next.resolve();
      await flushMicrotasks();
    }
    this.#now = target;
    await flushMicrotasks();
  }

  /**
   * Fires timers until none is left (or `limitMs` of virtual time has passed).
   *
   * @param limitMs Stop after this much virtual time; default 1 day.
   * @returns Virtual milliseconds that passed.
   */
  async runUntilIdle(limitMs = 86_400_000): Promise<number> {
    const start = this.#now;
    await flushMicrotasks();
    for (;;) {
      const next = this.#timers[0];
      if (!next || next.at - start > limitMs) break;
      this.#timers.shift();
      this.#now = Math.max(this.#now, next.at);
      next.resolve();
      await flushMicrotasks();
    }
    return this.#now - start;
  }

  /**
   * Runs timers until `promise` settles, then returns its outcome. Fails when no timer is
   * left and the promise is still pending (a deadlock in the code under test).
   *
   * @param promise The work to drive.
   * @param limitMs Virtual time limit; default 1 day.
   * @returns The promise's value.
   */
  async drive<T>(promise: Promise<T>, limitMs = 86_400_000): Promise<T> {
    let settled = false;
    const watched = promise.finally(() => {
      settled = true;
    });
    watched.catch(() => {});
    const start = this.#now;
    await flushMicrotasks();
    while (!settled) {
      const next = this.#timers[0];
      if (!next) {
        await flushMicrotasks();
        if (settled) break;
        throw new MbusError(
          "DEADLOCK",
          "VirtualClock.drive(): the promise is pending and no timer is left",
        );
      }
      if (next.at - start > limitMs) {
        throw new MbusError(
          "DEADLOCK",
          `VirtualClock.drive(): still pending after ${limitMs} ms of virtual time`,
        );
      }
      this.#timers.shift();
      this.#now = Math.max(this.#now, next.at);
      next.resolve();
      await flushMicrotasks();
    }
    return await watched;
  }
}
