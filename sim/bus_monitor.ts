/**
 * A wire monitor on a {@link VirtualBus}: it hears every byte the master sends and can put
 * bytes on the wire towards the master (noise, a foreign device). Tests use it as the far
 * end of an endpoint, e.g. for the transport conformance suite.
 *
 * @module
 */
import { type Clock, RealClock } from "../src/util/mod.ts";

/** The far end a {@link BusMonitor} injects into: the bus's endpoints. */
export interface InjectionTarget {
  /** Delivers bytes to the master as if a device had sent them now. */
  inject(bytes: Uint8Array): void;
}

/** Options of a {@link BusMonitor}. */
export interface BusMonitorOptions {
  /** Clock for read timeouts. @default a RealClock */
  clock?: Clock;
}

/** Hears the master's bytes; injects bytes to the master. Close it when done. */
export class BusMonitor {
  readonly #clock: Clock;
  readonly #targets: () => Iterable<InjectionTarget>;
  readonly #onClose: (m: BusMonitor) => void;
  #heard: number[] = [];
  #wake: (() => void) | undefined;

  /**
   * Creates a monitor; use `VirtualBus.monitor()` rather than this.
   *
   * @param targets The endpoints to inject into (read at each write).
   * @param onClose Detaches the monitor.
   * @param options Clock.
   */
  constructor(
    targets: () => Iterable<InjectionTarget>,
    onClose: (m: BusMonitor) => void,
    options: BusMonitorOptions = {},
  ) {
    this.#targets = targets;
    this.#onClose = onClose;
    this.#clock = options.clock ?? new RealClock();
  }

  /** Called by the bus with every master byte. @param bytes The bytes. */
  hear(bytes: Uint8Array): void {
    for (const b of bytes) this.#heard.push(b);
    this.#wake?.();
  }

  /**
   * Waits up to `timeoutMs` for master bytes.
   *
   * @param maxBytes At most this many.
   * @param timeoutMs Longest wait.
   * @returns The bytes, empty on timeout.
   */
  async read(maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
    if (this.#heard.length === 0 && timeoutMs > 0) {
      const stop = new AbortController();
      const woken = new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      await Promise.race([
        woken,
        this.#clock.sleep(timeoutMs, stop.signal).catch(() => {}),
      ]);
      stop.abort();
      this.#wake = undefined;
    }
    return Uint8Array.from(this.#heard.splice(0, Math.max(1, maxBytes)));
  }

  /** Puts bytes on the wire towards the master. @param bytes The bytes. */
  write(bytes: Uint8Array): Promise<void> {
    for (const t of this.#targets()) t.inject(bytes);
    return Promise.resolve();
  }

  /** Detaches from the bus. */
  close(): Promise<void> {
    this.#onClose(this);
    this.#wake?.();
    return Promise.resolve();
  }
}
