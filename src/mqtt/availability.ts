/**
 * Per-meter availability. A wired meter goes `offline` after `missedReads` failed reads in a
 * row and back `online` with its next answer. A wireless source answers every read with the
 * last telegram heard, so for it a read that brings no new telegram is not a failure by
 * itself: the meter goes `offline` when no new telegram came for `missedReads` times its
 * usual interval (the time between its last two telegrams), and `online` with the next one.
 *
 * @module
 */
import type { ReadOutcome } from "./reading_tap.ts";

interface Track {
  misses: number;
  available: boolean | undefined;
  lastReadAt: number;
  intervalMs: number;
}

/** What one read meant. */
export interface AvailabilityUpdate {
  /** The read brought a new reading (publish it). */
  fresh: boolean;
  /** The availability changed to this, or undefined. */
  change: "online" | "offline" | undefined;
}

/** Tracks the availability of every meter. */
export class AvailabilityTracker {
  readonly #missedReads: number;
  readonly #tracks = new Map<string, Track>();

  /** @param missedReads Misses in a row before `offline`. */
  constructor(missedReads: number) {
    this.#missedReads = Math.max(1, missedReads);
  }

  /**
   * Takes one read of a meter.
   *
   * @param key The meter (instance and name).
   * @param outcome The read's outcome.
   * @param now Current time, ms (for wireless intervals).
   * @returns Whether it was new, and any change of availability.
   */
  update(key: string, outcome: ReadOutcome, now: number): AvailabilityUpdate {
    let t = this.#tracks.get(key);
    if (!t) {
      t = { misses: 0, available: undefined, lastReadAt: 0, intervalMs: 0 };
      this.#tracks.set(key, t);
    }
    if (outcome.ok && outcome.reading.readAt > t.lastReadAt) {
      if (t.lastReadAt > 0) {
        t.intervalMs = outcome.reading.readAt - t.lastReadAt;
      }
      t.lastReadAt = outcome.reading.readAt;
      t.misses = 0;
      return { fresh: true, change: this.#set(t, true) };
    }
    if (outcome.ok) {
      // The same telegram again: late only when overdue by missedReads intervals.
      const overdue = t.intervalMs > 0 &&
        now - t.lastReadAt > this.#missedReads * t.intervalMs;
      return {
        fresh: false,
        change: overdue ? this.#set(t, false) : undefined,
      };
    }
    t.misses++;
    return {
      fresh: false,
      change: t.misses >= this.#missedReads ? this.#set(t, false) : undefined,
    };
  }

  #set(t: Track, available: boolean): "online" | "offline" | undefined {
    if (t.available === available) return undefined;
    t.available = available;
    return available ? "online" : "offline";
  }

  /**
   * Forgets a meter (it left the configuration).
   *
   * @param key The meter.
   */
  forget(key: string): void {
    this.#tracks.delete(key);
  }
}
