/**
 * Async reads and writes on a non-blocking file descriptor (a tty or a pty master).
 * Waiting happens in `poll(2)` on an FFI worker thread, so the event loop is never
 * blocked; the timeout is measured on the injected {@link Clock}, and an eventfd wakes the
 * poll when the time is up, the read is aborted, or the channel is closed.
 *
 * @module
 */
import { type Clock, TransportError } from "../../util/mod.ts";
import {
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  Errno,
  errno,
  libc,
  num,
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
} from "./libc_ffi.ts";

/** What a hang-up (EOF, EIO, POLLHUP) means on this fd. */
export type HangupPolicy = "wait" | "error";

/** Options of an {@link FdChannel}. */
export interface FdChannelOptions {
  /** The clock that measures timeouts. */
  clock: Clock;
  /** Name used in error messages, e.g. `serial port "/dev/ttyUSB0"`. */
  label: string;
  /**
   * `error`: a hang-up throws `TransportError` `IO` (a serial port that went away).
   * `wait`: a hang-up is silence (a pty master whose slave side is not open).
   */
  onHangup: HangupPolicy;
  /** How often to look again while hung up with policy `wait`, in ms. @default 20 */
  hangupRetryMs?: number;
}

type ReadOutcome = Uint8Array | "hangup";

const EMPTY = new Uint8Array(0);

/** One open fd plus its wake-up eventfd. */
export class FdChannel {
  #fd: number;
  #wakeFd: number;
  #opts: Required<FdChannelOptions>;
  #closed = false;
  #inFlight = new Set<Promise<number>>();
  #readBusy = false;

  /**
   * Takes ownership of `fd` (closed by {@link close}; on a throw the caller still owns it).
   *
   * @param fd An fd opened with O_NONBLOCK.
   * @param options Clock, label, hang-up policy.
   */
  constructor(fd: number, options: FdChannelOptions) {
    this.#fd = fd;
    this.#opts = { hangupRetryMs: 20, ...options };
    const w = libc().eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (w < 0) {
      const e = errno();
      throw new TransportError(
        "IO",
        `Cannot open ${options.label}: eventfd failed with errno ${e}`,
      );
    }
    this.#wakeFd = w;
  }

  /** The file descriptor (for termios calls). */
  get fd(): number {
    return this.#fd;
  }

  /** True after {@link close}. */
  get closed(): boolean {
    return this.#closed;
  }

