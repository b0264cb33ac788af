/**
 * Faults on request for the simulator's TCP and pseudo-terminal endpoints, to test how a
 * master (ours or a third party's) copes and how fast it recovers:
 *
 * - `drop`: the next answer is cut in the middle and the connection dropped (TCP); on a
 *   pseudo-terminal the rest of the answer is lost (a converter unplugged mid-frame);
 * - `stall MS`: answers are held for MS (a converter whose buffer stalls), then delivered;
 * - `refuse MS`: TCP drops the client and stops listening for MS (connections are
 *   refused), then listens on the same port again; a pseudo-terminal ignores what it
 *   hears for MS (a converter without power);
 * - `garbage N`: N noise bytes (never 0x10, 0x68, 0xE5) go ahead of the next answer;
 * - `slow MS [GAP]`: for MS every answer byte is written alone, GAP ms apart (default 20);
 * - `silence ADDRESS MS`: the meter at that primary address hears nothing for MS.
 *
 * Each fault is logged with its start and end (ms of the endpoint's clock) and reported
 * to listeners, so a test or the soak can measure recovery from the end of a fault. The
 * same words are the lines of the `mbusgw sim --faults` control channel (stdin).
 *
 * @module
 */
import { type Clock, ConfigError } from "../../src/util/mod.ts";
import type { VirtualSlave } from "../virtual_slave.ts";
import type { ByteStream } from "./_stream_session.ts";

/** The kinds of fault. */
export const FAULT_KINDS = [
  "drop",
  "stall",
  "refuse",
  "garbage",
  "slow",
  "silence",
] as const;
/** One kind of fault. */
export type FaultKind = typeof FAULT_KINDS[number];

/** A fault injected (and, once `endedAt` is set, over). */
export interface FaultEvent {
  /** Its kind. */
  kind: FaultKind;
  /** When it was asked for (clock ms). */
  at: number;
  /** When it ended: for drop/garbage when the damaged answer went out, else at the end of its time. */
  endedAt?: number;
  /** Duration asked, ms (stall, refuse, slow, silence). */
  ms?: number;
  /** Meter address (silence) or byte count (garbage). */
  detail?: number;
}

/** A parsed control line. */
export type FaultCommand =
  | { kind: "drop" }
  | { kind: "stall" | "refuse"; ms: number }
  | { kind: "garbage"; bytes: number }
  | { kind: "slow"; ms: number; gapMs: number }
  | { kind: "silence"; address: number; ms: number };

const MAX_MS = 3_600_000;

function int(
  text: string | undefined,
  what: string,
  min: number,
  max: number,
): number {
  const n = Number(text);
  if (text === undefined || !/^[0-9]+$/.test(text) || n < min || n > max) {
    throw new ConfigError(
      "fault",
      `Invalid ${what} "${
        text ?? ""
      }": expected an integer from ${min} to ${max}`,
    );
  }
  return n;
}

/**
 * Parses one control line (`stall 2000`, `silence 3 10000`, …).
 *
 * @param line The line.
 * @returns The command.
 * @throws {ConfigError} For an unknown fault or a bad number.
 */
export function parseFaultCommand(line: string): FaultCommand {
  const [word = "", a, b, ...rest] = line.trim().split(/\s+/);
  const kind = word.toLowerCase();
  const arity: Record<string, [number, number]> = {
    drop: [0, 0],
    stall: [1, 1],
    refuse: [1, 1],
    garbage: [0, 1],
    slow: [1, 2],
    silence: [2, 2],
  };
  const [min, max] = arity[kind] ?? [-1, -1];
  const n = [a, b].filter((x) => x !== undefined).length + rest.length;
  if (min < 0) {
    throw new ConfigError(
      "fault",
      `Unknown fault "${word}": expected one of ${FAULT_KINDS.join(", ")}`,
    );
  }
  if (n < min || n > max) {
    throw new ConfigError(
      "fault",
      `Fault "${kind}" takes ${min}..${max} numbers, got ${n}`,
    );
  }
  switch (kind) {
    case "drop":
      return { kind };
    case "stall":
    case "refuse":
      return { kind, ms: int(a, `${kind} time`, 1, MAX_MS) };
    case "garbage":
      return {
        kind,
        bytes: a === undefined ? 16 : int(a, "byte count", 1, 4096),
      };
    case "slow":
      return {
        kind,
        ms: int(a, "slow time", 1, MAX_MS),
        gapMs: b === undefined ? 20 : int(b, "byte gap", 1, 10_000),
      };
    default:
      return {
        kind: "silence",
        address: int(a, "address", 0, 250),
        ms: int(b, "silence time", 1, MAX_MS),
      };
  }
}

/** Bytes that can never start an M-Bus answer. */
const NOISE = Uint8Array.from(
  Array.from({ length: 256 }, (_, i) => i).filter((b) =>
    b !== 0x10 && b !== 0x68 && b !== 0xe5
  ),
);

/** Injects faults into the streams of one endpoint. */
export class FaultInjector {
  readonly #clock: Clock;
  readonly #slaves: () => readonly VirtualSlave[];
  readonly #stop = new AbortController();
  readonly #log: FaultEvent[] = [];
  readonly #listeners = new Set<(e: FaultEvent) => void>();
  #drop: FaultEvent | null = null;
  #garbage: FaultEvent | null = null;
  #stallUntil = 0;
  #refuseUntil = 0;
  #slowUntil = 0;
  #slowGapMs = 20;
  #noise = 0x5a;
  #timers = new Set<Promise<void>>();

  /**
   * @param clock Clock of the fault times.
   * @param slaves The bus's slaves (for `silence`).
   */
  constructor(clock: Clock, slaves: () => readonly VirtualSlave[] = () => []) {
    this.#clock = clock;
    this.#slaves = slaves;
  }

