/**
 * One owner of the bus at a time. Polling, on-demand reads, scans, commands and the TCP
 * bridge acquire a lease; others queue (reads and commands ahead of polling) or, with
 * `wait: false`, are refused with `BUS_BUSY` naming the holder. Polling can be paused
 * (during a scan or while bridged) by any number of reasons.
 *
 * @module
 */
import { MbusError } from "../../util/mod.ts";

/** Who uses the bus. */
export interface BusOwner {
  /** Kind of use; "poll" queues behind all others. */
  kind: "poll" | "read" | "scan" | "command" | "bridge";
  /** Human readable, e.g. "scan 3" or "read of 5". */
  label: string;
}

/** A held bus; release it exactly once (`using` works). */
export interface BusLease extends Disposable {
  /** The holder. */
  readonly owner: BusOwner;
  /** Gives the bus to the next waiter. Idempotent. */
  release(): void;
}

/** Options of {@link BusArbiter.acquire}. */
export interface AcquireOptions {
  /** Cancels the wait (rejects with `signal.reason`). */
  signal?: AbortSignal;
  /** Queue when busy; false refuses with `BUS_BUSY`. @default true */
  wait?: boolean;
}

interface Waiter {
  owner: BusOwner;
  grant: (lease: BusLease) => void;
}

/** Arbitrates one bus between its users. */
export class BusArbiter {
  #holder: BusOwner | undefined;
  readonly #queue: Waiter[] = [];
  readonly #pauses = new Map<string, number>();
  readonly #onChange: (() => void) | undefined;

  /**
   * Creates a free arbiter.
   *
   * @param options `onChange` is called when the holder or the pause state changes.
   */
  constructor(options: { onChange?: () => void } = {}) {
    this.#onChange = options.onChange;
  }

  /** The current holder, if any. */
  get owner(): BusOwner | undefined {
    return this.#holder;
  }

  /** Number of waiters. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** True while any pause reason is active. */
  get isPaused(): boolean {
    return this.#pauses.size > 0;
  }

  /** Active pause reasons. */
  get pauseReasons(): string[] {
    return [...this.#pauses.keys()];
  }

  /**
   * Takes the bus, waiting in line unless `wait` is false.
   *
   * @param owner Who takes it.
   * @param options Cancellation and waiting.
   * @returns The lease.
   * @throws {MbusError} `BUS_BUSY` when busy and `wait` is false.
   */
  acquire(owner: BusOwner, options: AcquireOptions = {}): Promise<BusLease> {
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#holder === undefined && this.#queue.length === 0) {
      return Promise.resolve(this.#grant(owner));
    }
    if (options.wait === false) {
      const holder = this.#holder?.label ?? this.#queue[0]?.owner.label ?? "?";
      return Promise.reject(
        new MbusError(
          "BUS_BUSY",
          `Cannot use the bus for ${owner.label}: ${holder} has it`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        owner,
        grant: (lease) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(lease);
        },
      };
      const onAbort = () => {
        const i = this.#queue.indexOf(waiter);
        if (i >= 0) this.#queue.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      if (owner.kind === "poll") this.#queue.push(waiter);
      else {
        const i = this.#queue.findIndex((w) => w.owner.kind === "poll");
        this.#queue.splice(i < 0 ? this.#queue.length : i, 0, waiter);
      }
    });
  }

  /**
   * Pauses polling for a reason (counted: pause twice, resume twice).
   *
   * @param reason e.g. "scan 3".
   */
  pause(reason: string): void {
    this.#pauses.set(reason, (this.#pauses.get(reason) ?? 0) + 1);
    this.#onChange?.();
  }

  /** Lifts one pause of `reason`. @param reason As given to {@link pause}. */
  resume(reason: string): void {
    const n = this.#pauses.get(reason);
    if (n === undefined) return;
    if (n <= 1) this.#pauses.delete(reason);
    else this.#pauses.set(reason, n - 1);
    this.#onChange?.();
  }

  #grant(owner: BusOwner): BusLease {
    this.#holder = owner;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.#holder = undefined;
      const next = this.#queue.shift();
      if (next) next.grant(this.#grant(next.owner));
      else this.#onChange?.();
    };
    this.#onChange?.();
    return { owner, release, [Symbol.dispose]: release };
  }
}
