/**
 * The bus monitor behind `GET /api/monitor` and `GET /api/monitor/recent`: it listens to
 * every instance's wire tap while the monitor is in use, keeps the last frames of each
 * instance in a ring, describes each frame once ({@link summarizeWire}) and hands it to the
 * live clients, each through a bounded queue: a client that reads too slowly loses its
 * oldest frames (counted, and told) instead of growing the server's memory.
 *
 * The taps cost nothing until the monitor is first asked for; it stops listening again
 * when no client has been connected for `idleMs` (checked as frames arrive).
 *
 * @module
 */
import { toHex } from "../util/mod.ts";
import type { Clock } from "../util/mod.ts";
import type { ApiBackend, ApiWireFrame } from "./backend.ts";
import { summarizeWire } from "./wire_summary.ts";

/** One frame as the monitor answers it. */
export interface MonitorEntry {
  /** Sequence number, increasing across instances (the SSE event id). */
  seq: number;
  /** Time on the wire, ms since the epoch. */
  at: number;
  /** The same time as ISO-8601 with milliseconds. */
  time: string;
  /** Instance name. */
  instance: string;
  /** `tx` master → meter, `rx` meter → master (and telegrams heard). */
  direction: string;
  /** `master`, `bridge` (a client of the TCP bridge) or `radio`. */
  origin: string;
  /** `frame`, `garbage` or `telegram`. */
  kind: string;
  /** The bytes as upper-case hex, space-separated. */
  hex: string;
  /** Number of bytes. */
  length: number;
  /** One line of decoding. */
  summary: string;
  /** Primary address the frame is to or from (an answer without one: its request's). */
  address?: number;
  /** Meter ID (wired answer's secondary address, wireless ID). */
  id?: string;
  /** Telegram signal level. */
  rssi?: number;
  /** Garbage: the link error code. */
  error?: string;
}

/** Which frames a client wants. */
export interface MonitorFilter {
  /** Only this instance. */
  instance?: string | undefined;
  /** Only frames to or from this primary address. */
  address?: number | undefined;
  /** Only frames of this meter ID (upper case). */
  id?: string | undefined;
}

/** Options of {@link WireMonitor}. */
export interface WireMonitorOptions {
  /** Stamps `lastUse`. */
  clock: Clock;
  /** Frames kept per instance. @default 500 */
  ringSize?: number;
  /** Frames a client may fall behind by before its oldest are dropped. @default 1000 */
  maxQueued?: number;
  /** Listening stops this long after the last use with no client. @default 600000 */
  idleMs?: number;
}

/** Counters of the monitor. */
export interface MonitorStats {
  /** Whether the taps are listened to. */
  listening: boolean;
  /** Live clients. */
  clients: number;
  /** Frames dropped for slow clients since start. */
  dropped: number;
  /** Frames seen since start. */
  frames: number;
}

/**
 * Whether an entry passes a filter.
 *
 * @param f The filter.
 * @param e The entry.
 * @returns True when it passes.
 */
export function matchesMonitor(f: MonitorFilter, e: MonitorEntry): boolean {
  return (f.instance === undefined || e.instance === f.instance) &&
    (f.address === undefined || e.address === f.address) &&
    (f.id === undefined || e.id === f.id);
}

/** One live client: its filter and bounded queue. */
export class MonitorClient {
  /** What it wants. */
  readonly filter: MonitorFilter;
  readonly #max: number;
  readonly #queue: MonitorEntry[] = [];
  readonly #onDrop: () => void;
  #dropped = 0;
  #wake: (() => void) | undefined;

  /**
   * @param filter What it wants.
   * @param max Longest queue.
   * @param onDrop Counts a drop in the monitor's total.
   */
  constructor(filter: MonitorFilter, max: number, onDrop: () => void) {
    this.filter = filter;
    this.#max = max;
    this.#onDrop = onDrop;
  }

  /** Frames waiting to be sent. */
  get queued(): number {
    return this.#queue.length;
  }

  /** @param e A frame for the client (dropping its oldest when full). */
  push(e: MonitorEntry): void {
    if (this.#queue.length >= this.#max) {
      this.#queue.shift();
      this.#dropped++;
      this.#onDrop();
    }
    this.#queue.push(e);
    this.#wake?.();
  }

  /** @returns The queued frames (emptying the queue) and the drops since the last take. */
  take(): { entries: MonitorEntry[]; dropped: number } {
    const entries = this.#queue.splice(0);
    const dropped = this.#dropped;
    this.#dropped = 0;
    return { entries, dropped };
  }

  /** @param fn Called on the next push (replaces the previous one). */
  onWake(fn: (() => void) | undefined): void {
    this.#wake = fn;
  }
}

