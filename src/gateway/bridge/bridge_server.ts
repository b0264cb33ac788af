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
import { GATEWAY_DEFAULTS } from "../config/mod.ts";
import { formatStatus } from "./handshake.ts";
import { closeQuietly, Session, writeAll } from "./_session.ts";
import type {
  BridgeOptions,
  BridgeSession,
  BridgeState,
} from "./bridge_types.ts";

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
    this.#idleLimitMs = options.idleLimitMs ??
      GATEWAY_DEFAULTS.tcpServerIdleTimeout;
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
      hostname: options.hostname ?? GATEWAY_DEFAULTS.tcpServerHost,
      port: options.port ?? GATEWAY_DEFAULTS.tcpServerPort,
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
