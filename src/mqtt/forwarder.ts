/**
 * Moves messages from the {@link Outbox} to the broker, oldest first, with a bounded number
 * in flight. A message leaves the outbox only when the broker has it. When the connection
 * drops, messages already handed to the client stay in its session store and are resent by
 * it after reconnecting; the forwarder then goes on after the last one it handed over. A
 * new process starts from the oldest message on disk.
 *
 * @module
 */
import { MbusError } from "../util/mod.ts";
import type { Outbox, OutboxMessage } from "./outbox.ts";

/** Refusals of one message by a connected client before it is discarded. */
const MAX_REFUSALS = 3;

/** Messages read from the outbox at a time. */
const READ_AHEAD = 256;

/** Options of {@link Forwarder}. */
export interface ForwarderOptions {
  /** Sends one message; resolves when the broker has it. */
  publish: (m: OutboxMessage) => Promise<void>;
  /** True while connected. */
  isOnline: () => boolean;
  /** Told when a message the connected client keeps refusing is discarded. */
  onDiscard?: (m: OutboxMessage, reason: string) => void;
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
  /** Refusals per message id while connected. */
  readonly #refusals = new Map<number, number>();
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
      (e: unknown) => {
        if (this.#o.isOnline() && this.#refused(m, e)) return;
        // Not delivered (client closed): read it and what follows again later.
        this.#buffer = [];
        this.#cursor = Math.min(this.#cursor, m.id - 1);
      },
    ).finally(() => {
      this.#inFlight--;
      this.kick();
    });
  }

  /**
   * A message the client refuses while connected (too large for the broker, say) would be
   * retried forever: after {@link MAX_REFUSALS} refusals it is discarded and reported.
   */
  #refused(m: OutboxMessage, e: unknown): boolean {
    const n = (this.#refusals.get(m.id) ?? 0) + 1;
    this.#refusals.set(m.id, n);
    if (n < MAX_REFUSALS) return false;
    this.#refusals.delete(m.id);
    this.#outbox.discard([m.id]);
    this.#o.onDiscard?.(m, e instanceof Error ? e.message : String(e));
    return true;
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
   * @param timeoutMs Give up after this long (real time).
   * @throws {MbusError} `TIMEOUT` when messages are still queued then.
   */
  async idle(timeoutMs: number): Promise<void> {
    let waiter: (() => void) | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        waiter = resolve;
        timer = setTimeout(() =>
          reject(
            new MbusError(
              "TIMEOUT",
              `MQTT outbox not empty after ${timeoutMs} ms (${this.#outbox.stats.queued} queued)`,
            ),
          ), timeoutMs);
        this.#idleWaiters.push(resolve);
        this.#checkIdle();
      });
    } finally {
      clearTimeout(timer);
      this.#idleWaiters = this.#idleWaiters.filter((w) => w !== waiter);
    }
  }
}
