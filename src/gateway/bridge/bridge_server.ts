/**
 * The TCP bridge: hands the bus to a third-party M-Bus tool (a commissioning program
 * through a virtual COM port, libmbus's tools, …) and takes it back by itself.
 *
 * When a client connects, polling pauses; the bridge takes the bus from the arbiter as soon
 * as the request in flight has finished, then copies bytes both ways unchanged. When the
 * client disconnects, or stays silent past `idleLimitMs`, the bus is released and polling
 * resumes (a client that speaks again takes the bus again). One client at a time: a second
 * connection gets `MBGW BUSY …` and is closed, the first is not disturbed. An opt-in ASCII
 * handshake (see handshake.ts) lets a tool ask for READY/BUSY before raw bytes.
 *
 * @module
 */
import type { Transport } from "../../transport/mod.ts";
import { type Clock, isAbortError } from "../../util/mod.ts";
import type { BusArbiter, BusLease } from "../arbiter.ts";
import {
  formatStatus,
  HANDSHAKE_MAX_LINE,
  parseHandshake,
  startsHandshake,
} from "./handshake.ts";

/** Options of {@link BridgeServer.start}. */
export interface BridgeOptions {
  /** The bus the client is connected to. */
  transport: Transport;
  /** The instance's arbiter. */
  arbiter: BusArbiter;
  /** Time source for the idle limit and the handshake wait. */
  clock: Clock;
  /** Listen address. @default "127.0.0.1" */
  hostname?: string;
  /** Listen port (0: any free port). @default 8222 */
  port?: number;
  /** Silence after which the bus goes back to polling, ms. @default 60000 */
  idleLimitMs?: number;
  /** Why the bus is busy beyond the arbiter's holder (e.g. scan progress). */
  busyReason?: () => string | undefined;
  /** Called whenever the bridge state changes. */
  onChange?: (state: BridgeState) => void;
  /** Called when a client gives the bus back, before polling resumes (e.g. to resync FCB state). */
  onBusReturned?: () => void;
}

/** The connected client. */
export interface BridgeSession {
  /** Client address, `host:port`. */
  client: string;
  /** Connection time, ISO-8601. */
  since: string;
  /** Bytes from the client to the bus. */
  bytesToBus: number;
  /** Bytes from the bus to the client. */
  bytesToClient: number;
  /** True while the bridge holds the bus for this client. */
  holdsBus: boolean;
}

/** What the bridge is doing. */
export interface BridgeState {
  /** Listen address, `host:port`. */
  listening: string;
  /** The connected client, if any. */
  session: BridgeSession | null;
  /** Sessions served since start. */
  sessions: number;
  /** Connections refused because another client was connected. */
  refused: number;
  /** Bytes from clients to the bus, all sessions. */
  bytesToBus: number;
  /** Bytes from the bus to clients, all sessions. */
  bytesToClient: number;
}

const PAUSE_REASON = "bridge";
const PUMP_READ_MS = 1000;

/** The bridge between one TCP client and the bus. */
export class BridgeServer implements AsyncDisposable {
  readonly #o: BridgeOptions;
  readonly #listener: Deno.TcpListener;
  readonly #idleLimitMs: number;
  readonly #connections = new Set<Deno.Conn>();
  readonly #tasks = new Set<Promise<void>>();
  #session: BridgeSession | null = null;
  #sessions = 0;
  #refused = 0;
  #pastToBus = 0;
  #pastToClient = 0;
  #closed = false;
  readonly #accepting: Promise<void>;

  private constructor(options: BridgeOptions, listener: Deno.TcpListener) {
    this.#o = options;
    this.#listener = listener;
    this.#idleLimitMs = options.idleLimitMs ?? 60_000;
    this.#accepting = this.#accept();
  }

  /**
   * Listens for a client.
   *
   * @param options Bus, arbiter, clock and listen address.
   * @returns The running bridge.
   */
  static start(options: BridgeOptions): BridgeServer {
    const listener = Deno.listen({
      hostname: options.hostname ?? "127.0.0.1",
      port: options.port ?? 8222,
      transport: "tcp",
    });
    return new BridgeServer(options, listener);
  }

  /** The bound address (the port is the real one when 0 was asked). */
  get address(): { hostname: string; port: number } {
    const a = this.#listener.addr;
    return { hostname: a.hostname, port: a.port };
  }

  /** A snapshot of the bridge state. */
  get state(): BridgeState {
    const a = this.address;
    return {
      listening: `${a.hostname}:${a.port}`,
      session: this.#session ? { ...this.#session } : null,
      sessions: this.#sessions,
      refused: this.#refused,
      bytesToBus: this.#pastToBus + (this.#session?.bytesToBus ?? 0),
      bytesToClient: this.#pastToClient + (this.#session?.bytesToClient ?? 0),
    };
  }

