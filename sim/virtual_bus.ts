/**
 * The virtual wired bus: every request reaches every slave at the bus's baud rate;
 * simultaneous answers merge into a collision (wired-AND, see {@link mergeAnswers}); and
 * everything that crosses the wire is counted ({@link BusStats}).
 *
 * @module
 */
import {
  ADDRESS_BROADCAST_NO_REPLY,
  C_REQ_UD1,
  C_REQ_UD1_FCB,
  C_REQ_UD2,
  C_REQ_UD2_FCB,
  C_SND_NKE,
  C_SND_UD,
  C_SND_UD_FCB,
  CI_SELECT,
  type Frame,
  FrameReader,
} from "../src/link/mod.ts";
import {
  type BusStats,
  BusStatsRecorder,
  type RequestCounts,
} from "./bus_stats.ts";
import {
  BusMonitor,
  type BusMonitorOptions,
  type InjectionTarget,
} from "./bus_monitor.ts";
import type { VirtualSlave } from "./virtual_slave.ts";
import { mergeAnswers, type Transmission } from "./wired_and.ts";
import {
  InProcessEndpoint,
  type InProcessEndpointOptions,
} from "./endpoints/in_process.ts";
import type { BusPort, BusReply } from "./bus_port.ts";

export type { BusReply };

/** Options of a {@link VirtualBus}. */
export interface VirtualBusOptions {
  /** Line speed of the master side. @default 2400 */
  baudRate?: number;
  /** Cap on one silent wait or turnaround in the statistics, ms. @default 10000 */
  maxWaitMs?: number;
  /** An idle gap longer than this inside a request makes slaves drop the partial frame, ms. @default 500 */
  interCharTimeoutMs?: number;
}

function requestKind(
  frame: Exclude<Frame, { type: "ack" }>,
): keyof RequestCounts {
  const c = frame.c;
  if (frame.type === "short") {
    if (c === C_SND_NKE) return "sndNke";
    if (c === C_REQ_UD2 || c === C_REQ_UD2_FCB) return "reqUd2";
    if (c === C_REQ_UD1 || c === C_REQ_UD1_FCB) return "reqUd1";
    return "other";
  }
  if (c !== C_SND_UD && c !== C_SND_UD_FCB) return "other";
  return frame.ci === CI_SELECT ? "select" : "sndUd";
}

/**
 * A virtual M-Bus with its slaves.
 *
 * @example
 * ```ts
 * import { VirtualBus, VirtualSlave } from "./mod.ts";
 * const bus = new VirtualBus();
 * bus.addSlave(new VirtualSlave({ id: "12345678", manufacturer: "KAM", version: 1, medium: 4, primaryAddress: 5 }));
 * const heard = bus.transmit(Uint8Array.of(0x10, 0x40, 0x05, 0x45, 0x16), 0); // e5 after the answer delay
 * ```
 */
export class VirtualBus implements BusPort {
  readonly #slaves: VirtualSlave[] = [];
  readonly #reader = new FrameReader();
  readonly #stats: BusStatsRecorder;
  readonly #interCharTimeoutMs: number;
  readonly #monitors = new Set<BusMonitor>();
  readonly #endpoints = new Set<InjectionTarget>();
  #baudRate: number;
  #lastByteAt = -Infinity;

  /**
   * Creates an empty bus.
   *
   * @param options Speed and statistics settings.
   */
  constructor(options: VirtualBusOptions = {}) {
    this.#baudRate = options.baudRate ?? 2400;
    this.#stats = new BusStatsRecorder(options.maxWaitMs ?? 10_000);
    this.#interCharTimeoutMs = options.interCharTimeoutMs ?? 500;
  }

  /** The master side's line speed; a slave hears only requests sent at its own rate. */
  get baudRate(): number {
    return this.#baudRate;
  }
  set baudRate(baudRate: number) {
    this.#baudRate = baudRate;
  }

  /** The slaves, in the order they were added. */
  get slaves(): readonly VirtualSlave[] {
    return this.#slaves;
  }

