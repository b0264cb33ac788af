/**
 * History upkeep after each polling cycle: flush the rows written during the cycle, and
 * prune rows past their retention at most once an hour.
 *
 * @module
 */
import type { Clock } from "../../util/mod.ts";
import type { History } from "../history/mod.ts";

/** How often the history is pruned, at most. */
export const PRUNE_INTERVAL_MS = 3_600_000;

/** Flushes and prunes one instance's history store. */
export class HistoryUpkeep {
  readonly #history: History | undefined;
  readonly #clock: Clock;
  #lastPruneMs = 0;

  /**
   * @param history The store; without one, nothing happens.
   * @param clock Time source.
   */
  constructor(history: History | undefined, clock: Clock) {
    this.#history = history;
    this.#clock = clock;
  }

  /** Flushes; prunes when the last prune is an hour old (or there was none). */
  afterCycle(): void {
    if (!this.#history) return;
    this.#history.flush();
    const now = this.#clock.now();
    if (now - this.#lastPruneMs < PRUNE_INTERVAL_MS) return;
    this.#lastPruneMs = now;
    this.#history.prune(now);
  }
}
