/**
 * The wireless {@link MeterSource}: a receiver dongle (iM871A, AMB8465) or a text
 * receiver (rtl_wmbus lines, hex lines) on a `Transport`, listened to continuously. Each
 * meter's last telegram is decoded with its configured `key` and `driver` (`auto` by
 * default) and kept; `read(id)` returns it (records are the driver's fields, see
 * `wireless/driver_records.ts`), or throws the meter's error (`NO_KEY`, `WRONG_KEY`, a
 * driver's code) or `NO_RESPONSE` when it has not been heard yet. A wireless scan listens
 * for `durationMs` on the clock and lists every meter heard, with its detected driver.
 *
 * @module
 */
import type { Transport } from "../../transport/mod.ts";
import {
  type Clock,
  forwardDecodeCode,
  isAbortError,
  MbusError,
} from "../../util/mod.ts";
import {
  type LinkMode,
  type ReceivedTelegram,
  type ReceiverEvent,
  type ReceiverFormat,
  WmbusReceiver,
} from "../../wmbus/mod.ts";
import type { AddressConfig } from "../config/mod.ts";
import type {
  FoundMeter,
  MeterSource,
  ScanParams,
  SourceReading,
  SourceReadOptions,
  SourceScanOptions,
  SourceStats,
  WireTap,
} from "../source/mod.ts";
import {
  type AcceptOutcome,
  type HeardMeter,
  type WirelessCounters,
  WirelessMeterTable,
} from "./meter_table.ts";
import { foundMeter, listenFor } from "./wireless_scan.ts";

export type { FoundWirelessMeter } from "./wireless_scan.ts";
export type {
  AcceptOutcome,
  HeardMeter,
  WirelessCounters,
  WirelessMeterError,
} from "./meter_table.ts";

/** Options of {@link WirelessSource}. */
export interface WirelessSourceOptions {
  /** Opens (and, after a loss, reopens) the receiver's device. */
  open: () => Promise<Transport>;
  /** The receiver protocol. */
  format: ReceiverFormat;
  /** Time source (time stamps, duplicate window, scans, reopen back-off). */
  clock: Clock;
  /** Configured meters: `name` (ID), `key`, `driver`. @default [] */
  addresses?: readonly AddressConfig[];
  /** Link mode asked of dongles. @default "C1T1" */
  mode?: LinkMode;
  /** Duplicate window, ms; 0 keeps repeats. @default 10000 */
  dedupWindowMs?: number;
  /** Longest wait of one receiver read, ms. @default 1000 */
  readTimeoutMs?: number;
  /** First reopen back-off, ms. @default 1000 */
  initialBackoffMs?: number;
  /** Called on receiver events (opened, lost, open failed). @default none */
  onReceiverEvent?: (event: ReceiverEvent) => void;
}

/** Hears each telegram after the source took it in. */
export type TelegramListener = (
  outcome: AcceptOutcome,
  telegram: ReceivedTelegram,
) => void;

/** Counters of a wireless source beyond {@link SourceStats}. */
export interface WirelessStats extends WirelessCounters {
  /** Meters heard (configured or not). */
  meters: number;
  /** Times the device was opened. */
  opens: number;
  /** Bytes the receiver codec dropped while resynchronising. */
  droppedBytes: number;
  /** Last receiver event, e.g. `lost: …`, or null. */
  receiver: string | null;
}

/** A wireless receiver as a meter source. Listening starts on construction. */
export class WirelessSource implements MeterSource {
  /** Always "wireless". */
  readonly kind = "wireless" as const;
  readonly #o: WirelessSourceOptions;
  readonly #table: WirelessMeterTable;
  readonly #receiver: WmbusReceiver;
  readonly #listening: Promise<void>;
  readonly #listeners = new Set<TelegramListener>();
  readonly #reads = { requests: 0, answers: 0, timeouts: 0 };
  #receiverNote: string | null = null;
  #closed = false;
  #wire: WireTap | undefined;