  /** Stops listening, drops the client, gives the bus back. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#listener.close();
    } catch { /* already closed */ }
    for (const c of this.#connections) closeQuietly(c);
    await this.#accepting;
    await Promise.all([...this.#tasks]);
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #accept(): Promise<void> {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch {
        return;
      }
      if (this.#closed) {
        closeQuietly(conn);
        return;
      }
      const task = this.#serve(conn).finally(() => this.#tasks.delete(task));
      this.#tasks.add(task);
    }
  }

  async #serve(conn: Deno.Conn): Promise<void> {
    const remote = conn.remoteAddr as Deno.NetAddr;
    const client = `${remote.hostname}:${remote.port}`;
    if (this.#session) {
      this.#refused++;
      const line = formatStatus(
        false,
        `bridge in use by ${this.#session.client} since ${this.#session.since}`,
      );
      await writeAll(conn, new TextEncoder().encode(line)).catch(() => {});
      closeQuietly(conn);
      this.#changed();
      return;
    }
    this.#connections.add(conn);
    this.#sessions++;
    this.#session = {
      client,
      since: new Date(this.#o.clock.now()).toISOString(),
      bytesToBus: 0,
      bytesToClient: 0,
      holdsBus: false,
    };
    const session = new Session(
      this.#o,
      conn,
      this.#session,
      this.#idleLimitMs,
      () => this.#changed(),
    );
    this.#changed();
    try {
      await session.run();
    } finally {
      await session.releaseBus();
      this.#connections.delete(conn);
      closeQuietly(conn);
      this.#pastToBus += this.#session?.bytesToBus ?? 0;
      this.#pastToClient += this.#session?.bytesToClient ?? 0;
      this.#session = null;
      this.#changed();
    }
  }

  #changed(): void {
    this.#o.onChange?.(this.state);
  }
}

/** One client's connection: handshake, raw forwarding, idle release. */
class Session {
  readonly #o: BridgeOptions;
  readonly #conn: Deno.Conn;
  readonly #info: BridgeSession;
  readonly #idleLimitMs: number;
  readonly #changed: () => void;
  readonly #end = new AbortController();
  #mode: "new" | "handshake" | "raw" = "new";
  #line: number[] = [];
  #lease: BusLease | undefined;
  #acquiring: Promise<boolean> | undefined;
  #pump: { stop: AbortController; done: Promise<void> } | undefined;
  #paused = false;
  #lastActivity: number;
  #watchdog: Promise<void> | undefined;

  constructor(
    options: BridgeOptions,
    conn: Deno.Conn,
    info: BridgeSession,
    idleLimitMs: number,
    changed: () => void,
  ) {
    this.#o = options;
    this.#conn = conn;
    this.#info = info;
    this.#idleLimitMs = idleLimitMs;
    this.#changed = changed;
    this.#lastActivity = options.clock.now();
  }

  async run(): Promise<void> {
    this.#pausePolling();
    // Queue for the bus at once, so the request in flight is over by the client's first bytes.
    void this.#takeBus(undefined);
    this.#watchdog = this.#watch();
    const buf = new Uint8Array(4096);
    try {
      for (;;) {
        let n: number | null;
        try {
          n = await this.#conn.read(buf);
        } catch {
          return; // reset by peer
        }
        if (n === null) return;
        this.#lastActivity = this.#o.clock.now();
        const done = await this.#receive(buf.subarray(0, n));
        if (done) return;
      }
    } finally {
      this.#end.abort();
      await this.#watchdog;
    }
  }

  /** @returns True when the client asked to quit. */
  async #receive(chunk: Uint8Array): Promise<boolean> {
    let i = 0;
    while (i < chunk.length) {
      if (this.#mode === "raw") {
        await this.#toBus(chunk.subarray(i));
        return false;
      }
      if (this.#line.length === 0 && !startsHandshake(chunk[i] ?? 0)) {
        this.#mode = "raw";
        continue;
      }
      this.#mode = "handshake";
      const b = chunk[i++] ?? 0;
      if (b !== 0x0a) {
        if (this.#line.length >= HANDSHAKE_MAX_LINE) {
          await this.#reply("MBGW ERROR line too long\n");
          return true;
        }
        this.#line.push(b);
        continue;
      }
      const text = String.fromCharCode(...this.#line).replace(/\r$/, "");
      this.#line = [];
      if (await this.#answer(text)) return true;
    }
    return false;
  }

  /** @returns True to end the session. */
  async #answer(text: string): Promise<boolean> {
    const req = parseHandshake(text);
    switch (req.kind) {
      case "status":
        await this.#reply(formatStatus(this.#isReady(), this.#busyReason()));
        return false;
      case "quit":
        return true;
      case "invalid":
        await this.#reply(`MBGW ERROR ${req.reason}\n`);
        return false;
      case "wait": {
        const took = await this.#takeBus(req.timeoutMs);
        await this.#reply(formatStatus(took, took ? "" : this.#busyReason()));
        return false;
      }
    }
  }

