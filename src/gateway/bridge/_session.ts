/**
 * One bridge client's connection: the opt-in handshake, raw forwarding both ways, and the
 * release of the bus after the idle limit. Private to the bridge.
 *
 * @module
 */
import { isAbortError } from "../../util/mod.ts";
import type { BusLease } from "../source/mod.ts";
import type { BridgeOptions, BridgeSession } from "./bridge_types.ts";
import {
  formatStatus,
  HANDSHAKE_MAX_LINE,
  parseHandshake,
  startsHandshake,
} from "./handshake.ts";

const PAUSE_REASON = "bridge";
const PUMP_READ_MS = 1000;

/** One client's connection: handshake, raw forwarding, idle release. */
export class Session {
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
    // Meters start afresh for the client; its bytes wait (in #toBus) until this is done.
    await this.#resetLinks();
    await this.#o.transport.purge();
    if (this.#end.signal.aborted) {
      lease.release();
      return false;
    }
    this.#lease = lease;
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
      await this.#resetLinks();
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

  /** Best effort: a bus that fails here fails the next request too, where it is reported. */
  async #resetLinks(): Promise<void> {
    try {
      await this.#o.resetLinks?.();
    } catch {
      // Reported by the next use of the bus.
    }
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

/** Writes every byte (a socket write may take only part). */
export async function writeAll(
  conn: Deno.Conn,
  bytes: Uint8Array,
): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await conn.write(bytes.subarray(off));
}

/** Closes a connection that may be closed already. */
export function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}
