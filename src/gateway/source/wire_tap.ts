/**
 * The wire tap of an instance: every frame that crosses its bus, as the bus monitor shows
 * it. Wired traffic is tapped below the master ({@link TappedTransport}): what is written
 * and what is read is cut into frames by the link layer's {@link FrameReader}, stamped with
 * the clock and told to the listeners, with its direction (`tx` master → meter, `rx` meter
 * → master) and its origin (`master` the gateway's own master, `bridge` a client of the TCP
 * bridge). A wireless receiver reports each telegram whole ({@link WireTap.telegram}).
 *
 * Nothing is copied, cut or stamped while nobody listens: {@link WireTap.bytes} returns at
 * once. The readers keep at most one unfinished frame each (< 261 bytes).
 *
 * @module
 */
import { type FrameEvent, FrameReader } from "../../link/mod.ts";
import type {
  LinkListener,
  LinkStatus,
  Transport,
  TransportStats,
} from "../../transport/mod.ts";
import type { Clock } from "../../util/mod.ts";

/** `tx`: master → meters; `rx`: meters → master (and every telegram heard on air). */
export type WireDirection = "tx" | "rx";

/** Who put the frame on the wire: the gateway's master, a bridge client, or a radio meter. */
export type WireOrigin = "master" | "bridge" | "radio";

/** One frame (or run of garbage, or wireless telegram) seen on the wire. */
export interface WireFrame {
  /** When it was seen, ms since the epoch on the instance's clock. */
  at: number;
  /** Which way it went. */
  direction: WireDirection;
  /** Who sent it (or whose answer it is). */
  origin: WireOrigin;
  /** `frame` a valid wired frame, `garbage` bytes that form none, `telegram` a wireless telegram. */
  kind: "frame" | "garbage" | "telegram";
  /** The bytes (a copy, safe to keep). */
  bytes: Uint8Array;
  /** Garbage: why its first byte was dropped (`BAD_CHECKSUM`, `BAD_START`, `TRUNCATED`, …). */
  error?: string;
  /** Telegram: the signal level the receiver reported. */
  rssi?: number;
  /** Telegram: the link mode the receiver reported. */
  mode?: string;
  /** Telegram: what the gateway made of it (`decoded`, `duplicate`, `failed`, `undecodable`). */
  outcome?: string;
  /** Telegram: the error code of a failed or undecodable telegram (`NO_KEY`, `WRONG_KEY`, …). */
  outcomeCode?: string;
  /** Telegram: the driver that decodes (or would decode) the meter, when known. */
  driver?: string;
}

/** Told each {@link WireFrame}, synchronously. */
export type WireListener = (frame: WireFrame) => void;

/** A wireless telegram as the receiver handed it in, with what became of it. */
export interface TappedTelegram {
  /** The telegram from L on. */
  bytes: Uint8Array;
  /** When it was received (the receiver's clock). */
  receivedAt: number;
  /** Signal level. */
  rssi?: number | undefined;
  /** Link mode. */
  mode?: string | undefined;
  /** `decoded`, `duplicate`, `failed`, `undecodable`. */
  outcome?: string | undefined;
  /** Error code of a failed or undecodable telegram. */
  outcomeCode?: string | undefined;
  /** Driver, when known. */
  driver?: string | undefined;
}

/** Something a tap can be attached to (a source, a transport). */
export interface WireTappable {
  /**
   * Attaches the tap (or detaches with undefined).
   *
   * @param tap The instance's tap.
   */
  setWireTap(tap: WireTap | undefined): void;
}

/** Longest run of garbage told as one entry, bytes. */
const MAX_GARBAGE_RUN = 256;

/** Frames and telegrams of one bus, to whoever listens. */
export class WireTap {
  readonly #clock: Clock;
  readonly #listeners = new Set<WireListener>();
  /** One reader per origin and direction, so interleaved streams do not mix. */
  readonly #readers = new Map<string, FrameReader>();
  /**
   * Garbage of each stream not told yet: a run of it (an answer joined midway, noise) is
   * told as one entry when a frame follows or the reception ends, not chunk by chunk.
   */
  readonly #garbage = new Map<string, WireFrame>();
  #frames = 0;

  /**
   * Creates a tap with nobody listening.
   *
   * @param clock Stamps every frame.
   */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Whether anyone listens (nothing is done otherwise). */
  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  /** Frames told to listeners so far. */
  get frames(): number {
    return this.#frames;
  }