  /**
   * Creates the source and starts listening.
   *
   * @param options Device, protocol, clock, configured meters.
   */
  constructor(options: WirelessSourceOptions) {
    this.#o = options;
    this.#table = new WirelessMeterTable({
      clock: options.clock,
      ...(options.addresses ? { addresses: options.addresses } : {}),
      ...(options.dedupWindowMs === undefined
        ? {}
        : { dedupWindowMs: options.dedupWindowMs }),
    });
    this.#receiver = new WmbusReceiver(options.open, {
      format: options.format,
      mode: options.mode ?? "C1T1",
      clock: options.clock,
      readTimeoutMs: options.readTimeoutMs ?? 1000,
      initialBackoffMs: options.initialBackoffMs ?? 1000,
      onEvent: (e) => this.#onReceiverEvent(e),
    });
    this.#listening = this.#listen();
  }

  /**
   * Adds a listener for every telegram taken in (logging, tools, tests).
   *
   * @param listener Called synchronously with the outcome and the telegram.
   * @returns Removes the listener.
   */
  subscribe(listener: TelegramListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Replaces the configured meters while listening: a changed `key` or `driver` applies
   * from the meter's next telegram (no restart).
   *
   * @param addresses The instance's meters (`name` = ID).
   */
  setAddresses(addresses: readonly AddressConfig[]): void {
    this.#table.setAddresses(addresses);
  }

  /** Every meter heard (configured or not), in order of first reception. */
  heard(): HeardMeter[] {
    return this.#table.heard();
  }

  /** Receiver and decoding counters. */
  wirelessStats(): WirelessStats {
    return {
      ...this.#table.counters,
      meters: this.#table.heard().length,
      opens: this.#receiver.opens,
      droppedBytes: this.#receiver.droppedBytes,
      receiver: this.#receiverNote,
    };
  }

  /**
   * The last reading of a meter.
   *
   * @param meter Meter ID (8 hex digits).
   * @param options `maxRecords`, `signal`.
   * @returns The reading of its last telegram.
   * @throws {MbusError} `NO_RESPONSE` when not heard yet; the meter's error (`NO_KEY`,
   *   `WRONG_KEY`, driver codes) when its last telegram failed.
   */
  read(
    meter: string,
    options: SourceReadOptions = {},
  ): Promise<SourceReading> {
    this.#reads.requests++;
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    const state = this.#table.get(meter);
    const error = state?.heard.error;
    if (error) {
      return Promise.reject(
        new MbusError(forwardDecodeCode(error.code), error.message),
      );
    }
    if (!state?.reading) {
      this.#reads.timeouts++;
      const note = this.#receiverNote
        ? ` (receiver ${this.#receiverNote})`
        : "";
      return Promise.reject(
        new MbusError(
          "NO_RESPONSE",
          `Meter ${meter.toUpperCase()} has not been heard yet${note}`,
        ),
      );
    }
    this.#reads.answers++;
    const r = state.reading;
    const max = options.maxRecords ?? r.records.length;
    return Promise.resolve({ ...r, records: r.records.slice(0, max) });
  }

  /**
   * Listens for `durationMs` (on the clock) and lists the meters heard meanwhile.
   *
   * @param params `{ kind: "wireless", durationMs }`.
   * @param options Cancellation and progress (about once a second).
   * @returns One {@link FoundWirelessMeter} per meter, in order of first reception.
   * @throws {MbusError} `UNSUPPORTED` for primary or secondary scans.
   */
  async scan(
    params: ScanParams,
    options: SourceScanOptions = {},
  ): Promise<FoundMeter[]> {
    if (params.kind !== "wireless") {
      throw new MbusError(
        "UNSUPPORTED",
        `Cannot run a ${params.kind} scan on a wireless receiver`,
      );
    }
    const seen = new Map<string, number>();
    const onOutcome = (o: AcceptOutcome) => {
      if (o.kind === "undecodable" || o.kind === "duplicate") return;
      seen.set(o.meter, (seen.get(o.meter) ?? 0) + 1);
    };
    const unsubscribe = this.subscribe(onOutcome);
    try {
      await listenFor(this.#o.clock, params.durationMs, seen, options);
    } finally {
      unsubscribe();
    }
    return [...seen].flatMap(([id, telegrams]) => {
      const h = this.#table.get(id)?.heard;
      return h ? [foundMeter(h, telegrams)] : [];
    });
  }

  /** Wireless meters have no primary address. */
  setPrimaryAddress(
    meter: string,
    _newAddress: number,
    _options?: { signal?: AbortSignal },
  ): Promise<void> {
    return Promise.reject(
      new MbusError(
        "UNSUPPORTED",
        `Cannot set the primary address of wireless meter ${meter}`,
      ),
    );
  }

  /** Wireless meters have no baud rate. */
  setBaudRate(
    meter: string,
    _baudRate: number,
    _options?: { signal?: AbortSignal },
  ): Promise<void> {
    return Promise.reject(
      new MbusError(
        "UNSUPPORTED",
        `Cannot set the baud rate of wireless meter ${meter}`,
      ),
    );
  }

  /**
   * Counters as the gateway shows them: `requests` are reads, `answers` reads served
   * from a telegram, `timeouts` reads of meters not heard yet, `collisions` telegrams
   * that could not be parsed.
   */
  stats(): SourceStats {
    return {
      requests: this.#reads.requests,
      answers: this.#reads.answers,
      timeouts: this.#reads.timeouts,
      collisions: this.#table.counters.undecodable,
      retries: 0,
      busyMs: 0,
    };
  }

  /**
   * Attaches the wire tap: every telegram heard goes to it, with what became of it.
   *
   * @param tap The instance's tap.
   */
  setWireTap(tap: WireTap | undefined): void {
    this.#wire = tap;
  }

  /** Stops listening and closes the device. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#receiver.close();
    await this.#listening;
  }

  async #listen(): Promise<void> {
    try {
      for await (const t of this.#receiver) {
        const outcome = this.#table.accept(t);
        if (this.#wire?.listening) this.#tapTelegram(this.#wire, outcome, t);
        for (const listener of this.#listeners) listener(outcome, t);
      }
    } catch (e) {
      if (!isAbortError(e)) {
        this.#receiverNote = `stopped: ${
          e instanceof Error ? e.message : String(e)
        }`;
      }
    }
  }

  #tapTelegram(
    wire: WireTap,
    outcome: AcceptOutcome,
    t: ReceivedTelegram,
  ): void {
    const meter = "meter" in outcome ? outcome.meter : undefined;
    const heard = meter === undefined
      ? undefined
      : this.#table.heard().find((h) => h.id === meter);
    wire.telegram({
      bytes: t.telegram,
      receivedAt: t.receivedAt,
      rssi: t.rssi,
      mode: t.mode,
      outcome: outcome.kind,
      outcomeCode: "error" in outcome ? outcome.error.code : undefined,
      driver: heard?.driver,
    });
  }

  #onReceiverEvent(e: ReceiverEvent): void {
    if (e.type === "opened") this.#receiverNote = null;
    else {
      const why = e.error instanceof Error ? e.error.message : String(e.error);
      this.#receiverNote = `${
        e.type === "lost" ? "lost" : "cannot open"
      }: ${why}`;
    }
    this.#o.onReceiverEvent?.(e);
  }
}
