/**
 * A TCP client for M-Bus-to-TCP converters (raw bytes, no framing) as a {@link Transport}:
 * connect timeout, dead-peer detection, reconnection on next use with capped exponential
 * back-off, timeouts on the injected {@link Clock}.
 *
 * @module
 */
import { type Clock, RealClock, TransportError } from "../util/mod.ts";
import { Backoff, retryWithBackoff } from "./backoff.ts";
import { ByteQueue } from "./byte_queue.ts";
import {
  type LinkListener,
  type LinkStatus,
  LinkTracker,
} from "./link_status.ts";
import { dialTcp, socketErrorReason } from "./tcp_dial.ts";
import type { TcpConnectionStats, TcpOptions } from "./tcp_types.ts";

export type { TcpConnectionStats, TcpOptions };
import {
  DEFAULT_BAUD_RATE,
  type Transport,
  type TransportStats,
} from "./transport.ts";

const EMPTY = new Uint8Array(0);
/** A connection that lived this long resets the back-off when it drops. */
const STABLE_MS = 1000;

/** A raw TCP connection to an M-Bus converter. */
export class TcpTransport implements Transport {
  readonly name: string;
  #host: string;
  #port: number;
  #clock: Clock;
  #connectTimeoutMs: number;
  #baudRate: number;
  #backoff: Backoff;
  #conn: Deno.TcpConn | undefined;
  #pump: Promise<void> | undefined;
  #connecting: Promise<void> | undefined;
  #closed = false;
  #lost: TransportError | undefined;
  #rx: ByteQueue;
  #stats: TransportStats = { bytesOut: 0, bytesIn: 0, bytesPurged: 0 };
  readonly #link: LinkTracker;
  readonly #autoReconnect: boolean;
  readonly #stop = new AbortController();
  #probing: Promise<void> | undefined;
  #connectedAt = 0;

