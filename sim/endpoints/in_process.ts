/**
 * The simulator as a {@link Transport} in the same process: for unit tests (on a
 * `VirtualClock`) and benchmarks. Answers arrive after the slave's answer delay plus their
 * wire time, measured on the injected clock; reads time out on it.
 *
 * @module
 */
import {
  BAUD_RATES,
  type Transport,
  type TransportStats,
  wireTimeMs,
} from "../../src/transport/mod.ts";
import { type Clock, RealClock, TransportError } from "../../src/util/mod.ts";
import type { BusPort } from "../bus_port.ts";
import { withEcho } from "./_echo.ts";
import { LineTimeline } from "./_line_timeline.ts";

/** Options of an {@link InProcessEndpoint}. */
export interface InProcessEndpointOptions {
  /** Clock for answer times and read timeouts. @default a RealClock */
  clock?: Clock;
  /**
   * True: bytes arrive when the wire would deliver them (answer delay + 11 bits per byte).
   * False (fast mode): answers are readable at once; bus statistics still use wire time.
   * @default true
   */
  paced?: boolean;
  /** The transport's name. @default "sim:in-process" */
  name?: string;
  /**
   * Like a USB converter's latency timer: a read that waits hands over the bytes that
   * arrived up to this long after the first one (fewer reads and timers per frame).
   * 0 returns each byte as soon as it arrives.
   * @default 0
   */
  latencyMs?: number;
  /** Hand the master its own bytes back before the answer, as some converters do. @default false */
  echo?: boolean;
}

const EMPTY = new Uint8Array(0);

/**
 * A master's view of a {@link VirtualBus}, implementing {@link Transport}.
 *
 * @example
 * ```ts
 * import { VirtualBus } from "../mod.ts";
 * import { VirtualClock } from "../../src/util/mod.ts";
 * const clock = new VirtualClock();
 * await using port = new VirtualBus().connect({ clock });
 * await port.write(Uint8Array.of(0x10, 0x40, 0x05, 0x45, 0x16));
 * await clock.drive(port.read(1, 300)); // empty: nobody at address 5
 * ```
 */
export class InProcessEndpoint implements Transport {
  readonly #bus: BusPort;
  readonly #clock: Clock;
  readonly #paced: boolean;
  readonly #name: string;
  readonly #latencyMs: number;
  readonly #echo: boolean;
  readonly #closer = new AbortController();
  readonly #stats: TransportStats = { bytesOut: 0, bytesIn: 0, bytesPurged: 0 };
  #baudRate: number;
  #rxBytes: number[] = [];
  #rxTimes: number[] = [];
  readonly #timeline: LineTimeline;
  readonly #detach: () => void;
  /** Wakes a pending read when bytes are added (a concurrent writer, a monitor). */
  #wake: AbortController | undefined;
  #closed = false;

  /**
   * Connects to a bus (see also `VirtualBus.connect`).
   *
   * @param bus The bus.
   * @param options Clock and pacing.
   */
  constructor(bus: BusPort, options: InProcessEndpointOptions = {}) {
    this.#bus = bus;
    this.#clock = options.clock ?? new RealClock();
    this.#paced = options.paced ?? true;
    this.#name = options.name ?? "sim:in-process";
    this.#latencyMs = Math.max(0, options.latencyMs ?? 0);
    this.#echo = options.echo ?? false;
    this.#baudRate = bus.baudRate;
    this.#timeline = new LineTimeline(this.#paced);
    this.#detach = bus.attachEndpoint(this);
  }

  /** `sim:in-process` unless named otherwise. */
  get name(): string {
    return this.#name;
  }
  /** The master side's line speed. */
  get baudRate(): number {
    return this.#baudRate;
  }
  /** Bytes written, read and purged. */
  get stats(): TransportStats {
    return { ...this.#stats };
  }

  #checkOpen(): void {
    if (this.#closed) {
      throw new TransportError(
        "CLOSED",
        `Cannot use "${this.#name}": it is closed`,
      );
    }
  }

