/**
 * Virtual receiver dongles (iM871A, AMB8465) where a real one plugs in: in process as a
 * {@link Transport} (deterministic tests on a virtual clock) and behind a pseudo-terminal
 * (a receiver opens the slave path as its serial port, like the USB stick).
 *
 * @module
 */
import {
  ByteQueue,
  openPty,
  type Transport,
  type TransportStats,
} from "../../src/transport/mod.ts";
import { type Clock, RealClock, TransportError } from "../../src/util/mod.ts";
import {
  VirtualAmb8465,
  type VirtualAmb8465Options,
} from "./virtual_amb8465.ts";
import type { VirtualDongle } from "./virtual_dongle.ts";
import { VirtualIm871a, type VirtualIm871aOptions } from "./virtual_im871a.ts";
import type {
  WirelessSimulation,
  WirelessTransmission,
} from "./wireless_simulation.ts";

const EMPTY = new Uint8Array(0);

/** Options of the in-process and pty endpoints: the dongle's identity and a clock. */
export interface DongleEndpointOptions
  extends VirtualIm871aOptions, Omit<VirtualAmb8465Options, "rssi"> {
  /** Clock of read timeouts. @default the simulation's clock (pty: a RealClock) */
  clock?: Clock;
}

/** Which dongle to build. */
export type DongleFormat = VirtualDongle["format"];

/**
 * Builds a virtual dongle.
 *
 * @param format Which dongle.
 * @param options Its identity.
 * @returns The dongle's state machine.
 */
export function createDongle(
  format: DongleFormat,
  options: DongleEndpointOptions,
): VirtualDongle {
  if (format === "im871a") return new VirtualIm871a(options);
  const { rssi: _rssi, ...amber } = options;
  return new VirtualAmb8465(amber);
}

/** A virtual dongle in process: a Transport whose far end is the dongle. */
export class InProcessDongle implements Transport {
  /** Endpoint name, e.g. `sim:im871a`. */
  readonly name: string;
  /** Byte counters. */
  readonly stats: TransportStats = { bytesOut: 0, bytesIn: 0, bytesPurged: 0 };
  readonly #dongle: VirtualDongle;
  readonly #rx: ByteQueue;
  readonly #unsubscribe: () => void;
  #baudRate: number;
  #closed = false;

  /**
   * Plugs a dongle into the air.
   *
   * @param air The simulation to listen to.
   * @param dongle The dongle.
   * @param clock Clock of read timeouts.
   */
  constructor(air: WirelessSimulation, dongle: VirtualDongle, clock: Clock) {
    this.#dongle = dongle;
    this.name = `sim:${dongle.format}`;
    this.#baudRate = dongle.format === "im871a" ? 57600 : 9600;
    this.#rx = new ByteQueue(clock);
    this.#unsubscribe = air.subscribe((t) => this.#hear(t));
  }

  /** The dongle (link mode, counters). */
  get dongle(): VirtualDongle {
    return this.#dongle;
  }
  /** Nominal line speed. */
  get baudRate(): number {
    return this.#baudRate;
  }