  #ensureOpen(): void {
    if (this.#closed) {
      throw new TransportError(
        "CLOSED",
        `Cannot use ${this.#opts.label}: it is closed`,
      );
    }
  }

  /** One non-blocking read: bytes, empty (nothing yet) or `hangup`. */
  #tryRead(max: number): ReadOutcome {
    const buf = new Uint8Array(Math.max(1, Math.min(max, 65536)));
    const n = num(libc().read(this.#fd, buf, BigInt(buf.length)));
    if (n > 0) return buf.slice(0, n);
    if (n === 0) return "hangup";
    const e = errno();
    if (e === Errno.EAGAIN || e === Errno.EINTR) return EMPTY;
    if (e === Errno.EIO || e === Errno.ENXIO || e === Errno.ENODEV) {
      return "hangup";
    }
    throw new TransportError(
      "IO",
      `Cannot read from ${this.#opts.label}: errno ${e}`,
    );
  }

  #hangup(): void {
    if (this.#opts.onHangup === "error") {
      throw new TransportError(
        "IO",
        `Cannot read from ${this.#opts.label}: the device hung up`,
      );
    }
  }

  /**
   * Polls fd and the wake fd on a worker thread. Only the read path drains the wake fd,
   * so a wake meant for a waiting read is never swallowed by a write's poll.
   */
  #poll(events: number, timeoutMs: number, drain: boolean): Promise<number> {
    const fds = new Uint8Array(16);
    const v = new DataView(fds.buffer);
    v.setInt32(0, this.#fd, true);
    v.setInt16(4, events, true);
    v.setInt32(8, this.#wakeFd, true);
    v.setInt16(12, POLLIN, true);
    const p: Promise<number> = libc().poll(fds, 2n, timeoutMs)
      .then(() => v.getInt16(6, true))
      .finally(() => {
        if (drain && this.#wakeFd >= 0) {
          libc().read(this.#wakeFd, new Uint8Array(8), 8n);
        }
        this.#inFlight.delete(p);
      });
    this.#inFlight.add(p);
    return p;
  }

  #wake(): void {
    const one = new Uint8Array(8);
    one[0] = 1;
    libc().write(this.#wakeFd, one, 8n);
  }

  /**
   * Waits up to `timeoutMs` for bytes.
   *
   * @param maxBytes At most this many bytes.
   * @param timeoutMs Longest wait, on the clock.
   * @param signal Cancels the wait (rejects with its reason).
   * @returns The bytes, or empty on timeout.
   */
  async read(
    maxBytes: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    this.#ensureOpen();
    signal?.throwIfAborted();
    if (this.#readBusy) {
      throw new TypeError(
        `Cannot read from ${this.#opts.label}: a read is already waiting`,
      );
    }
    this.#readBusy = true;
    try {
      return await this.#read(maxBytes, timeoutMs, signal);
    } finally {
      this.#readBusy = false;
    }
  }

  async #read(
    maxBytes: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    const first = this.#tryRead(maxBytes);
    if (first !== "hangup" && first.length > 0) return first;
    if (first === "hangup") this.#hangup();
    if (timeoutMs <= 0) return EMPTY;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    let timedOut = false;
    const timer = this.#opts.clock.sleep(timeoutMs, stop.signal).then(
      () => {
        timedOut = true;
      },
      () => {},
    );
    const done = () => timedOut || stop.signal.aborted || this.#closed;
    try {
      let hungUp = first === "hangup";
      let revents = 0;
      while (!done()) {
        if (hungUp) {
          // Nothing to poll on: look again a little later.
          await Promise.race([
            this.#opts.clock.sleep(this.#opts.hangupRetryMs, stop.signal)
              .catch(() => {}),
            timer,
          ]);
          revents = 0;
        } else {
          const polled = this.#poll(POLLIN, -1, true);
          const winner = await Promise.race([polled, timer.then(() => -1)]);
          if (winner === -1) {
            this.#wake();
            revents = await polled;
          } else revents = winner;
        }
        if (this.#closed) break;
        const got = this.#tryRead(maxBytes);
        // A hang-up or error flagged by poll with nothing to read would make poll return
        // at once forever: treat it as a hang-up instead of spinning.
        if (
          got === "hangup" ||
          (got.length === 0 && (revents & (POLLHUP | POLLERR)) !== 0)
        ) {
          this.#hangup();
          hungUp = true;
          continue;
        }
        hungUp = false;
        if (got.length > 0) return got;
      }
      if (signal?.aborted) throw signal.reason;
      this.#ensureOpen();
      return EMPTY;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      stop.abort();
      await timer;
    }
  }

  /**
   * Reads and drops whatever is waiting now, without waiting.
   *
   * @returns How many bytes were dropped.
   */
  drain(): number {
    this.#ensureOpen();
    let n = 0;
    for (;;) {
      const got = this.#tryRead(65536);
      if (got === "hangup" || got.length === 0) return n;
      n += got.length;
    }
  }

  /**
   * Writes all bytes, waiting (in poll, 100 ms at a time) while the output queue is full.
   *
   * @param bytes The bytes.
   * @param signal Cancels the write between chunks.
   */
  async write(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    this.#ensureOpen();
    let off = 0;
    while (off < bytes.length) {
      signal?.throwIfAborted();
      this.#ensureOpen();
      const chunk = bytes.slice(off);
      const n = num(libc().write(this.#fd, chunk, BigInt(chunk.length)));
      if (n > 0) {
        off += n;
        continue;
      }
      const e = n < 0 ? errno() : Errno.EAGAIN;
      if (e === Errno.EAGAIN || e === Errno.EINTR) {
        await this.#poll(POLLOUT, 100, false);
        continue;
      }
      throw new TransportError(
        "IO",
        `Cannot write to ${this.#opts.label}: errno ${e}`,
      );
    }
  }

  /**
   * Wakes any waiting read, then closes both fds. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#inFlight.size > 0) {
      this.#wake();
      await Promise.allSettled([...this.#inFlight]);
    }
    libc().close(this.#fd);
    libc().close(this.#wakeFd);
    this.#fd = -1;
    this.#wakeFd = -1;
  }
}
