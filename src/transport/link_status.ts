/**
 * The health of a connection to a bus (a TCP converter, a serial port, a dongle) as the
 * gateway shows it: `connecting`, `online` or `offline` with the reason and the next
 * attempt, and counters of connects, drops, attempts and time offline.
 *
 * @module
 */
import type { Clock } from "../util/mod.ts";

/** Where a connection stands. */
export type LinkState = "connecting" | "online" | "offline";

/** A snapshot of a connection's health. */
export interface LinkStatus {
  /** Where the connection stands. */
  state: LinkState;
  /** Why it is not online (the last failure), or null. */
  reason: string | null;
  /** When the next attempt is due (clock ms), or null when none is planned. */
  nextAttemptAt: number | null;
  /** When the state last changed (clock ms). */
  since: number;
  /** Connections made. */
  connects: number;
  /** Connections lost after they were up. */
  disconnects: number;
  /** Attempts to connect, the first one included. */
  attempts: number;
  /** Time not online since the tracker was created, ms (the current spell included). */
  offlineMs: number;
}

/** Listener of state changes. */
export type LinkListener = (status: LinkStatus) => void;

/** Counts a connection's life and tells listeners when its state changes. */
export class LinkTracker {
  readonly #clock: Clock;
  #state: LinkState;
  #reason: string | null = null;
  #next: number | null = null;
  #since: number;
  #connects = 0;
  #disconnects = 0;
  #attempts = 0;
  #offlineMs = 0;
  readonly #listeners = new Set<LinkListener>();

  /**
   * Creates a tracker.
   *
   * @param clock Time source.
   * @param initial The state at creation. @default "connecting"
   */
  constructor(clock: Clock, initial: LinkState = "connecting") {
    this.#clock = clock;
    this.#state = initial;
    this.#since = clock.now();
  }

  /** The current state. */
  get state(): LinkState {
    return this.#state;
  }

  /** An attempt to connect starts. */
  attempt(): void {
    this.#attempts++;
    this.#next = null;
  }

  /** The connection is up. */
  connected(): void {
    this.#connects++;
    this.#reason = null;
    this.#next = null;
    this.#set("online");
  }

  /**
   * An attempt failed.
   *
   * @param reason One line.
   * @param nextAttemptAt When the next attempt is due, or null.
   */
  failed(reason: string, nextAttemptAt: number | null): void {
    this.#reason = reason;
    this.#next = nextAttemptAt;
    this.#set("offline", true);
  }

  /**
   * The connection was lost.
   *
   * @param reason One line.
   */
  dropped(reason: string): void {
    if (this.#state === "online") this.#disconnects++;
    this.#reason = reason;
    this.#set("offline", true);
  }

  /** A snapshot. */
  status(): LinkStatus {
    const now = this.#clock.now();
    const current = this.#state === "online" ? 0 : now - this.#since;
    return {
      state: this.#state,
      reason: this.#reason,
      nextAttemptAt: this.#next,
      since: this.#since,
      connects: this.#connects,
      disconnects: this.#disconnects,
      attempts: this.#attempts,
      offlineMs: this.#offlineMs + Math.max(0, current),
    };
  }

  /**
   * Listens to state changes.
   *
   * @param fn Called with a snapshot after each change of state or reason.
   * @returns Unsubscribes.
   */
  onChange(fn: LinkListener): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #set(state: LinkState, notifyAlways = false): void {
    const changed = state !== this.#state;
    if (!changed && !notifyAlways) return;
    if (changed) {
      const now = this.#clock.now();
      if (this.#state !== "online") this.#offlineMs += now - this.#since;
      this.#state = state;
      this.#since = now;
    }
    const snapshot = this.status();
    for (const fn of [...this.#listeners]) {
      try {
        fn(snapshot);
      } catch {
        // A listener's fault is its own.
      }
    }
  }
}