  /** Hands host bytes to the dongle; its answers become readable. */
  write(bytes: Uint8Array): Promise<void> {
    this.#check();
    this.stats.bytesOut += bytes.length;
    for (const answer of this.#dongle.receive(bytes)) this.#push(answer);
    return Promise.resolve();
  }

  /** Waits for dongle bytes (empty on timeout). */
  async read(
    maxBytes: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    this.#check();
    if (this.#rx.length === 0) {
      await this.#rx.wait(timeoutMs, signal);
      if (signal?.aborted) throw signal.reason;
      this.#check();
      if (this.#rx.length === 0) return EMPTY;
    }
    return this.#rx.take(maxBytes);
  }

  /** Drops unread bytes. */
  purge(): Promise<number> {
    const n = this.#rx.clear();
    this.stats.bytesPurged += n;
    return Promise.resolve(n);
  }

  /** Records the nominal rate. */
  setBaudRate(baudRate: number): Promise<void> {
    this.#baudRate = baudRate;
    return Promise.resolve();
  }

  /** Stops hearing the air. Idempotent. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#unsubscribe();
      this.#rx.notify();
    }
    return Promise.resolve();
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #hear(t: WirelessTransmission): void {
    if (this.#closed) return;
    const bytes = this.#dongle.indicate(t.telegram, t.mode, t.at);
    if (bytes) this.#push(bytes);
  }

  #push(bytes: Uint8Array): void {
    this.stats.bytesIn += bytes.length;
    this.#rx.push(bytes);
  }

  #check(): void {
    if (this.#closed) {
      throw new TransportError(
        "CLOSED",
        `Cannot use ${this.name}: it is closed`,
      );
    }
  }
}

/**
 * Connects a virtual iM871A in process.
 *
 * @param air The simulation.
 * @param options Dongle identity and clock.
 * @returns The transport (a receiver's `open` callback may return it).
 */
export function connectIm871a(
  air: WirelessSimulation,
  options: DongleEndpointOptions = {},
): InProcessDongle {
  return new InProcessDongle(
    air,
    createDongle("im871a", options),
    options.clock ?? air.clock,
  );
}

/**
 * Connects a virtual AMB8465 in process.
 *
 * @param air The simulation.
 * @param options Module identity and clock.
 * @returns The transport.
 */
export function connectAmb8465(
  air: WirelessSimulation,
  options: DongleEndpointOptions = {},
): InProcessDongle {
  return new InProcessDongle(
    air,
    createDongle("amb8465", options),
    options.clock ?? air.clock,
  );
}

/** A virtual dongle behind a pseudo-terminal. */
export interface DonglePtyEndpoint extends AsyncDisposable {
  /** The path a receiver opens as its serial port, e.g. `/dev/pts/3`. */
  readonly path: string;
  /** The dongle (link mode, counters). */
  readonly dongle: VirtualDongle;
  /** Stops serving and closes the pseudo-terminal. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves a virtual dongle on a pseudo-terminal. Needs `--allow-ffi`.
 *
 * @example
 * ```ts ignore
 * await using pty = startDonglePty(createWirelessSimulation(), "amb8465");
 * const port = await SerialTransport.open(pty.path, { baudRate: 9600, parity: "none" });
 * ```
 *
 * @param air The simulation.
 * @param format Which dongle.
 * @param options Dongle identity; `clock` of the pty's read waits (default a RealClock).
 * @returns The endpoint.
 * @throws {TransportError} When the system refuses a pseudo-terminal.
 */
export function startDonglePty(
  air: WirelessSimulation,
  format: DongleFormat,
  options: DongleEndpointOptions = {},
): DonglePtyEndpoint {
  const pty = openPty({ clock: options.clock ?? new RealClock() });
  const dongle = createDongle(format, options);
  const stop = new AbortController();
  let writing: Promise<void> = Promise.resolve();
  const send = (bytes: Uint8Array) => {
    writing = writing.then(() => pty.write(bytes)).catch(() => {});
  };
  const unsubscribe = air.subscribe((t) => {
    const bytes = dongle.indicate(t.telegram, t.mode, t.at);
    if (bytes && !stop.signal.aborted) send(bytes);
  });
  const serving = (async () => {
    try {
      while (!stop.signal.aborted) {
        const chunk = await pty.read(4096, 1000, stop.signal);
        for (const answer of dongle.receive(chunk)) send(answer);
      }
    } catch {
      // Aborted by close(), or the pseudo-terminal failed.
    }
  })();
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      unsubscribe();
      stop.abort();
      await serving;
      await writing;
      await pty.close();
    })();
    return closing;
  };
  return { path: pty.slavePath, dongle, close, [Symbol.asyncDispose]: close };
}

/**
 * Serves a virtual iM871A on a pseudo-terminal (see {@link startDonglePty}).
 *
 * @param air The simulation.
 * @param options Dongle identity and clock.
 * @returns The endpoint.
 */
export function startIm871aPty(
  air: WirelessSimulation,
  options: DongleEndpointOptions = {},
): DonglePtyEndpoint {
  return startDonglePty(air, "im871a", options);
}