  /**
   * Adds a listener. The first one starts the readers afresh (bytes of a frame that began
   * while nobody listened are not seen).
   *
   * @param fn Called with each frame.
   * @returns Removes the listener.
   */
  subscribe(fn: WireListener): () => void {
    if (this.#listeners.size === 0) this.#readers.clear();
    this.#listeners.add(fn);
    return () => {
      this.#listeners.delete(fn);
      if (this.#listeners.size === 0) {
        this.#readers.clear();
        this.#garbage.clear();
      }
    };
  }

  /**
   * Bytes that crossed the wire: cut into frames. A chunk ends the other direction's
   * reception of the same origin (the bus is half duplex: a request ends the last answer).
   *
   * @param direction Which way they went.
   * @param origin Whose traffic it is.
   * @param chunk The bytes (not kept).
   * @param at When they crossed; default now.
   */
  bytes(
    direction: WireDirection,
    origin: WireOrigin,
    chunk: Uint8Array,
    at?: number,
  ): void {
    if (this.#listeners.size === 0 || chunk.length === 0) return;
    const time = at ?? this.#clock.now();
    this.end(direction === "tx" ? "rx" : "tx", origin, time);
    const key = `${origin}:${direction}`;
    let reader = this.#readers.get(key);
    if (!reader) {
      reader = new FrameReader();
      this.#readers.set(key, reader);
    }
    this.#emitAll(reader.push(chunk), direction, origin, time);
  }

  /**
   * A reception (or transmission) ended: bytes still held for an unfinished frame are told
   * as garbage (`TRUNCATED`), after any frame found behind a false start.
   *
   * @param direction Which stream ended.
   * @param origin Whose.
   * @param at When; default now.
   */
  end(direction: WireDirection, origin: WireOrigin, at?: number): void {
    if (this.#listeners.size === 0) return;
    const key = `${origin}:${direction}`;
    const reader = this.#readers.get(key);
    if (reader && reader.buffered > 0) {
      this.#emitAll(reader.flush(), direction, origin, at ?? this.#clock.now());
    }
    this.#flushGarbage(key);
  }

  /**
   * A wireless telegram heard on air.
   *
   * @param t The telegram and what became of it.
   */
  telegram(t: TappedTelegram): void {
    if (this.#listeners.size === 0) return;
    this.#emit({
      at: t.receivedAt,
      direction: "rx",
      origin: "radio",
      kind: "telegram",
      bytes: t.bytes.slice(),
      ...(t.rssi === undefined ? {} : { rssi: t.rssi }),
      ...(t.mode === undefined ? {} : { mode: t.mode }),
      ...(t.outcome === undefined ? {} : { outcome: t.outcome }),
      ...(t.outcomeCode === undefined ? {} : { outcomeCode: t.outcomeCode }),
      ...(t.driver === undefined ? {} : { driver: t.driver }),
    });
  }

  #emitAll(
    events: FrameEvent[],
    direction: WireDirection,
    origin: WireOrigin,
    at: number,
  ): void {
    const key = `${origin}:${direction}`;
    for (const e of events) {
      if (e.type === "frame") {
        this.#flushGarbage(key);
        this.#emit({ at, direction, origin, kind: "frame", bytes: e.bytes });
        continue;
      }
      const held = this.#garbage.get(key);
      this.#garbage.set(
        key,
        held ? { ...held, bytes: concatBytes(held.bytes, e.bytes) } : {
          at,
          direction,
          origin,
          kind: "garbage",
          bytes: e.bytes,
          error: e.reason,
        },
      );
      // Endless noise is told in pieces of at most this many bytes.
      if ((this.#garbage.get(key)?.bytes.length ?? 0) >= MAX_GARBAGE_RUN) {
        this.#flushGarbage(key);
      }
    }
  }

  /** Tells the garbage held for a stream, as one entry (time and error of its start). */
  #flushGarbage(key: string): void {
    const held = this.#garbage.get(key);
    if (!held) return;
    this.#garbage.delete(key);
    this.#emit(held);
  }

  #emit(frame: WireFrame): void {
    this.#frames++;
    for (const fn of [...this.#listeners]) {
      try {
        fn(frame);
      } catch {
        // A listener's fault is its own; the bus goes on.
      }
    }
  }
}

/**
 * A transport whose traffic goes to a {@link WireTap} (when one is attached and someone
 * listens): writes as `tx`, reads as `rx`, an empty read (silence) ends the reception.
 * Everything else is the inner transport's.
 */
export class TappedTransport implements Transport, WireTappable {
  readonly #inner: Transport;
  readonly #origin: WireOrigin;
  readonly #clock: Clock;
  #tap: WireTap | undefined;
  /** The inner transport's link, where it tracks one (TCP). */
  readonly linkStatus?: () => LinkStatus;
  /** Listens to the inner transport's link, where it tracks one. */
  readonly onLinkChange?: (fn: LinkListener) => () => void;

  /**
   * Wraps a transport.
   *
   * @param inner The real transport (closed when this one is).
   * @param origin Whose traffic goes through it.
   * @param clock Stamps writes at their start.
   * @param tap The tap, when known already.
   */
  constructor(
    inner: Transport,
    origin: WireOrigin,
    clock: Clock,
    tap?: WireTap,
  ) {
    this.#inner = inner;
    this.#origin = origin;
    this.#clock = clock;
    this.#tap = tap;
    if (inner.linkStatus) this.linkStatus = inner.linkStatus.bind(inner);
    if (inner.onLinkChange) this.onLinkChange = inner.onLinkChange.bind(inner);
  }

  /** Attaches (or detaches) the tap. @param tap The tap. */
  setWireTap(tap: WireTap | undefined): void {
    this.#tap = tap;
  }

  /** The inner transport's name. */
  get name(): string {
    return this.#inner.name;
  }
  /** The inner transport's baud rate. */
  get baudRate(): number {
    return this.#inner.baudRate;
  }
  /** The inner transport's counters. */
  get stats(): TransportStats {
    return this.#inner.stats;
  }

  /** Writes, then tells the tap. */
  async write(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    const tap = this.#tap;
    const at = tap?.listening ? this.#clock.now() : 0;
    await this.#inner.write(bytes, signal);
    if (tap?.listening) tap.bytes("tx", this.#origin, bytes, at);
  }

  /** Reads, then tells the tap (silence ends the reception). */
  async read(
    maxBytes: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    const got = await this.#inner.read(maxBytes, timeoutMs, signal);
    const tap = this.#tap;
    if (tap?.listening) {
      if (got.length === 0) tap.end("rx", this.#origin);
      else tap.bytes("rx", this.#origin, got);
    }
    return got;
  }

  /** Forwards. */
  purge(): Promise<number> {
    return this.#inner.purge();
  }
  /** Forwards. */
  setBaudRate(baudRate: number): Promise<void> {
    return this.#inner.setBaudRate(baudRate);
  }
  /** Closes the inner transport. */
  close(): Promise<void> {
    return this.#inner.close();
  }
  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
