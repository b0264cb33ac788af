/**
 * A {@link MeterSource} that opens its bus in the background and keeps trying: a converter,
 * port or dongle that is down when the gateway starts leaves only its own instance
 * `offline` (with the reason and the next attempt) while the other instances and the API
 * run. Once open, it delegates to the real source; a transport that tracks its own link
 * (TCP) reports drops and reconnects through {@link SupervisedSource.link}.
 *
 * @module
 */
import {
  Backoff,
  type BackoffOptions,
  DEFAULT_BAUD_RATE,
  type LinkListener,
  type LinkStatus,
  LinkTracker,
  retryWithBackoff,
  type Transport,
  type TransportStats,
} from "../../transport/mod.ts";
import { type Clock, TransportError } from "../../util/mod.ts";
import type {
  FoundMeter,
  MeterSource,
  ScanParams,
  SourceAddress,
  SourceReading,
  SourceReadOptions,
  SourceScanOptions,
  SourceStats,
} from "./meter_source.ts";
import type { WireTap } from "./wire_tap.ts";
import { linkLogger } from "./link_log.ts";

/** Options of {@link SupervisedSource}. */
export interface SupervisedSourceOptions {
  /** "wired" or "wireless" (known before the bus is open). */
  kind: "wired" | "wireless";
  /** What the bus is, for messages (e.g. `tcp 10.0.0.5:10001`). */
  label: string;
  /** Opens the real source; a `TransportError` means "try again later". */
  open: () => MeterSource | Promise<MeterSource>;
  /** Time source. */
  clock: Clock;
  /** Back-off between attempts. @default { initialMs: 250, maxMs: 1000 } */
  backoff?: BackoffOptions;
  /** Told one line when the bus goes offline (opening or later) and when it is back. */
  log?: (line: string) => void;
}

const NO_STATS: SourceStats = {
  requests: 0,
  answers: 0,
  timeouts: 0,
  collisions: 0,
  retries: 0,
  busyMs: 0,
};

/** A source whose bus may not be open yet. */
export class SupervisedSource implements MeterSource {
  /** "wired" or "wireless". */
  readonly kind: "wired" | "wireless";
  readonly #o: SupervisedSourceOptions;
  readonly #tracker: LinkTracker;
  readonly #backoff: Backoff;
  readonly #stop = new AbortController();
  readonly #listeners = new Set<LinkListener>();
  readonly #proxy: Transport | undefined;
  #inner: MeterSource | undefined;
  #unlink: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  #first: Promise<void>;
  #closed = false;
  #addresses: readonly SourceAddress[] | undefined;
  #wire: WireTap | undefined;

