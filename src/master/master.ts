/**
 * The M-Bus master: one request on the bus at a time, with request timeout, idle pause,
 * retries and FCB handling, and on top of it readouts, scans and commands.
 *
 * @module
 */
import type { Transport } from "../transport/mod.ts";
import type { Clock } from "../util/mod.ts";
import {
  ADDRESS_BROADCAST_NO_REPLY,
  C_SND_NKE,
  shortFrame,
} from "../link/mod.ts";
import { MasterBus } from "./_bus.ts";
import type { MeterAddress } from "./address.ts";
import * as commands from "./commands.ts";
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRY,
} from "./defaults.ts";
import {
  type LinkResetPolicy,
  type MeterReading,
  readMeter,
  type ReadOptions,
} from "./read_meter.ts";
import { readMeterLibmbus } from "./read_libmbus.ts";
import type { MasterStats } from "./request_engine.ts";
import {
  type FoundMeter,
  type PrimaryScanOptions,
  scanPrimary,
  scanSecondary,
  type SecondaryScanOptions,
  type SecondaryScanStats,
} from "./scans.ts";

/** Settings of a {@link Master}. */
export interface MasterOptions {
  /** The bus. The master does not own it: {@link Master.close} leaves it open. */
  transport: Transport;
  /** Time source for every timeout and pause. */
  clock: Clock;
  /** Answer timeout of a request (first byte), ms. @default 5000 */
  requestTimeoutMs?: number;
  /** Pause before each operation (readout, command, scan), ms. @default 1000 */
  idleTimeoutMs?: number;
  /** Repeats of a request after a timeout or a bad frame. @default 0 */
  retry?: number;
  /** Multiply values by their unit factor. @default true */
  applyUnitFactor?: boolean;
  /** Answer timeout of scan probes, ms. @default by baud rate: 300 ms at 2400 Bd */
  scanTimeoutMs?: number;
  /** Gap allowed between two answer bytes, ms. @default max(50, 10 character times) */
  interCharTimeoutMs?: number;
  /**
   * When a readout by primary address starts with a SND_NKE: `"always"` (safe for one-off
   * reads) or `"whenNeeded"` (polling: a single-telegram meter read successfully before is
   * read with REQ_UD2 alone and the toggled FCB). See {@link LinkResetPolicy}.
   * @default "always"
   */
  linkReset?: LinkResetPolicy;
  /**
   * The request sequence of a readout: ours (`"mbusgw"`, see {@link LinkResetPolicy}) or
   * exactly libmbus's multi-telegram read (`"libmbus"`: SND_NKE to 253 twice with purges,
   * a select without retry, REQ_UD2 from C = 7B, 3 resends, a purge after each answer),
   * for the `legacyDriver` profile. `linkReset` and `retry` do not apply to it.
   * @default "mbusgw"
   */
  requestSequence?: "mbusgw" | "libmbus";
}

/**
 * An M-Bus master over a {@link Transport}.
 *
 * @example
 * ```ts ignore
 * const master = new Master({ transport, clock: new RealClock() });
 * const reading = await master.readMeter({ kind: "primary", address: 5 });
 * ```
 */
export class Master {
  readonly #bus: MasterBus;
  readonly #applyUnitFactor: boolean;
  readonly #linkReset: LinkResetPolicy;
  readonly #libmbus: boolean;
  #lastScan: SecondaryScanStats = { probes: 0, silent: 0, collisions: 0 };
  #closed = false;