  /**
   * Attaches a slave (once).
   *
   * @param slave The slave.
   * @returns The slave.
   */
  addSlave(slave: VirtualSlave): VirtualSlave {
    if (!this.#slaves.includes(slave)) this.#slaves.push(slave);
    return slave;
  }

  /**
   * Detaches a slave.
   *
   * @param slave The slave.
   * @returns True when it was on the bus.
   */
  removeSlave(slave: VirtualSlave): boolean {
    const i = this.#slaves.indexOf(slave);
    if (i < 0) return false;
    this.#slaves.splice(i, 1);
    return true;
  }

  /**
   * Opens an in-process endpoint: a {@link Transport} whose bytes go to this bus.
   *
   * @param options Clock and pacing.
   * @returns The endpoint (close it when done).
   */
  connect(options: InProcessEndpointOptions = {}): InProcessEndpoint {
    return new InProcessEndpoint(this, options);
  }

  /**
   * Puts master bytes on the wire starting at `atMs` at {@link baudRate}, lets each
   * complete frame reach every slave, and returns what the master receives, timed.
   *
   * @param bytes Bytes from the master (any chunking; partial frames are kept).
   * @param atMs When the first byte starts.
   * @returns The answer bytes with the time each one completes.
   */
  transmit(bytes: Uint8Array, atMs: number): BusReply {
    const baud = this.#baudRate;
    const charMs = 11_000 / baud;
    if (atMs - this.#lastByteAt > this.#interCharTimeoutMs) {
      this.#reader.reset();
    }
    this.#stats.masterBytes(atMs, bytes.length, charMs);
    this.#lastByteAt = atMs + bytes.length * charMs;
    for (const m of this.#monitors) m.hear(bytes);
    let end = -this.#reader.buffered;
    const all: Transmission[] = [];
    let baudSwitchTo: number | undefined;
    for (const event of this.#reader.push(bytes)) {
      end += event.bytes.length;
      if (event.type === "garbage") {
        this.#stats.garbage(event.bytes.length);
        continue;
      }
      const frame = event.frame;
      if (frame.type === "ack") continue; // an echo of a slave's ACK is not a request
      const before = this.#slaves.map((sl) => sl.baudRate);
      all.push(...this.#deliver(frame, atMs + end * charMs, baud));
      this.#slaves.forEach((sl, i) => {
        if (sl.baudRate !== before[i]) baudSwitchTo = sl.baudRate;
      });
    }
    const merged: BusReply = mergeAnswers(all, baud);
    if (baudSwitchTo !== undefined) merged.baudSwitchTo = baudSwitchTo;
    return merged;
  }

  #deliver(
    frame: Exclude<Frame, { type: "ack" }>,
    endMs: number,
    baud: number,
  ): Transmission[] {
    const broadcast = frame.a === ADDRESS_BROADCAST_NO_REPLY;
    this.#stats.request(requestKind(frame), broadcast);
    const answers: Transmission[] = [];
    for (const slave of this.#slaves) {
      const answer = slave.receive(frame, baud);
      if (answer) {
        answers.push({ startMs: endMs + answer.delayMs, bytes: answer.bytes });
      }
    }
    if (answers.length === 0) {
      if (!broadcast) this.#stats.silent(endMs);
      return answers;
    }
    const merged = mergeAnswers(answers, baud);
    const first = Math.min(...answers.map((a) => a.startMs));
    const last = merged.times[merged.times.length - 1] ?? first;
    this.#stats.answered(
      endMs,
      first,
      last,
      answers.length,
      merged.bytes.length,
    );
    return answers;
  }

  /**
   * Attaches a wire monitor: it hears every master byte and injects bytes to the master.
   *
   * @param options Clock for its read timeouts.
   * @returns The monitor (close it to detach).
   */
  monitor(options: BusMonitorOptions = {}): BusMonitor {
    const m = new BusMonitor(
      () => this.#endpoints,
      (x) => this.#monitors.delete(x),
      options,
    );
    this.#monitors.add(m);
    return m;
  }

  /**
   * Registers an endpoint for bytes injected by monitors.
   *
   * @param target The endpoint.
   * @returns A function that unregisters it.
   */
  attachEndpoint(target: InjectionTarget): () => void {
    this.#endpoints.add(target);
    return () => this.#endpoints.delete(target);
  }

  /**
   * Tells the bus that the master gave up waiting (a read timed out), so a silent probe's
   * cost ends here rather than at the next request.
   *
   * @param atMs When the wait ended.
   */
  noteWaitEnd(atMs: number): void {
    this.#stats.closeWait(atMs, true);
  }

  /**
   * Reads the statistics (see {@link BusStats} for the definition of bus time).
   *
   * @returns A copy, with every meter's current addresses.
   */
  stats(): BusStats {
    return this.#stats.snapshot(
      this.#baudRate,
      this.#slaves.map((s) => s.summary()),
    );
  }

  /** Zeroes the counters (meters stay as they are). */
  resetStats(): void {
    this.#stats.reset();
  }
}
