/**
 * Moves messages from the {@link Outbox} to the broker, oldest first, with a bounded number
 * in flight. A message leaves the outbox only when the broker has it. When the connection
 * drops, messages already handed to the client stay in its session store and are resent by
 * it after reconnecting; the forwarder then goes on after the last one it handed over. A
 * new process starts from the oldest message on disk.
 *
 * @module
 */
import type { Outbox, OutboxMessage } from "./outbox.ts";

/** Messages read from the outbox at a time. */
const READ_AHEAD = 256;

/** Options of {@link Forwarder}. */
export interface ForwarderOptions {
  /** Sends one message; resolves when the broker has it. */
  publish: (m: OutboxMessage) => Promise<void>;
  /** True while connected. */
  isOnline: () => boolean;
  /**
   * Messages handed to the client and not yet acknowledged.
   * @default 64
   */
  window?: number;
}

/** Pumps the outbox into the connection. */
export class Forwarder {
  readonly #outbox: Outbox;
  readonly #o: ForwarderOptions;
  readonly #window: number;
  /** Last id read from the outbox. */
  #cursor = 0;
  /** Read but not yet handed to the client. */
  #buffer: OutboxMessage[] = [];
  #inFlight = 0;
  #acked: number[] = [];
  #flushQueued = false;
  #pumping = false;
  #idleWaiters: (() => void)[] = [];

  /** @param outbox The queue. @param options Sender and window. */
  constructor(outbox: Outbox, options: ForwarderOptions) {
    this.#outbox = outbox;
    this.#o = options;
    this.#window = Math.max(1, options.window ?? 64);
  }

  /** Messages handed over and not yet acknowledged. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Sends what it can now (call after queueing and after connecting). */
  kick(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#o.isOnline() && this.#inFlight < this.#window) {
        if (this.#buffer.length === 0) {
          // Read ahead in batches: one query per batch, not per message.
          this.#buffer = this.#outbox.after(this.#cursor, READ_AHEAD);
          const last = this.#buffer.at(-1);
          if (!last) break;
          this.#cursor = last.id;
        }
        const m = this.#buffer.shift();
        if (m) this.#send(m);
      }
    } finally {
      this.#pumping = false;
    }
    this.#checkIdle();
  }

  #send(m: OutboxMessage): void {
    this.#inFlight++;
    this.#o.publish(m).then(
      () => {
        this.#acked.push(m.id);
        this.#scheduleFlush();
      },
      () => {
        // Not delivered (client closed): read it and what follows again later.
        this.#buffer = [];
        this.#cursor = Math.min(this.#cursor, m.id - 1);
      },
    ).finally(() => {
      this.#inFlight--;
      this.kick();
    });
  }

  #scheduleFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => {
      this.#flushQueued = false;
      this.#outbox.delivered(this.#acked.splice(0));
      this.#checkIdle();
    });
  }

  #checkIdle(): void {
    if (
      this.#inFlight === 0 && this.#acked.length === 0 &&
      this.#outbox.stats.queued === 0
    ) {
      for (const w of this.#idleWaiters.splice(0)) w();
    }
  }

  /**
   * Resolves when the outbox is empty and nothing is in flight.
   *
   * @returns A promise.
   */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve);
      this.#checkIdle();
    });
  }
}