  /** Every fault injected so far, in order. */
  get log(): readonly FaultEvent[] {
    return this.#log;
  }
  /** True while `refuse` holds. */
  get refusing(): boolean {
    return this.#clock.now() < this.#refuseUntil;
  }

  /**
   * Calls `listener` when a fault starts and again when it ends (`endedAt` set).
   *
   * @param listener The listener.
   * @returns Removes it.
   */
  onFault(listener: (e: FaultEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Cuts the next answer in the middle and drops the connection. @returns The event. */
  dropMidFrame(): FaultEvent {
    this.#drop = this.#start({ kind: "drop" });
    return this.#drop;
  }
  /** Holds answers for `ms`. @param ms Duration. @returns The event. */
  stall(ms: number): FaultEvent {
    this.#stallUntil = this.#clock.now() + ms;
    return this.#timed({ kind: "stall", ms });
  }
  /** Refuses the line for `ms` (TCP: drops the client, refuses connections). @param ms Duration. @returns The event. */
  refuse(ms: number): FaultEvent {
    this.#refuseUntil = this.#clock.now() + ms;
    return this.#timed({ kind: "refuse", ms });
  }
  /** Puts `bytes` noise bytes ahead of the next answer. @param bytes Count. @returns The event. */
  garbage(bytes = 16): FaultEvent {
    this.#garbage = this.#start({ kind: "garbage", detail: bytes });
    return this.#garbage;
  }
  /** Writes answers byte by byte, `gapMs` apart, for `ms`. @param ms Duration. @param gapMs Gap. @returns The event. */
  slowBytes(ms: number, gapMs = 20): FaultEvent {
    this.#slowUntil = this.#clock.now() + ms;
    this.#slowGapMs = gapMs;
    return this.#timed({ kind: "slow", ms });
  }
  /**
   * Mutes the meter(s) at a primary address for `ms`.
   *
   * @param address Primary address.
   * @param ms Duration.
   * @returns The event.
   * @throws {ConfigError} When no meter has that address.
   */
  silence(address: number, ms: number): FaultEvent {
    const muted = this.#slaves().filter((s) => s.primaryAddress === address);
    if (muted.length === 0) {
      throw new ConfigError(
        "fault",
        `No meter at primary address ${address} to silence`,
      );
    }
    for (const s of muted) s.muted = true;
    return this.#timed({ kind: "silence", ms, detail: address }, () => {
      for (const s of muted) s.muted = false;
    });
  }

  /**
   * Applies a parsed control line.
   *
   * @param c The command.
   * @returns The event.
   */
  apply(c: FaultCommand): FaultEvent {
    switch (c.kind) {
      case "drop":
        return this.dropMidFrame();
      case "stall":
        return this.stall(c.ms);
      case "refuse":
        return this.refuse(c.ms);
      case "garbage":
        return this.garbage(c.bytes);
      case "slow":
        return this.slowBytes(c.ms, c.gapMs);
      case "silence":
        return this.silence(c.address, c.ms);
    }
  }

  /**
   * Wraps a master's stream so that the faults act on it.
   *
   * @param stream The stream.
   * @param drop Drops the connection (TCP); absent on a pseudo-terminal.
   * @returns The faulty stream.
   */
  wrap(stream: ByteStream, drop?: () => void): ByteStream {
    const signal = this.#stop.signal;
    return {
      read: async (s) => {
        const chunk = await stream.read(s);
        if (chunk !== null && this.refusing) return new Uint8Array(0);
        return chunk;
      },
      write: async (bytes) => {
        let out = bytes;
        const garbage = this.#garbage;
        if (garbage) {
          this.#garbage = null;
          out = new Uint8Array(garbage.detail ?? 0).map(() =>
            this.#nextNoise()
          );
          out = concat(out, bytes);
          this.#end(garbage);
        }
        const cut = this.#drop;
        if (cut) {
          this.#drop = null;
          out = out.subarray(0, Math.max(1, out.length >> 1));
        }
        const wait = this.#stallUntil - this.#clock.now();
        if (wait > 0) await this.#clock.sleep(wait, signal);
        if (this.#clock.now() < this.#slowUntil) {
          for (let i = 0; i < out.length; i++) {
            if (i > 0) await this.#clock.sleep(this.#slowGapMs, signal);
            await stream.write(out.subarray(i, i + 1));
          }
        } else {
          await stream.write(out);
        }
        if (cut) {
          this.#end(cut);
          drop?.();
        }
      },
    };
  }

  /** Stops pending fault timers (muted meters are unmuted). Idempotent. */
  async close(): Promise<void> {
    this.#stop.abort();
    await Promise.all(this.#timers);
  }

  #nextNoise(): number {
    this.#noise = (this.#noise * 1103515245 + 12345) >>> 0;
    return NOISE[(this.#noise >>> 16) % NOISE.length] ?? 0;
  }

  #start(e: Omit<FaultEvent, "at">): FaultEvent {
    const event: FaultEvent = { ...e, at: this.#clock.now() };
    this.#log.push(event);
    for (const l of this.#listeners) l(event);
    return event;
  }

  #end(e: FaultEvent): void {
    e.endedAt = this.#clock.now();
    for (const l of this.#listeners) l(e);
  }

  #timed(e: Omit<FaultEvent, "at">, after?: () => void): FaultEvent {
    const event = this.#start(e);
    const timer = this.#clock.sleep(e.ms ?? 0, this.#stop.signal).catch(
      () => {},
    )
      .finally(() => {
        after?.();
        this.#end(event);
        this.#timers.delete(timer);
      });
    this.#timers.add(timer);
    return event;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