  #isReady(): boolean {
    const owner = this.#o.arbiter.owner;
    return this.#lease !== undefined || owner === undefined;
  }

  #busyReason(): string {
    const extra = this.#o.busyReason?.();
    if (extra) return extra;
    const owner = this.#o.arbiter.owner;
    return owner ? owner.label : "waiting for the bus";
  }

  async #reply(text: string): Promise<void> {
    await writeAll(this.#conn, new TextEncoder().encode(text)).catch(() => {});
  }

  async #toBus(bytes: Uint8Array): Promise<void> {
    if (!this.#lease) await this.#takeBus(undefined);
    if (!this.#lease) return;
    await this.#o.transport.write(bytes);
    this.#info.bytesToBus += bytes.length;
  }

  /**
   * Takes the bus (waits for the request in flight); false when `timeoutMs` passed first.
   * One acquisition at a time: a timed-out wait leaves it queued, so the bus comes to this
   * client as soon as it is free.
   */
  #takeBus(timeoutMs: number | undefined): Promise<boolean> {
    if (this.#lease) return Promise.resolve(true);
    this.#pausePolling();
    this.#acquiring ??= this.#acquire().finally(() => {
      this.#acquiring = undefined;
    });
    if (timeoutMs === undefined) return this.#acquiring;
    const stop = new AbortController();
    const timer = this.#o.clock.sleep(timeoutMs, stop.signal).then(
      () => false,
      () => false,
    );
    return Promise.race([this.#acquiring, timer]).finally(() => stop.abort());
  }

  async #acquire(): Promise<boolean> {
    let lease: BusLease;
    try {
      lease = await this.#o.arbiter.acquire(
        { kind: "bridge", label: `bridge ${this.#info.client}` },
        { signal: this.#end.signal },
      );
    } catch {
      return false;
    }
    if (this.#end.signal.aborted) {
      lease.release();
      return false;
    }
    this.#lease = lease;
    await this.#o.transport.purge();
    this.#info.holdsBus = true;
    this.#lastActivity = this.#o.clock.now();
    this.#startPump();
    this.#changed();
    return true;
  }

  #startPump(): void {
    const stop = new AbortController();
    const done = (async () => {
      while (!stop.signal.aborted) {
        let bytes: Uint8Array;
        try {
          bytes = await this.#o.transport.read(4096, PUMP_READ_MS, stop.signal);
        } catch (e) {
          if (!isAbortError(e) && !stop.signal.aborted) this.#end.abort(e);
          return;
        }
        if (bytes.length === 0) continue;
        this.#info.bytesToClient += bytes.length;
        this.#lastActivity = this.#o.clock.now();
        try {
          await writeAll(this.#conn, bytes);
        } catch {
          return;
        }
      }
    })();
    this.#pump = { stop, done };
  }

  /** Gives the bus back and lets polling resume. Idempotent. */
  async releaseBus(): Promise<void> {
    const pump = this.#pump;
    this.#pump = undefined;
    if (pump) {
      pump.stop.abort();
      await pump.done;
    }
    if (this.#lease) {
      // The client may have left meters mid-sequence or one FCB toggle ahead.
      this.#o.onBusReturned?.();
      this.#lease.release();
      this.#lease = undefined;
      this.#info.holdsBus = false;
    }
    if (this.#paused) {
      this.#paused = false;
      this.#o.arbiter.resume(PAUSE_REASON);
    }
    this.#changed();
  }

  #pausePolling(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#o.arbiter.pause(PAUSE_REASON);
  }

  async #watch(): Promise<void> {
    const signal = this.#end.signal;
    while (!signal.aborted) {
      const due = this.#lastActivity + this.#idleLimitMs - this.#o.clock.now();
      if (due > 0) {
        try {
          await this.#o.clock.sleep(due, signal);
        } catch {
          return;
        }
        continue;
      }
      if (this.#paused || this.#lease) await this.releaseBus();
      try {
        await this.#o.clock.sleep(this.#idleLimitMs, signal);
      } catch {
        return;
      }
    }
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await conn.write(bytes.subarray(off));
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}
