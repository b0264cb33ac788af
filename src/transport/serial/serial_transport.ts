/**
 * A serial port (USB level converter) as a {@link Transport}: raw 8E1 through termios, reads
 * with timeouts through poll, an exclusive flock, clear errors, and a reopen with back-off
 * after the device went away (a USB adapter unplugged and plugged in again).
 *
 * @module
 */
import { type Clock, RealClock, TransportError } from "../../util/mod.ts";
import { Backoff, type BackoffOptions } from "../backoff.ts";
import {
  DEFAULT_BAUD_RATE,
  type Transport,
  type TransportStats,
} from "../transport.ts";
import { FdChannel } from "./fd_channel.ts";
import { libc } from "./libc_ffi.ts";
import { checkBaud, openPort } from "./open_port.ts";
import {
  applyAttr,
  getAttr,
  type Parity,
  setSpeed,
  TCIOFLUSH,
} from "./termios.ts";

/** Options of {@link SerialTransport.open}. */
export interface SerialOptions {
  /** Line speed. @default DEFAULT_BAUD_RATE (2400) */
  baudRate?: number;
  /** Clock for read timeouts and the reopen back-off. @default new RealClock() */
  clock?: Clock;
  /**
   * Parity: `even` for M-Bus (8E1), `none` for wireless receiver dongles (8N1).
   * @default "even"
   */
  parity?: Parity;
  /** Back-off between reopen attempts after a hang-up. @default { initialMs: 250, maxMs: 30000 } */
  backoff?: BackoffOptions;
}

/** A serial port driven through libc. */
export class SerialTransport implements Transport {
  readonly name: string;
  #path: string;
  #clock: Clock;
  #parityWanted: Parity;
  #channel: FdChannel | undefined;
  #closed = false;
  #baudRate: number;
  #evenParity = false;
  #backoff: Backoff;
  #lastOpenError: TransportError | undefined;
  #reopens = 0;
  #stats: TransportStats = { bytesOut: 0, bytesIn: 0, bytesPurged: 0 };

  private constructor(path: string, options: SerialOptions) {
    this.#path = path;
    this.name = `serial:${path}`;
    this.#clock = options.clock ?? new RealClock();
    this.#parityWanted = options.parity ?? "even";
    this.#baudRate = options.baudRate ?? DEFAULT_BAUD_RATE;
    this.#backoff = new Backoff(options.backoff);
  }

