/**
 * One read of one meter, end to end: take the bus from the arbiter, read through the
 * source, update the address tree, emit events, select history rows; a failure marks the
 * meter's node and publishes `readFailed`.
 *
 * @module
 */
import { type Clock, isAbortError, MbusError } from "../../util/mod.ts";
import type { AddressTree } from "../tree/mod.ts";
import type {
  BusArbiter,
  BusOwner,
  MeterSource,
  SourceReading,
} from "../source/mod.ts";
import { ADDRESS_DEFAULTS, type AddressConfig } from "../config/mod.ts";
import { type Emitter, LogPolicy } from "./emitter.ts";
import type { EventHub } from "../events/mod.ts";
import type { History } from "../history/mod.ts";

/** Options of {@link MeterPublisher}. */
export interface MeterPublisherOptions {
  /** Instance name. */
  instance: string;
  /** The bus. */
  source: MeterSource;
  /** The instance's arbiter. */
  arbiter: BusArbiter;
  /** The instance's tree. */
  tree: AddressTree;
  /** The instance's emitter. */
  emitter: Emitter;
  /** Where `readFailed` goes. */
  hub: EventHub;
  /** Time source. */
  clock: Clock;
  /** History store. */
  history?: History | undefined;
  /** Configured meters by canonical name. */
  addresses: ReadonlyMap<string, AddressConfig>;
}

/** Counters of a {@link MeterPublisher}. */
export interface PublisherCounts {
  /** Reads that succeeded. */
  reads: number;
  /** Reads that failed. */
  readFailures: number;
  /** History rows selected for writing. */
  historyRows: number;
  /** Multi-telegram reads stopped between telegrams because someone waited for the bus. */
  yielded: number;
}

/** Reads meters and publishes what they answer. */
export class MeterPublisher {
  readonly #o: MeterPublisherOptions;
  readonly #logPolicy = new LogPolicy();
  readonly #counts: PublisherCounts = {
    reads: 0,
    readFailures: 0,
    historyRows: 0,
    yielded: 0,
  };

  /**
   * Creates a publisher over an instance's parts.
   *
   * @param options The instance's parts.
   */
  constructor(options: MeterPublisherOptions) {
    this.#o = options;
  }

  /** Counters (a copy). */
  get counts(): PublisherCounts {
    return { ...this.#counts };
  }

  /**
   * Reads a meter through the arbiter and publishes the result.
   *
   * @param meter Canonical meter name.
   * @param owner Who asks (polls queue behind reads and commands).
   * @param options `signal` cancels; `rethrow` makes read failures reject (after publishing them).
   */
  async readAndPublish(
    meter: string,
    owner: BusOwner,
    options: { signal?: AbortSignal | undefined; rethrow?: boolean } = {},
  ): Promise<void> {
    const { signal } = options;
    const cfg = this.#o.addresses.get(meter);
    let reading: SourceReading;
    try {
      using _lease = await this.#o.arbiter.acquire(
        owner,
        signal ? { signal } : {},
      );
      reading = await this.#o.source.read(meter, {
        maxFrames: cfg?.maxFrames ?? ADDRESS_DEFAULTS.maxFrames,
        maxRecords: cfg?.maxRecords ?? ADDRESS_DEFAULTS.maxRecords,
        ...(signal ? { signal } : {}),
        // Polling gives way between telegrams when the bus is wanted (a bridge client).
        ...(owner.kind === "poll"
          ? { yieldWhen: () => this.#o.arbiter.isPaused }
          : {}),
      });
    } catch (e) {
      if (isAbortError(e) || signal?.aborted) throw e;
      this.#fail(meter, e);
      if (options.rethrow) throw e;
      return;
    }
    if (reading.yielded) {
      // Not a failure and not a reading: the meter is read whole in a later cycle.
      this.#counts.yielded++;
      return;
    }
    this.#counts.reads++;
    const updates = this.#o.tree.apply(meter, reading);
    this.#o.emitter.onUpdates(updates);
    const history = this.#o.history;
    if (history && cfg) {
      const rows = this.#logPolicy.select(updates, cfg.log, reading.readAt);
      history.append(rows);
      this.#counts.historyRows += rows.length;
    }
  }

  #fail(meter: string, e: unknown): void {
    this.#counts.readFailures++;
    const error = {
      code: e instanceof MbusError ? e.code : "INTERNAL",
      message: e instanceof Error ? e.message : String(e),
    };
    const at = this.#o.clock.now();
    this.#o.tree.fail(meter, error, at);
    this.#o.hub.publish({
      type: "readFailed",
      instance: this.#o.instance,
      meter,
      path: this.#o.tree.meterPath(meter),
      error,
      timestamp: new Date(at).toISOString(),
    });
  }
}