  private constructor(host: string, port: number, options: TcpOptions) {
    this.#host = host;
    this.#port = port;
    this.name = `tcp:${host}:${port}`;
    this.#clock = options.clock ?? new RealClock();
    this.#rx = new ByteQueue(this.#clock);
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.#baudRate = options.baudRate ?? DEFAULT_BAUD_RATE;
    this.#backoff = new Backoff(
      options.backoff ?? { initialMs: 250, maxMs: 1000 },
    );
    this.#link = new LinkTracker(this.#clock);
    this.#autoReconnect = options.autoReconnect ?? false;
  }

  /**
   * Connects to a converter (`await using bus = await TcpTransport.open(host, port)`).
   *
   * @param host Host name or IP address.
   * @param port TCP port.
   * @param options Timeouts, clock, nominal baud rate, back-off.
   * @returns The connected transport.
   * @throws {TransportError} `CONNECT_FAILED` naming `host:port` and the reason (no retry).
   */
  static async open(
    host: string,
    port: number,
    options: TcpOptions = {},
  ): Promise<TcpTransport> {
    checkPort(host, port);
    const t = new TcpTransport(host, port, options);
    // Nothing retries a failed open: the dialler's reason without "next attempt in".
    await t.#connect().catch((e) => {
      throw e instanceof TransportError && e.cause ? e.cause : e;
    });
    return t;
  }

  /**
   * A transport that connects in the background and keeps reconnecting (capped back-off):
   * a converter down at start-up leaves it `offline` ({@link linkStatus}), and requests
   * fail at once with `CONNECT_FAILED` meanwhile.
   *
   * @param host Host name or IP address.
   * @param port TCP port (1..65535, else RangeError).
   * @param options Timeouts, clock, nominal baud rate, back-off.
   * @returns The transport, not yet connected.
   */
  static create(
    host: string,
    port: number,
    options: TcpOptions = {},
  ): TcpTransport {
    checkPort(host, port);
    const t = new TcpTransport(host, port, { ...options, autoReconnect: true });
    t.#startProbe();
    return t;
  }

  /** The connection's health: state, last failure, next attempt, counters. */
  linkStatus(): LinkStatus {
    return this.#link.status();
  }

  /** Listens to changes of {@link linkStatus}; returns the unsubscriber. @param fn Listener. */
  onLinkChange(fn: LinkListener): () => void {
    return this.#link.onChange(fn);
  }

  #startProbe(): void {
    if (this.#probing !== undefined || this.#closed) return;
    this.#probing = this.#probeLoop().finally(() => {
      this.#probing = undefined;
    });
  }

  /** Dials whenever the back-off allows, until connected or closed. */
  #probeLoop(): Promise<void> {
    return retryWithBackoff({
      backoff: this.#backoff,
      clock: this.#clock,
      signal: this.#stop.signal,
      done: () => this.#closed || this.#conn !== undefined,
      attempt: () => this.#connect(),
    });
  }

  /** Nominal baud rate. */
  get baudRate(): number {
    return this.#baudRate;
  }

  /** Byte counters (a live object). */
  get stats(): TransportStats {
    return this.#stats;
  }

  /** Connection counters (a copy). */
  get connection(): TcpConnectionStats {
    const s = this.#link.status();
    return { attempts: s.attempts, connects: s.connects, drops: s.disconnects };
  }

  /** True while a connection is up. */
  get connected(): boolean {
    return this.#conn !== undefined;
  }

  #ensureOpen(): void {
    if (this.#closed) {
      throw new TransportError(
        "CLOSED",
        `Cannot use ${this.name}: it is closed`,
      );
    }
  }

  /** Connects now, or fails fast while the back-off window is open. */
  #connect(): Promise<void> {
    this.#connecting ??= this.#dial().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #dial(): Promise<void> {
    const where = `${this.#host}:${this.#port}`;
    const wait = this.#backoff.remaining(this.#clock.now());
    if (wait > 0) {
      throw new TransportError(
        "CONNECT_FAILED",
        `Cannot connect to ${where}: retrying in ${Math.ceil(wait)} ms`,
      );
    }
    this.#link.attempt();
    let conn: Deno.TcpConn;
    try {
      conn = await dialTcp(this.#host, this.#port, {
        clock: this.#clock,
        timeoutMs: this.#connectTimeoutMs,
      });
    } catch (e) {
      const now = this.#clock.now();
      const delay = this.#backoff.fail(now);
      const message = e instanceof Error ? e.message : String(e);
      if (!this.#closed) this.#link.failed(message, now + delay);
      throw new TransportError(
        "CONNECT_FAILED",
        `${message} (next attempt in ${delay} ms)`,
        { cause: e },
      );
    }
    if (this.#closed) {
      conn.close();
      this.#ensureOpen();
    }
    try {
      conn.setNoDelay(true);
      conn.setKeepAlive(true);
    } catch {
      // Best effort only.
    }
    // Reconnecting in the background, the back-off is reset only by a connection that
    // stays up (see #drop): a converter that accepts and closes at once must not be dialled
    // in a tight loop. A one-shot tool reconnects on its next use at once.
    this.#connectedAt = this.#clock.now();
    if (!this.#autoReconnect) this.#backoff.succeed();
    this.#conn = conn;
    this.#lost = undefined;
    this.#pump = this.#runPump(conn);
    this.#link.connected();
  }

  async #runPump(conn: Deno.TcpConn): Promise<void> {
    let why = "the peer closed the connection";
    try {
      for (;;) {
        const buf = new Uint8Array(4096);
        const n = await conn.read(buf);
        if (n === null) break;
        this.#rx.push(buf.subarray(0, n));
      }
    } catch (e) {
      why = socketErrorReason(e);
    }
    if (this.#conn !== conn) return; // closed on purpose
    this.#drop(conn, why);
  }

  #drop(conn: Deno.TcpConn, why: string): void {
    if (this.#conn !== conn) return;
    this.#conn = undefined;
    try {
      conn.close();
    } catch {
      // Already closed.
    }
    this.#lost = new TransportError(
      "IO",
      `Lost connection to ${this.#host}:${this.#port}: ${why}`,
    );
    this.#rx.notify();
    if (this.#closed) return;
    const now = this.#clock.now();
    if (this.#autoReconnect) {
      if (now - this.#connectedAt >= STABLE_MS) this.#backoff.succeed();
      else this.#backoff.fail(now);
    }
    this.#link.dropped(this.#lost.message);
    if (this.#autoReconnect) this.#startProbe();
  }

  /**
   * Sends bytes, reconnecting first when the connection was lost.
   *
   * @param bytes The bytes.
   * @param signal Cancels the write before it starts.
   * @throws {TransportError} `CLOSED`, `CONNECT_FAILED`, or `IO` when the socket fails.
   */
  async write(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    this.#ensureOpen();
    signal?.throwIfAborted();
    if (this.#conn === undefined) await this.#connect();
    this.#ensureOpen();
    const conn = this.#conn;
    if (conn === undefined) {
      throw new TransportError(
        "IO",
        `Cannot write to ${this.name}: not connected`,
      );
    }
    let off = 0;
    try {
      while (off < bytes.length) {
        off += await conn.write(bytes.subarray(off));
      }
    } catch (e) {
      this.#ensureOpen();
      this.#drop(conn, socketErrorReason(e));
      throw new TransportError(
        "IO",
        `Cannot write to ${this.#host}:${this.#port}: ${socketErrorReason(e)}`,
        { cause: e },
      );
    }
    this.#stats.bytesOut += bytes.length;
  }

  /**
   * Waits up to `timeoutMs` (on the clock) for received bytes. Bytes that arrived before a
   * drop are still delivered; then the drop is reported once as `IO`, and the next call
   * reconnects.
   *
   * @param maxBytes At most this many bytes.
   * @param timeoutMs Longest wait.
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
    if (this.#rx.length > 0) return this.#take(maxBytes);
    if (this.#conn === undefined && this.#lost === undefined) {
      await this.#connect();
    }
    const deadline = this.#clock.now() + Math.max(0, timeoutMs);
    for (;;) {
      this.#ensureOpen();
      signal?.throwIfAborted();
      if (this.#rx.length > 0) return this.#take(maxBytes);
      const lost = this.#lost;
      if (lost !== undefined) {
        this.#lost = undefined;
        throw lost;
      }
      const left = deadline - this.#clock.now();
      if (left <= 0) return EMPTY;
      await this.#rx.wait(left, signal);
    }
  }

  #take(maxBytes: number): Uint8Array {
    const out = this.#rx.take(maxBytes);
    this.#stats.bytesIn += out.length;
    return out;
  }

  /** Drops received bytes not yet read. @returns How many. */
  purge(): Promise<number> {
    if (this.#closed) {
      return Promise.reject(
        new TransportError("CLOSED", `Cannot use ${this.name}: it is closed`),
      );
    }
    const n = this.#rx.clear();
    this.#stats.bytesIn += n;
    this.#stats.bytesPurged += n;
    return Promise.resolve(n);
  }

  /** Records the nominal rate (the converter's own setting is not changed). */
  setBaudRate(baudRate: number): Promise<void> {
    if (!Number.isFinite(baudRate) || baudRate <= 0) {
      return Promise.reject(
        new RangeError(
          `Cannot set baud rate ${baudRate}: not a positive number`,
        ),
      );
    }
    this.#baudRate = baudRate;
    return Promise.resolve();
  }

  /** Closes the connection; a waiting read rejects with `CLOSED`. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop.abort();
    const conn = this.#conn;
    this.#conn = undefined;
    if (conn !== undefined) {
      try {
        conn.close();
      } catch {
        // Already closed.
      }
    }
    this.#rx.notify();
    await this.#connecting?.catch(() => {});
    await this.#probing;
    await this.#pump;
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function checkPort(host: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`Cannot connect to ${host}:${port}: bad port number`);
  }
}