  /**
   * Opens and locks a port and sets it raw: 8E1 for M-Bus (default), or 8N1 with
   * `parity: "none"` for wireless receiver dongles. Needs `--allow-ffi`.
   *
   * @example
   * ```ts ignore
   * await using port = await SerialTransport.open("/dev/ttyUSB0", { baudRate: 2400 });
   * ```
   *
   * @param path Device path, e.g. `/dev/ttyUSB0`.
   * @param options Baud rate, clock, parity, reopen back-off.
   * @returns The open transport.
   * @throws {TransportError} `PORT_NOT_FOUND`, `PERMISSION_DENIED`, `PORT_BUSY`,
   *   `NOT_A_TTY` or `IO`.
   * @throws {RangeError} The baud rate is not an EN 13757-2 rate, 57600 or 115200.
   */
  static open(
    path: string,
    options: SerialOptions = {},
  ): Promise<SerialTransport> {
    try {
      checkBaud(options.baudRate ?? DEFAULT_BAUD_RATE);
      const t = new SerialTransport(path, options);
      t.#attach();
      return Promise.resolve(t);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  #attach(): FdChannel {
    const opened = openPort(this.#path, this.#baudRate, this.#parityWanted);
    const channel = new FdChannel(opened.fd, {
      clock: this.#clock,
      label: `serial port "${this.#path}"`,
      onHangup: "error",
    });
    this.#evenParity = opened.evenParity;
    this.#channel = channel;
    return channel;
  }

  /** The open channel; after a hang-up, reopens the device (within the back-off). */
  #use(): FdChannel {
    if (this.#closed) {
      throw new TransportError(
        "CLOSED",
        `Cannot use serial port "${this.#path}": it is closed`,
      );
    }
    if (this.#channel !== undefined) return this.#channel;
    const wait = this.#backoff.remaining(this.#clock.now());
    const last = this.#lastOpenError;
    if (wait > 0 && last !== undefined) {
      throw new TransportError(
        last.code,
        `${last.message} (retrying in ${Math.ceil(wait)} ms)`,
      );
    }
    try {
      const channel = this.#attach();
      this.#backoff.succeed();
      this.#lastOpenError = undefined;
      this.#reopens++;
      return channel;
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      this.#lastOpenError = e;
      const delay = this.#backoff.fail(this.#clock.now());
      throw new TransportError(
        e.code,
        `${e.message} (next attempt in ${delay} ms)`,
        { cause: e },
      );
    }
  }

  /** After an I/O failure the fd is dropped; the next use reopens the device. */
  async #failed(channel: FdChannel, e: unknown): Promise<never> {
    if (
      e instanceof TransportError && e.code === "IO" &&
      this.#channel === channel
    ) {
      this.#channel = undefined;
      await channel.close();
    }
    throw e;
  }

  /**
   * True when the device runs with even parity; false with `parity: "none"`, on a
   * pseudo-terminal (which has no parity and no real speed) or an adapter without parity.
   */
  get evenParity(): boolean {
    return this.#evenParity;
  }

  /** Times the device was reopened after a hang-up. */
  get reopens(): number {
    return this.#reopens;
  }

  /** Current line speed. */
  get baudRate(): number {
    return this.#baudRate;
  }

  /** Counters (a live object). */
  get stats(): TransportStats {
    return this.#stats;
  }

  /**
   * Sends bytes.
   *
   * @param bytes The bytes.
   * @param signal Cancels the write.
   * @throws {TransportError} `CLOSED`, `IO` (the device went away), or the open errors
   *   of a reopen.
   */
  async write(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    const channel = this.#use();
    try {
      await channel.write(bytes, signal);
    } catch (e) {
      await this.#failed(channel, e);
    }
    this.#stats.bytesOut += bytes.length;
  }

  /**
   * Waits up to `timeoutMs` for bytes.
   *
   * @param maxBytes At most this many bytes.
   * @param timeoutMs Longest wait for the first byte.
   * @param signal Cancels the wait.
   * @returns The bytes, empty on timeout.
   * @throws {TransportError} As {@link write}.
   */
  async read(
    maxBytes: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    const channel = this.#use();
    let got: Uint8Array;
    try {
      got = await channel.read(maxBytes, timeoutMs, signal);
    } catch (e) {
      if (this.#closed && !signal?.aborted) {
        throw new TransportError(
          "CLOSED",
          `Cannot use serial port "${this.#path}": it is closed`,
        );
      }
      return await this.#failed(channel, e);
    }
    this.#stats.bytesIn += got.length;
    return got;
  }

  /** Drops received bytes and flushes both queues. @returns Bytes dropped. */
  purge(): Promise<number> {
    try {
      if (this.#closed) this.#use();
      const channel = this.#channel;
      if (channel === undefined) return Promise.resolve(0);
      const n = channel.drain();
      libc().tcflush(channel.fd, TCIOFLUSH);
      this.#stats.bytesIn += n;
      this.#stats.bytesPurged += n;
      return Promise.resolve(n);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Switches the line speed (kept across a reopen).
   *
   * @param baudRate An EN 13757-2 rate, 57600 or 115200.
   * @throws {RangeError} Another rate.
   */
  setBaudRate(baudRate: number): Promise<void> {
    try {
      checkBaud(baudRate);
      if (this.#closed) this.#use();
      const channel = this.#channel;
      if (channel !== undefined) {
        const t = getAttr(channel.fd);
        let e = typeof t === "number" ? t : setSpeed(t, baudRate);
        if (e === 0 && typeof t !== "number") {
          e = applyAttr(channel.fd, t).errno;
        }
        if (e !== 0) {
          throw new TransportError(
            "IO",
            `Cannot set baud rate ${baudRate} on serial port "${this.#path}": errno ${e}`,
          );
        }
      }
      this.#baudRate = baudRate;
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Closes the port (the lock goes with the fd). Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const channel = this.#channel;
    this.#channel = undefined;
    await channel?.close();
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