interface Armed {
  ring: MonitorEntry[];
  off: () => void;
  /** Address of the last request of each origin (an ACK answers it). */
  lastTx: Map<string, number>;
}

/** The monitor of every instance of a backend. */
export class WireMonitor {
  readonly #backend: ApiBackend;
  readonly #clock: Clock;
  readonly #ringSize: number;
  readonly #maxQueued: number;
  readonly #idleMs: number;
  readonly #armed = new Map<string, Armed>();
  readonly #clients = new Set<MonitorClient>();
  #seq = 0;
  #dropped = 0;
  #frames = 0;
  #lastUse = 0;

  /**
   * @param backend The instances (those with a `wire` are monitored).
   * @param options Clock, ring size, queue bound, idle time.
   */
  constructor(backend: ApiBackend, options: WireMonitorOptions) {
    this.#backend = backend;
    this.#clock = options.clock;
    this.#ringSize = Math.max(1, options.ringSize ?? 500);
    this.#maxQueued = Math.max(1, options.maxQueued ?? 1000);
    this.#idleMs = Math.max(0, options.idleMs ?? 600_000);
  }

  /** The counters. */
  get stats(): MonitorStats {
    return {
      listening: this.#armed.size > 0,
      clients: this.#clients.size,
      dropped: this.#dropped,
      frames: this.#frames,
    };
  }

  /** Starts (or keeps) listening to every instance's tap. */
  touch(): void {
    this.#lastUse = this.#clock.now();
    for (const gw of this.#backend.instances) {
      if (this.#armed.has(gw.name) || !gw.wire) continue;
      const name = gw.name;
      const armed: Armed = { ring: [], off: () => {}, lastTx: new Map() };
      this.#armed.set(name, armed);
      armed.off = gw.wire.subscribe((f) => this.#take(name, armed, f));
    }
  }

  /**
   * The frames kept, oldest first.
   *
   * @param filter Which.
   * @param limit At most this many (the newest).
   * @returns The entries.
   */
  recent(filter: MonitorFilter, limit = Infinity): MonitorEntry[] {
    this.touch();
    const all = [...this.#armed.entries()]
      .filter(([name]) =>
        filter.instance === undefined || name === filter.instance
      )
      .flatMap(([, a]) => a.ring.filter((e) => matchesMonitor(filter, e)))
      .sort((a, b) => a.seq - b.seq);
    return limit < all.length ? all.slice(all.length - limit) : all;
  }

  /**
   * Adds a live client.
   *
   * @param filter Which frames it wants.
   * @returns The client; {@link leave} it when its stream ends.
   */
  join(filter: MonitorFilter): MonitorClient {
    this.touch();
    const client = new MonitorClient(filter, this.#maxQueued, () => {
      this.#dropped++;
    });
    this.#clients.add(client);
    return client;
  }

  /** @param client A client whose stream ended. */
  leave(client: MonitorClient): void {
    client.onWake(undefined);
    this.#clients.delete(client);
    this.#lastUse = this.#clock.now();
  }

  /** Stops listening (server shutdown). */
  close(): void {
    for (const a of this.#armed.values()) a.off();
    this.#armed.clear();
  }

  #take(instance: string, armed: Armed, f: ApiWireFrame): void {
    const now = this.#clock.now();
    if (this.#clients.size === 0 && now - this.#lastUse > this.#idleMs) {
      this.close();
      return;
    }
    const s = summarizeWire(f);
    let address = s.address;
    if (f.kind === "telegram") address = undefined;
    else if (f.direction === "tx" && address !== undefined) {
      armed.lastTx.set(f.origin, address);
    } else if (f.direction === "rx" && address === undefined) {
      address = armed.lastTx.get(f.origin);
    }
    const e: MonitorEntry = {
      seq: ++this.#seq,
      at: f.at,
      time: new Date(f.at).toISOString(),
      instance,
      direction: f.direction,
      origin: f.origin,
      kind: f.kind,
      hex: toHex(f.bytes, " ").toUpperCase(),
      length: f.bytes.length,
      summary: s.summary,
      ...(address === undefined ? {} : { address }),
      ...(s.id === undefined ? {} : { id: s.id }),
      ...(f.rssi === undefined ? {} : { rssi: f.rssi }),
      ...(f.error === undefined ? {} : { error: f.error }),
    };
    this.#frames++;
    armed.ring.push(e);
    if (armed.ring.length > this.#ringSize) armed.ring.shift();
    for (const c of this.#clients) {
      if (matchesMonitor(c.filter, e)) c.push(e);
    }
  }
}
