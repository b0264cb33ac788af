/**
 * The wired {@link MeterSource}: the `Master` over a `Transport`, optionally in the
 * `legacyDriver` profile (libmbus's timing, retries and request sequence; see
 * /work/shared/docs/libmbus-behaviour.md §1).
 *
 * @module
 */
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRY,
  type LinkResetPolicy,
  Master,
  type MasterOptions,
  parseMeterAddress,
  probeTimeoutMs,
} from "../../master/mod.ts";
import type {
  LinkListener,
  LinkStatus,
  Transport,
} from "../../transport/mod.ts";
import type { Clock } from "../../util/mod.ts";
import {
  type FoundMeter,
  type MeterSource,
  type ScanParams,
  type SourceReading,
  type SourceReadOptions,
  type SourceScanOptions,
  type SourceStats,
  TappedTransport,
  type WireTap,
} from "../source/mod.ts";

/** Options of {@link WiredSource}. */
export interface WiredSourceOptions {
  /** The bus; the source closes it. */
  transport: Transport;
  /** Time source. */
  clock: Clock;
  /** Answer timeout, ms. @default DEFAULT_REQUEST_TIMEOUT_MS (master) */
  requestTimeoutMs?: number;
  /** Pause between requests, ms. @default DEFAULT_IDLE_TIMEOUT_MS (master) */
  idleTimeoutMs?: number;
  /** Retries. @default DEFAULT_RETRY (master) */
  retry?: number;
  /** Apply the unit factor. @default true */
  applyUnitFactor?: boolean;
  /**
   * libmbus compatibility: its timeouts and retries, and its request sequence for a readout
   * (SND_NKE to 253 twice, a select by secondary address, REQ_UD2 from C = 7B, purges).
   * @default false
   */
  legacy?: boolean;
  /** Gap that ends an answer, ms (the master's default when absent). */
  interCharTimeoutMs?: number;
  /** The transport is TCP (legacy timing uses libmbus's 4 s socket timeout). @default false */
  isTcp?: boolean;
  /**
   * When a readout starts with a SND_NKE (the master's {@link LinkResetPolicy}): polling
   * skips it for single-telegram meters whose FCB state the master knows.
   * @default "whenNeeded" ("always" in the legacy profile)
   */
  linkReset?: LinkResetPolicy;
}

/**
 * The master settings of the legacy profile.
 *
 * @param baudRate Line speed.
 * @param isTcp TCP converter.
 * @returns Request timeout, idle pause and retries as libmbus uses them.
 */
export function legacyTiming(
  baudRate: number,
  isTcp: boolean,
): { requestTimeoutMs: number; idleTimeoutMs: number; retry: number } {
  return {
    // libmbus's per-read timer VTIME is the master's probe timeout table: 3 empty reads.
    requestTimeoutMs: isTcp ? 4000 : 3 * probeTimeoutMs(baudRate),
    idleTimeoutMs: 0,
    retry: 3,
  };
}

/** A wired bus as a meter source. */
export class WiredSource implements MeterSource {
  /** Always "wired". */
  readonly kind = "wired" as const;
  readonly #transport: Transport;
  /** What the master talks through: the transport, told to the wire tap. */
  readonly #tapped: TappedTransport;
  readonly #master: Master;
  readonly #legacy: boolean;
  #closed = false;

  /**
   * Creates the source and its master.
   *
   * @param options Transport, clock and master settings.
   */
  constructor(options: WiredSourceOptions) {
    this.#transport = options.transport;
    this.#tapped = new TappedTransport(
      options.transport,
      "master",
      options.clock,
    );
    this.#legacy = options.legacy ?? false;
    const timing = this.#legacy
      ? legacyTiming(options.transport.baudRate, options.isTcp ?? false)
      : {
        requestTimeoutMs: options.requestTimeoutMs ??
          DEFAULT_REQUEST_TIMEOUT_MS,
        idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
        retry: options.retry ?? DEFAULT_RETRY,
      };
    const mo: MasterOptions = {
      transport: this.#tapped,
      clock: options.clock,
      ...timing,
      applyUnitFactor: options.applyUnitFactor ?? true,
      linkReset: this.#legacy ? "always" : options.linkReset ?? "whenNeeded",
      ...(this.#legacy ? { requestSequence: "libmbus" as const } : {}),
      ...(options.interCharTimeoutMs === undefined
        ? {}
        : { interCharTimeoutMs: options.interCharTimeoutMs }),
    };
    this.#master = new Master(mo);
  }

