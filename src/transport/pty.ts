/**
 * A pseudo-terminal: the master side for the simulator and for tests, the slave side
 * (`/dev/pts/N`) for anything that opens a serial port.
 *
 * @module
 */
import { type Clock, RealClock, TransportError } from "../util/mod.ts";
import { FdChannel } from "./serial/fd_channel.ts";
import {
  cString,
  errno,
  libc,
  O_CLOEXEC,
  O_NOCTTY,
  O_NONBLOCK,
  O_RDWR,
} from "./serial/libc_ffi.ts";
import { getAttr, setAttr } from "./serial/termios.ts";

/** Options of {@link openPty}. */
export interface PtyOptions {
  /** Clock for read timeouts. @default new RealClock() */
  clock?: Clock;
  /**
   * Keep one handle on the slave side open for the pty's lifetime, so the master never sees
   * a hang-up (EIO) between clients and bytes written before a client opens are kept.
   * @default true
   */
  holdSlave?: boolean;
}

/** The master side of a pseudo-terminal. */
export interface Pty extends AsyncDisposable {
  /** Path of the slave side, e.g. `/dev/pts/3`; open it as a serial port. */
  readonly slavePath: string;
  /**
   * Waits up to `timeoutMs` for bytes written on the slave side. Silence (also while no
   * client has the slave open) gives an empty array.
   *
   * @param maxBytes At most this many bytes.
   * @param timeoutMs Longest wait.
   * @param signal Cancels the wait.
   */
  read(
    maxBytes: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array>;
  /** Sends bytes to the slave side. @param bytes The bytes. */
  write(bytes: Uint8Array): Promise<void>;
  /** Closes the master (and the held slave handle). Idempotent. */
  close(): Promise<void>;
}

function fail(step: string): never {
  throw new TransportError(
    "IO",
    `Cannot open a pseudo-terminal: ${step} failed with errno ${errno()}`,
  );
}

class PtyImpl implements Pty {
  readonly slavePath: string;
  #channel: FdChannel;
  #slaveFd: number;

  constructor(channel: FdChannel, slavePath: string, slaveFd: number) {
    this.#channel = channel;
    this.slavePath = slavePath;
    this.#slaveFd = slaveFd;
  }

  read(
    maxBytes: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    return this.#channel.read(maxBytes, timeoutMs, signal);
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.#channel.write(bytes);
  }

  async close(): Promise<void> {
    await this.#channel.close();
    if (this.#slaveFd >= 0) {
      libc().close(this.#slaveFd);
      this.#slaveFd = -1;
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Opens a pseudo-terminal pair (posix_openpt, grantpt, unlockpt, ptsname_r) and sets it
 * raw: no echo, no line editing, no translation. Needs `--allow-ffi`.
 *
 * @example
 * ```ts ignore
 * await using pty = openPty();
 * const port = await SerialTransport.open(pty.slavePath);
 * ```
 *
 * @param options Clock and slave handling.
 * @returns The master side.
 * @throws {TransportError} `IO` when the system refuses.
 */
export function openPty(options: PtyOptions = {}): Pty {
  const c = libc();
  const fd = c.posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) fail("posix_openpt");
  let slaveFd = -1;
  try {
    if (c.grantpt(fd) !== 0) fail("grantpt");
    if (c.unlockpt(fd) !== 0) fail("unlockpt");
    const name = new Uint8Array(128);
    const rc = c.ptsname_r(fd, name, BigInt(name.length));
    if (rc !== 0) fail("ptsname_r");
    const end = name.indexOf(0);
    const slavePath = new TextDecoder().decode(
      name.subarray(0, end < 0 ? name.length : end),
    );
    const t = getAttr(fd);
    if (typeof t === "number") fail("tcgetattr");
    c.cfmakeraw(t.bytes);
    if (setAttr(fd, t) !== 0) fail("tcsetattr");
    if (options.holdSlave ?? true) {
      slaveFd = c.open(
        cString(slavePath),
        O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC,
        0,
      );
      if (slaveFd < 0) fail(`open ${slavePath}`);
    }
    const channel = new FdChannel(fd, {
      clock: options.clock ?? new RealClock(),
      label: `pseudo-terminal master of "${slavePath}"`,
      onHangup: "wait",
    });
    return new PtyImpl(channel, slavePath, slaveFd);
  } catch (e) {
    if (slaveFd >= 0) c.close(slaveFd);
    c.close(fd);
    throw e;
  }
}