  /** Puts bytes on the bus. @param bytes The bytes. @param signal Cancels the write. */
  write(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    try {
      this.#checkOpen();
      signal?.throwIfAborted();
    } catch (e) {
      return Promise.reject(e);
    }
    const now = this.#clock.now();
    const start = this.#timeline.requestStart(now);
    this.#bus.baudRate = this.#baudRate;
    const answer = this.#bus.transmit(bytes, start);
    const heard = this.#echo
      ? withEcho(bytes, start, this.#baudRate, answer)
      : answer;
    const end = start + wireTimeMs(bytes.length, this.#baudRate);
    this.#timeline.record(now, end, heard.times[heard.times.length - 1] ?? end);
    this.#stats.bytesOut += bytes.length;
    heard.bytes.forEach((b, i) => {
      this.#rxBytes.push(b);
      this.#rxTimes.push(this.#paced ? heard.times[i] ?? now : now);
    });
    if (heard.bytes.length > 0) this.#wake?.abort();
    return Promise.resolve();
  }

  /**
   * Bytes put on the wire by a {@link BusMonitor}: they arrive as if sent now.
   *
   * @param bytes The bytes.
   */
  inject(bytes: Uint8Array): void {
    if (this.#closed) return;
    const now = this.#clock.now();
    const charMs = wireTimeMs(1, this.#baudRate);
    bytes.forEach((b, i) => {
      this.#rxBytes.push(b);
      this.#rxTimes.push(this.#paced ? now + (i + 1) * charMs : now);
    });
    if (bytes.length > 0) this.#wake?.abort();
  }

  #arrived(now: number): number {
    let n = 0;
    while (n < this.#rxTimes.length && (this.#rxTimes[n] ?? 0) <= now) n++;
    return n;
  }

  #take(count: number): Uint8Array {
    const out = Uint8Array.from(this.#rxBytes.splice(0, count));
    this.#rxTimes.splice(0, count);
    return out;
  }

  /**
   * Waits up to `timeoutMs` (on the clock) for answer bytes.
   *
   * @param maxBytes At most this many bytes.
   * @param timeoutMs Longest wait for the first byte.
   * @param signal Cancels the read.
   * @returns The bytes, or an empty array on timeout.
   */
  async read(
    maxBytes: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    this.#checkOpen();
    signal?.throwIfAborted();
    const both = signal
      ? AbortSignal.any([signal, this.#closer.signal])
      : this.#closer.signal;
    const deadline = this.#clock.now() + Math.max(0, timeoutMs);
    for (;;) {
      const now = this.#clock.now();
      const ready = this.#arrived(now);
      if (ready > 0) {
        const out = this.#take(Math.min(ready, Math.max(1, maxBytes)));
        this.#stats.bytesIn += out.length;
        return out;
      }
      const next = this.#rxTimes[0];
      if (next !== undefined && next <= deadline) {
        const wake = Math.min(next + this.#latencyMs, Math.max(deadline, next));
        await this.#clock.sleep(wake - now, both);
        continue;
      }
      if (await this.#sleepUnlessWoken(deadline - now, both)) continue;
      this.#bus.noteWaitEnd(this.#timeline.toBus(this.#clock.now()));
      return EMPTY;
    }
  }

  /** Sleeps on the clock; true when bytes were added meanwhile (then the read looks again). */
  async #sleepUnlessWoken(ms: number, signal: AbortSignal): Promise<boolean> {
    const wake = new AbortController();
    this.#wake = wake;
    try {
      await this.#clock.sleep(ms, AbortSignal.any([signal, wake.signal]));
      return false;
    } catch (e) {
      if (wake.signal.aborted && !signal.aborted) return true;
      throw e;
    } finally {
      if (this.#wake === wake) this.#wake = undefined;
    }
  }

  /** Drops answer bytes that have arrived but were not read. @returns How many. */
  purge(): Promise<number> {
    try {
      this.#checkOpen();
    } catch (e) {
      return Promise.reject(e);
    }
    const n = this.#take(this.#arrived(this.#clock.now())).length;
    this.#stats.bytesIn += n;
    this.#stats.bytesPurged += n;
    return Promise.resolve(n);
  }

  /** Changes the master side's line speed. @param baudRate One of the EN 13757-2 rates. */
  setBaudRate(baudRate: number): Promise<void> {
    try {
      this.#checkOpen();
      if (!(BAUD_RATES as readonly number[]).includes(baudRate)) {
        throw new RangeError(
          `Cannot set baud rate ${baudRate}: not an M-Bus rate`,
        );
      }
    } catch (e) {
      return Promise.reject(e);
    }
    this.#baudRate = baudRate;
    this.#bus.baudRate = baudRate;
    return Promise.resolve();
  }

  /** Closes the endpoint; a pending read rejects with `CLOSED`. Idempotent. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#detach();
      this.#closer.abort(
        new TransportError(
          "CLOSED",
          `Cannot read "${this.#name}": it was closed`,
        ),
      );
      this.#rxBytes = [];
      this.#rxTimes = [];
    }
    return Promise.resolve();
  }

  /** Closes the endpoint. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
