/**
 * A set of virtual wireless meters on one virtual radio channel: they transmit
 * periodically on a {@link Clock} (or on demand), and every listener (a virtual iM871A, an
 * rtl_wmbus line output) hears each telegram.
 *
 * @module
 */
import { type Clock, ConfigError, RealClock } from "../../src/util/mod.ts";
import { WIRELESS_METERS } from "./wireless_fixtures.ts";
import {
  VirtualWirelessMeter,
  type WirelessMeterFixture,
} from "./wireless_meter.ts";

/** One telegram on air. */
export interface WirelessTransmission {
  /** Meter ID (8 upper-case hex digits). */
  meter: string;
  /** CRC-less frame from L on. */
  telegram: Uint8Array;
  /** Link mode. */
  mode: "T1" | "C1" | "S1";
  /** Time of transmission, ms since the epoch (the simulation's clock). */
  at: number;
}

/** Hears every transmission. */
export type WirelessTransmissionListener = (t: WirelessTransmission) => void;

/** Options of {@link createWirelessSimulation}. */
export interface WirelessSimulationOptions {
  /** Fixture names or fixtures. @default every fixture of `fixtures/wmbus/` */
  meters?: readonly (string | WirelessMeterFixture)[];
  /** Clock of the periodic transmissions and time stamps. @default new RealClock() */
  clock?: Clock;
  /** Counters grow with each telegram. @default false */
  liveValues?: boolean;
  /** First transmission of meter i after `(i + 1) × staggerMs`. @default 1000 */
  staggerMs?: number;
}

/** Meters on air. */
export class WirelessSimulation implements AsyncDisposable {
  readonly #meters: VirtualWirelessMeter[];
  readonly #clock: Clock;
  readonly #staggerMs: number;
  readonly #listeners = new Set<WirelessTransmissionListener>();
  #stop: AbortController | null = null;
  #loops: Promise<void>[] = [];
  #transmissions = 0;

  /**
   * Puts meters on air (silent until {@link start} or {@link transmit}).
   *
   * @param meters The meters.
   * @param options Clock and stagger.
   */
  constructor(
    meters: VirtualWirelessMeter[],
    options: { clock?: Clock; staggerMs?: number } = {},
  ) {
    this.#meters = meters;
    this.#clock = options.clock ?? new RealClock();
    this.#staggerMs = options.staggerMs ?? 1000;
  }

  /** The meters. */
  get meters(): readonly VirtualWirelessMeter[] {
    return this.#meters;
  }
  /** The simulation's clock. */
  get clock(): Clock {
    return this.#clock;
  }
  /** Telegrams sent on air so far (repeats counted). */
  get transmissions(): number {
    return this.#transmissions;
  }
  /** True while periodic transmission runs. */
  get isRunning(): boolean {
    return this.#stop !== null;
  }

  /**
   * The `addresses` of a gateway instance that reads these meters (with their keys).
   *
   * @param extra Keys added to every address, e.g. `{ log: "update" }`.
   * @returns One address object per meter, for `parseConfig`.
   */
  addressConfig(
    extra: Record<string, unknown> = {},
  ): Record<string, unknown>[] {
    return this.#meters.map((m) => ({
      name: m.id,
      description: m.description,
      ...(m.key === undefined ? {} : { key: m.key }),
      ...extra,
    }));
  }

  /**
   * Adds a listener.
   *
   * @param listener Called synchronously for each transmission.
   * @returns Removes the listener.
   */
  subscribe(listener: WirelessTransmissionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Makes meters transmit now (each telegram `repeats` times).
   *
   * @param id One meter's ID; all meters when absent.
   * @returns The transmissions.
   * @throws {ConfigError} When no meter has that ID.
   */
  transmit(id?: string): WirelessTransmission[] {
    const meters = id === undefined
      ? this.#meters
      : this.#meters.filter((m) => m.id === id.toUpperCase());
    if (meters.length === 0) {
      throw new ConfigError("meter", `No wireless meter with ID "${id}"`);
    }
    return meters.flatMap((m) => this.#send(m));
  }

  /** Starts periodic transmission (idempotent). */
  start(): void {
    if (this.#stop) return;
    const stop = new AbortController();
    this.#stop = stop;
    this.#loops = this.#meters.map((m, i) =>
      this.#run(m, (i + 1) * this.#staggerMs, stop.signal)
    );
  }

  /** Stops periodic transmission (idempotent). */
  async stop(): Promise<void> {
    const stop = this.#stop;
    if (!stop) return;
    this.#stop = null;
    stop.abort();
    await Promise.all(this.#loops);
    this.#loops = [];
  }

  /** Same as {@link stop}; listeners are kept. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  async #run(
    meter: VirtualWirelessMeter,
    firstMs: number,
    signal: AbortSignal,
  ): Promise<void> {
    let wait = firstMs;
    try {
      for (;;) {
        await this.#clock.sleep(wait, signal);
        this.#send(meter);
        wait = meter.intervalMs;
      }
    } catch {
      // Aborted by stop().
    }
  }

  #send(meter: VirtualWirelessMeter): WirelessTransmission[] {
    const telegram = meter.nextTelegram();
    const out: WirelessTransmission[] = [];
    for (let i = 0; i < meter.repeats; i++) {
      const t: WirelessTransmission = {
        meter: meter.id,
        telegram,
        mode: meter.mode,
        at: this.#clock.now(),
      };
      this.#transmissions++;
      for (const l of this.#listeners) l(t);
      out.push(t);
    }
    return out;
  }
}

/**
 * Builds a wireless simulation from fixtures (not started: call `start()` for periodic
 * transmission, or `transmit()`).
 *
 * @example
 * ```ts
 * import { createWirelessSimulation } from "./mod.ts";
 * const air = createWirelessSimulation({ meters: ["itron_water"] });
 * air.transmit().length; // 1
 * ```
 *
 * @param options Meters, clock, live values, stagger.
 * @returns The simulation.
 * @throws {ConfigError} For an unknown fixture name or a malformed fixture.
 */
export function createWirelessSimulation(
  options: WirelessSimulationOptions = {},
): WirelessSimulation {
  const wanted = options.meters ?? Object.keys(WIRELESS_METERS);
  const meters = wanted.map((w, i) => {
    const fixture = typeof w === "string" ? WIRELESS_METERS[w] : w;
    if (!fixture) {
      throw new ConfigError(
        `meters[${i}]`,
        `Cannot find wireless meter "${w}": known are ${
          Object.keys(WIRELESS_METERS).join(", ")
        }`,
      );
    }
    return new VirtualWirelessMeter(fixture, {
      liveValues: options.liveValues ?? false,
    });
  });
  return new WirelessSimulation(meters, {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.staggerMs === undefined
      ? {}
      : { staggerMs: options.staggerMs }),
  });
}
