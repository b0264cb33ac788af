/**
 * A serial port (USB level converter) as a {@link Transport}: raw 8E1 through termios, reads
 * with timeouts through poll, an exclusive flock, clear errors.
 *
 * @module
 */
import { type Clock, RealClock, TransportError } from "../../util/mod.ts";
import type { Transport, TransportStats } from "../transport.ts";
import { FdChannel } from "./fd_channel.ts";
import {
  cString,
  Errno,
  errno,
  libc,
  LOCK_EX,
  LOCK_NB,
  O_CLOEXEC,
  O_NOCTTY,
  O_NONBLOCK,
  O_RDWR,
} from "./libc_ffi.ts";
import {
  applyAttr,
  getAttr,
  makeRaw,
  type Parity,
  setSpeed,
  SPEED_CODES,
  TCIOFLUSH,
} from "./termios.ts";

/** Options of {@link SerialTransport.open}. */
export interface SerialOptions {
  /** Line speed. @default 2400 */
  baudRate?: number;
  /** Clock for read timeouts. @default new RealClock() */
  clock?: Clock;
  /**
   * Parity: `even` for M-Bus (8E1), `none` for wireless receiver dongles (8N1).
   * @default "even"
   */
  parity?: Parity;
}

/**
 * Maps an errno from opening a port to a {@link TransportError}.
 *
 * @param path The port path.
 * @param e The errno.
 * @returns `PORT_NOT_FOUND`, `PERMISSION_DENIED`, `PORT_BUSY`, `NOT_A_TTY` or `IO`.
 */
export function openError(path: string, e: number): TransportError {
  const what = `Cannot open serial port "${path}"`;
  switch (e) {
    case Errno.ENOENT:
    case Errno.ENOTDIR:
      return new TransportError("PORT_NOT_FOUND", `${what}: no such file`);
    case Errno.ENXIO:
    case Errno.ENODEV:
      return new TransportError("PORT_NOT_FOUND", `${what}: no such device`);
    case Errno.EACCES:
    case Errno.EPERM:
      return new TransportError(
        "PERMISSION_DENIED",
        `${what}: permission denied`,
      );
    case Errno.EBUSY:
    case Errno.EAGAIN:
      return new TransportError("PORT_BUSY", `${what}: device is busy`);
    case Errno.EISDIR:
      return new TransportError("NOT_A_TTY", `${what}: is a directory`);
    case Errno.ENOTTY:
    case Errno.EINVAL:
      return new TransportError("NOT_A_TTY", `${what}: not a terminal`);
    default:
      return new TransportError("IO", `${what}: errno ${e}`);
  }
}

function checkBaud(baudRate: number): void {
  if (!SPEED_CODES.has(baudRate)) {
    throw new RangeError(
      `Cannot set baud rate ${baudRate}: expected one of ${
        [...SPEED_CODES.keys()].join(", ")
      }`,
    );
  }
}

/** A serial port driven through libc. */
export class SerialTransport implements Transport {
  readonly name: string;
  #path: string;
  #channel: FdChannel;
  #baudRate: number;
  #parity: boolean;
  #stats: TransportStats = { bytesOut: 0, bytesIn: 0, bytesPurged: 0 };

  private constructor(
    path: string,
    channel: FdChannel,
    baudRate: number,
    parity: boolean,
  ) {
    this.#parity = parity;
    this.#path = path;
    this.name = `serial:${path}`;
    this.#channel = channel;
    this.#baudRate = baudRate;
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
   * @param options Baud rate and clock.
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
      return Promise.resolve(SerialTransport.#openSync(path, options));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  static #openSync(path: string, options: SerialOptions): SerialTransport {
    const baudRate = options.baudRate ?? 2400;
    checkBaud(baudRate);
    const c = libc();
    const fd = c.open(
      cString(path),
      O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC,
      0,
    );
    if (fd < 0) throw openError(path, errno());
    try {
      if (c.flock(fd, LOCK_EX | LOCK_NB) !== 0) {
        const e = errno();
        throw e === Errno.EAGAIN
          ? new TransportError(
            "PORT_BUSY",
            `Cannot open serial port "${path}": device is busy (locked by another process)`,
          )
          : openError(path, e);
      }
      const t = getAttr(fd);
      if (typeof t === "number") throw openError(path, t);
      const e = makeRaw(t, baudRate, options.parity ?? "even");
      if (e !== 0) throw openError(path, e);
      const applied = applyAttr(fd, t);
      if (applied.errno !== 0) throw openError(path, applied.errno);
      c.tcflush(fd, TCIOFLUSH);
      const channel = new FdChannel(fd, {
        clock: options.clock ?? new RealClock(),
        label: `serial port "${path}"`,
        onHangup: "error",
      });
      return new SerialTransport(path, channel, baudRate, applied.parity);
    } catch (err) {
      c.close(fd);
      throw err;
    }
  }

  /**
   * True when the device runs with even parity; false with `parity: "none"`, on a
   * pseudo-terminal (which has no parity and no real speed) or an adapter without parity.
   */
  get evenParity(): boolean {
    return this.#parity;
  }

  /** Current line speed. */
  get baudRate(): number {
    return this.#baudRate;
  }

  /** Counters (a live object). */
  get stats(): TransportStats {
    return this.#stats;
  }

  /** Sends bytes. @param bytes The bytes. @param signal Cancels the write. */
  async write(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    await this.#channel.write(bytes, signal);
    this.#stats.bytesOut += bytes.length;
  }

  /**
   * Waits up to `timeoutMs` for bytes.
   *
   * @param maxBytes At most this many bytes.
   * @param timeoutMs Longest wait for the first byte.
   * @param signal Cancels the wait.
   * @returns The bytes, empty on timeout.
   */
  async read(
    maxBytes: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    const got = await this.#channel.read(maxBytes, timeoutMs, signal);
    this.#stats.bytesIn += got.length;
    return got;
  }

  /** Drops received bytes and flushes both queues. @returns Bytes dropped. */
  purge(): Promise<number> {
    try {
      const n = this.#channel.drain();
      libc().tcflush(this.#channel.fd, TCIOFLUSH);
      this.#stats.bytesIn += n;
      this.#stats.bytesPurged += n;
      return Promise.resolve(n);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Switches the line speed.
   *
   * @param baudRate An EN 13757-2 rate, 57600 or 115200.
   * @throws {RangeError} Another rate.
   */
  setBaudRate(baudRate: number): Promise<void> {
    try {
      checkBaud(baudRate);
      if (this.#channel.closed) {
        throw new TransportError(
          "CLOSED",
          `Cannot use serial port "${this.#path}": it is closed`,
        );
      }
      const t = getAttr(this.#channel.fd);
      let e = typeof t === "number" ? t : setSpeed(t, baudRate);
      if (e === 0 && typeof t !== "number") {
        e = applyAttr(this.#channel.fd, t).errno;
      }
      if (e !== 0) {
        throw new TransportError(
          "IO",
          `Cannot set baud rate ${baudRate} on serial port "${this.#path}": errno ${e}`,
        );
      }
      this.#baudRate = baudRate;
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Closes the port (the lock goes with the fd). Idempotent. */
  close(): Promise<void> {
    return this.#channel.close();
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