  /**
   * Creates a master; nothing is sent until the first operation.
   *
   * @param options Transport, clock, timeouts, retries.
   */
  constructor(options: MasterOptions) {
    this.#applyUnitFactor = options.applyUnitFactor ?? true;
    this.#linkReset = options.linkReset ?? "always";
    this.#libmbus = options.requestSequence === "libmbus";
    this.#bus = new MasterBus({
      transport: options.transport,
      clock: options.clock,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      retry: options.retry ?? DEFAULT_RETRY,
      scanTimeoutMs: options.scanTimeoutMs,
      interCharTimeoutMs: options.interCharTimeoutMs,
    });
  }

  /** Requests, answers, timeouts, collisions, bad frames, retries and busy time. */
  get stats(): MasterStats {
    return { ...this.#bus.engine.stats };
  }

  /** Probe counts of the last secondary scan. */
  get lastScanStats(): SecondaryScanStats {
    return { ...this.#lastScan };
  }

  /**
   * Reads a meter, following multi-telegram answers.
   *
   * @param address Primary or secondary address.
   * @param options `maxFrames` (default 16), `maxRecords`, `signal`, `linkReset`.
   * @returns The merged reading; `partial` when the meter stopped mid-sequence.
   * @throws {NoResponseError} When the meter does not answer.
   * @throws {CollisionError} When several meters answer.
   */
  readMeter(
    address: MeterAddress,
    options: ReadOptions = {},
  ): Promise<MeterReading> {
    const read = this.#libmbus ? readMeterLibmbus : readMeter;
    return this.#bus.operation(() =>
      read(this.#bus, address, {
        linkReset: this.#linkReset,
        ...options,
        applyUnitFactor: this.#applyUnitFactor,
      })
    );
  }

  /**
   * Forgets what the master knows of every meter's FCB state, so that each next readout
   * starts with a SND_NKE. Call it when another master may have talked to the meters, e.g.
   * after a TCP bridge session (a meter read by someone else may be one FCB toggle ahead
   * and would repeat its last answer).
   */
  resetFcbState(): void {
    this.#bus.forgetFcbState();
  }

  /**
   * Runs an operation other than a readout. Scans and commands send REQ_UD2s, resets and
   * selections that move meters' FCB state without tracking it: forget it before and after.
   */
  #untracked<T>(fn: () => Promise<T>): Promise<T> {
    return this.#bus.operation(async () => {
      this.#bus.forgetFcbState();
      try {
        return await fn();
      } finally {
        this.#bus.forgetFcbState();
      }
    });
  }

  /**
   * Scans primary addresses (default 0–250).
   *
   * @param options Range, progress, cancellation, collision resolution.
   * @returns Meters in address order; two meters sharing an address both carry `collision`.
   */
  scanPrimary(options: PrimaryScanOptions = {}): Promise<FoundMeter[]> {
    return this.#untracked(() => scanPrimary(this.#bus, options));
  }

  /**
   * Secondary tree scan from a mask (default all wildcards).
   *
   * @param options Mask, progress, cancellation.
   * @returns Meters found; masks that still collide come back with `collision: true`.
   */
  scanSecondary(options: SecondaryScanOptions = {}): Promise<FoundMeter[]> {
    return this.#untracked(async () => {
      const { meters, stats } = await scanSecondary(this.#bus, options);
      this.#lastScan = stats;
      return meters;
    });
  }

  /**
   * Sets a meter's primary address and verifies it by reading at the new address.
   *
   * @param address The meter.
   * @param newAddress 0–250.
   * @param options Cancellation.
   */
  setPrimaryAddress(
    address: MeterAddress,
    newAddress: number,
    options: commands.CommandOptions = {},
  ): Promise<void> {
    return this.#untracked(() =>
      commands.setPrimaryAddress(this.#bus, address, newAddress, options)
    );
  }

  /**
   * Switches a meter's baud rate and the master's with it.
   *
   * @param address The meter.
   * @param baudRate One of the M-Bus rates.
   * @param options Cancellation.
   */
  setBaudRate(
    address: MeterAddress,
    baudRate: number,
    options: commands.CommandOptions = {},
  ): Promise<void> {
    return this.#untracked(() =>
      commands.setBaudRate(this.#bus, address, baudRate, options)
    );
  }

  /**
   * SND_NKE (primary) or a selection (secondary).
   *
   * @param address The meter.
   * @param options Cancellation.
   * @returns True when the meter acknowledged.
   */
  ping(
    address: MeterAddress,
    options: commands.CommandOptions = {},
  ): Promise<boolean> {
    return this.#untracked(() => commands.ping(this.#bus, address, options));
  }

  /**
   * Application reset (CI 50).
   *
   * @param address The meter.
   * @param options Cancellation and an optional subcode.
   */
  applicationReset(
    address: MeterAddress,
    options: commands.CommandOptions & { subcode?: number } = {},
  ): Promise<void> {
    return this.#untracked(() =>
      commands.applicationReset(this.#bus, address, options)
    );
  }

  /**
   * SND_NKE to the broadcast address 255: every meter clears its FCB state (none answers),
   * so the next master's first REQ_UD2 (FCB = 1) gets a fresh first telegram. The TCP
   * bridge sends it before a client gets the bus and when the gateway takes it back.
   *
   * @param options Cancellation.
   */
  resetAllLinks(options: commands.CommandOptions = {}): Promise<void> {
    return this.#untracked(async () => {
      await this.#bus.send(shortFrame(C_SND_NKE, ADDRESS_BROADCAST_NO_REPLY), {
        expectAnswer: false,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    });
  }

  /** Waits for the running operation; the transport stays open (its owner closes it). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#bus.operation(() => Promise.resolve());
  }
}