  /**
   * Attaches the wire tap: the master's requests and the answers it reads go to it.
   *
   * @param tap The instance's tap.
   */
  setWireTap(tap: WireTap | undefined): void {
    this.#tapped.setWireTap(tap);
  }

  /** The raw bus (for the TCP bridge). */
  get transport(): Transport {
    return this.#transport;
  }

  /** The master (for tools). */
  get master(): Master {
    return this.#master;
  }

  /**
   * Forgets the master's FCB state of every meter: each next readout starts with a SND_NKE.
   * Call it after another master had the bus (the TCP bridge session), since a meter read
   * by someone else may be one FCB toggle ahead and would repeat its last answer.
   */
  resetFcbState(): void {
    this.#master.resetFcbState();
  }

  /**
   * SND_NKE to the broadcast address: every meter starts its next readout afresh.
   *
   * @param options Cancellation.
   */
  async resetLinks(options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#master.resetAllLinks(options);
  }

  /** Reads a meter (legacy: with libmbus's request sequence). */
  async read(
    meter: string,
    options: SourceReadOptions = {},
  ): Promise<SourceReading> {
    const address = parseMeterAddress(meter);
    const signal = options.signal;
    const r = await this.#master.readMeter(address, {
      ...(options.maxFrames === undefined
        ? {}
        : { maxFrames: options.maxFrames }),
      ...(options.maxRecords === undefined
        ? {}
        : { maxRecords: options.maxRecords }),
      signal,
      ...(options.yieldWhen ? { yieldWhen: options.yieldWhen } : {}),
    });
    return {
      header: r.telegram.header,
      records: r.telegram.records,
      frames: r.frames,
      partial: r.partial,
      readAt: r.readAt,
      ...(r.yielded ? { yielded: true } : {}),
    };
  }

  /** Primary or secondary scan. */
  scan(
    params: ScanParams,
    options: SourceScanOptions = {},
  ): Promise<FoundMeter[]> {
    const common = {
      signal: options.signal,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    };
    if (params.kind === "primary") {
      return this.#master.scanPrimary({
        ...common,
        ...(params.from === undefined ? {} : { from: params.from }),
        ...(params.to === undefined ? {} : { to: params.to }),
      });
    }
    if (params.kind === "secondary") {
      return this.#master.scanSecondary({
        ...common,
        ...(params.mask === undefined ? {} : { mask: params.mask }),
      });
    }
    return Promise.resolve([]);
  }

  /** Sets a primary address (verified by the master). */
  setPrimaryAddress(
    meter: string,
    newAddress: number,
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    return this.#master.setPrimaryAddress(
      parseMeterAddress(meter),
      newAddress,
      options,
    );
  }

  /** Switches a meter's baud rate. */
  setBaudRate(
    meter: string,
    baudRate: number,
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    return this.#master.setBaudRate(
      parseMeterAddress(meter),
      baudRate,
      options,
    );
  }

  /** The connection's health, where the transport tracks it (TCP). */
  link(): LinkStatus | undefined {
    return this.#transport.linkStatus?.();
  }

  /**
   * Listens to changes of the transport's link.
   *
   * @param fn Called after each change.
   * @returns Unsubscribes.
   */
  onLinkChange(fn: LinkListener): () => void {
    return this.#transport.onLinkChange?.(fn) ?? (() => {});
  }

  /** The master's counters. */
  stats(): SourceStats {
    const s = this.#master.stats;
    return {
      requests: s.requests,
      answers: s.answers,
      timeouts: s.timeouts,
      collisions: s.collisions,
      retries: s.retries,
      busyMs: s.busyMs,
    };
  }

  /** Closes the master and the transport. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#master.close();
    await this.#transport.close();
  }
}