  /**
   * Creates the source and makes the first attempt to open the bus.
   *
   * @param options Kind, label, opener, clock, back-off.
   */
  constructor(options: SupervisedSourceOptions) {
    this.#o = options;
    this.kind = options.kind;
    this.#tracker = new LinkTracker(options.clock);
    this.#tracker.onChange((s) => this.#notify(s));
    if (options.log) {
      this.onLinkChange(linkLogger(options.label, options.log, options.clock));
    }
    this.#backoff = new Backoff(
      options.backoff ?? { initialMs: 250, maxMs: 1000 },
    );
    this.#proxy = options.kind === "wired" ? this.#makeProxy() : undefined;
    const first = Promise.withResolvers<void>();
    this.#first = first.promise;
    this.#loop = this.#run(first.resolve, first.reject).finally(() => {
      this.#loop = undefined;
    });
  }

  /**
   * Resolves after the first attempt to open the bus (opened or not).
   *
   * @returns Nothing; rejects when the opener fails with anything but a
   *   `TransportError` (a configuration fault, not an outage).
   */
  firstAttempt(): Promise<void> {
    return this.#first;
  }

  /** A stable handle on the bus for the TCP bridge (wired only); fails while offline. */
  get transport(): Transport | undefined {
    return this.#proxy;
  }

  /** The link's health (opening attempts, then the transport's own, when it tracks one). */
  link(): LinkStatus {
    const own = this.#tracker.status();
    const inner = this.#inner?.link?.();
    if (!inner) return own;
    return {
      ...inner,
      attempts: inner.attempts + (own.attempts - own.connects),
      offlineMs: inner.offlineMs + own.offlineMs,
    };
  }

  /**
   * Listens to changes of {@link link}.
   *
   * @param fn Called after each change.
   * @returns Unsubscribes.
   */
  onLinkChange(fn: LinkListener): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #notify(_status: LinkStatus): void {
    const s = this.link();
    for (const fn of [...this.#listeners]) {
      try {
        fn(s);
      } catch {
        // A listener's fault is its own.
      }
    }
  }

  async #run(
    settled: () => void,
    refused: (e: unknown) => void,
  ): Promise<void> {
    await retryWithBackoff({
      backoff: this.#backoff,
      clock: this.#o.clock,
      signal: this.#stop.signal,
      done: () => this.#closed || this.#inner !== undefined,
      attempt: async () => {
        try {
          await this.#attempt(refused);
        } finally {
          settled();
        }
      },
    });
    settled();
  }

  /** One attempt to open; a `TransportError` is recorded (and rethrown to the loop). */
  async #attempt(refused: (e: unknown) => void): Promise<void> {
    this.#tracker.attempt();
    let source: MeterSource;
    try {
      source = await this.#o.open();
    } catch (e) {
      if (!(e instanceof TransportError)) {
        // A configuration fault, not an outage: the caller reports it and stops.
        this.#closed = true;
        refused(e);
        return;
      }
      const now = this.#o.clock.now();
      const delay = this.#backoff.fail(now);
      this.#tracker.failed(e.message, now + delay);
      throw e;
    }
    if (this.#closed) {
      await source.close().catch(() => {});
      return;
    }
    this.#inner = source;
    if (this.#addresses) source.setAddresses?.(this.#addresses);
    if (this.#wire) source.setWireTap?.(this.#wire);
    this.#backoff.succeed();
    this.#unlink = source.onLinkChange?.((s) => this.#notify(s));
    this.#tracker.connected();
  }

  #offline(what: string): TransportError {
    const s = this.#tracker.status();
    const next = s.nextAttemptAt === null
      ? ""
      : ` (next attempt in ${
        Math.max(0, Math.ceil(s.nextAttemptAt - this.#o.clock.now()))
      } ms)`;
    return new TransportError(
      "CONNECT_FAILED",
      `Cannot ${what}: ${this.#o.label} is offline: ${
        s.reason ?? "not open yet"
      }${next}`,
    );
  }

  #open(what: string): MeterSource {
    if (this.#closed) {
      throw new TransportError(
        "CLOSED",
        `Cannot ${what}: ${this.#o.label} is closed`,
      );
    }
    if (this.#inner === undefined) throw this.#offline(what);
    return this.#inner;
  }

  /** Meters heard on air (wireless), or none while offline. */
  heard(): unknown[] {
    return this.#inner?.heard?.() ?? [];
  }

  /** Forgets the master's FCB state (when open). */
  resetFcbState(): void {
    this.#inner?.resetFcbState?.();
  }

  /**
   * Takes the meters' settings live; kept for a source opened later.
   *
   * @param addresses The meters as configured now.
   */
  setAddresses(addresses: readonly SourceAddress[]): void {
    this.#addresses = addresses;
    this.#inner?.setAddresses?.(addresses);
  }

  /**
   * Attaches the wire tap; kept for a source opened later.
   *
   * @param tap The instance's tap.
   */
  setWireTap(tap: WireTap | undefined): void {
    this.#wire = tap;
    this.#inner?.setWireTap?.(tap);
  }

  /** Clears every meter's link state (when open and wired). */
  async resetLinks(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#inner?.resetLinks?.(options);
  }

  /** Reads a meter; fails at once with `CONNECT_FAILED` while offline. */
  async read(
    meter: string,
    options?: SourceReadOptions,
  ): Promise<SourceReading> {
    return await this.#open(`read ${meter}`).read(meter, options);
  }

  /** Scans; fails at once while offline. */
  async scan(
    params: ScanParams,
    options?: SourceScanOptions,
  ): Promise<FoundMeter[]> {
    return await this.#open("scan").scan(params, options);
  }

  /** Sets a primary address; fails at once while offline. */
  async setPrimaryAddress(
    meter: string,
    newAddress: number,
    options?: { signal?: AbortSignal },
  ): Promise<void> {
    await this.#open(`set the address of ${meter}`).setPrimaryAddress(
      meter,
      newAddress,
      options,
    );
  }

  /** Switches a baud rate; fails at once while offline. */
  async setBaudRate(
    meter: string,
    baudRate: number,
    options?: { signal?: AbortSignal },
  ): Promise<void> {
    await this.#open(`set the baud rate of ${meter}`).setBaudRate(
      meter,
      baudRate,
      options,
    );
  }

  /** The open source's counters (zeros while never open). */
  stats(): SourceStats {
    return this.#inner?.stats() ?? { ...NO_STATS };
  }

  /** Stops trying and closes the source. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop.abort();
    await this.#loop?.catch(() => {});
    this.#unlink?.();
    const inner = this.#inner;
    this.#inner = undefined;
    await inner?.close();
  }

  #makeProxy(): Transport {
    return new ProxyTransport(
      this.#o.label,
      () => this.#inner?.transport,
      (what) => {
        const t = this.#open(what).transport;
        if (!t) {
          throw new TransportError(
            "IO",
            `Cannot ${what}: ${this.#o.label} has no raw bus`,
          );
        }
        return t;
      },
    );
  }
}

/** The bus of whatever source is open now; closing it is the source's business. */
class ProxyTransport implements Transport {
  readonly name: string;
  readonly #current: () => Transport | undefined;
  readonly #need: (what: string) => Transport;
  readonly #none: TransportStats = { bytesOut: 0, bytesIn: 0, bytesPurged: 0 };

  constructor(
    name: string,
    current: () => Transport | undefined,
    need: (what: string) => Transport,
  ) {
    this.name = name;
    this.#current = current;
    this.#need = need;
  }
  get baudRate(): number {
    return this.#current()?.baudRate ?? DEFAULT_BAUD_RATE;
  }
  get stats(): TransportStats {
    return this.#current()?.stats ?? this.#none;
  }
  write(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    return this.#call("write", (t) => t.write(bytes, signal));
  }
  read(
    maxBytes: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    return this.#call("read", (t) => t.read(maxBytes, timeoutMs, signal));
  }
  purge(): Promise<number> {
    return this.#call("purge", (t) => t.purge());
  }
  setBaudRate(baudRate: number): Promise<void> {
    return this.#call("set the baud rate", (t) => t.setBaudRate(baudRate));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  [Symbol.asyncDispose](): Promise<void> {
    return Promise.resolve();
  }
  #call<T>(what: string, fn: (t: Transport) => Promise<T>): Promise<T> {
    try {
      return fn(this.#need(what));
    } catch (e) {
      return Promise.reject(e);
    }
  }
}
