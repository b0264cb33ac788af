/**
 * One master connected through a byte stream (a TCP client, a pseudo-terminal): requests
 * go to the bus, answers go back, either at once (fast mode) or paced at the times the
 * wire would deliver them (real-time mode).
 *
 * @module
 */
import { wireTimeMs } from "../../src/transport/mod.ts";
import type { Clock } from "../../src/util/mod.ts";
import type { VirtualBus } from "../virtual_bus.ts";
import type { TimedBytes } from "../wired_and.ts";
import { withEcho } from "./_echo.ts";
import { LineTimeline } from "./_line_timeline.ts";

/** The master's side of a byte stream. */
export interface ByteStream {
  /** Next bytes from the master: empty when nothing came for a while, null at its end. */
  read(signal: AbortSignal): Promise<Uint8Array | null>;
  /** Bytes to the master. */
  write(bytes: Uint8Array): Promise<void>;
}

/** Options of {@link runStreamSession}. */
export interface StreamSessionOptions {
  /** Clock for pacing and bus time. */
  clock: Clock;
  /** Pace answers at the wire's speed. */
  realtime: boolean;
  /** After an acknowledged baud switch, the line follows (the master switched its port). */
  followBaudSwitch: boolean;
  /** Hand the master its own bytes back before the answer. */
  echo: boolean;
}

class OutputPacer {
  readonly #write: (b: Uint8Array) => Promise<void>;
  readonly #clock: Clock;
  readonly #signal: AbortSignal;
  #bytes: number[] = [];
  #times: number[] = [];
  #running: Promise<void> = Promise.resolve();
  #active = false;

  constructor(
    write: (b: Uint8Array) => Promise<void>,
    clock: Clock,
    signal: AbortSignal,
  ) {
    this.#write = write;
    this.#clock = clock;
    this.#signal = signal;
  }

  push(reply: TimedBytes): void {
    reply.bytes.forEach((b, i) => {
      this.#bytes.push(b);
      this.#times.push(reply.times[i] ?? 0);
    });
    if (!this.#active && this.#bytes.length > 0) {
      this.#active = true;
      // A write to a master that hung up ends the pacing quietly, not as an unhandled rejection.
      this.#running = this.#run().catch(() => {});
    }
  }

  async #run(): Promise<void> {
    // The flag drops in the same tick as the loop sees no bytes left: a push that comes
    // later starts a new run (clearing it in a later .finally() lost bytes pushed between).
    try {
      while (this.#bytes.length > 0 && !this.#signal.aborted) {
        const wait = (this.#times[0] ?? 0) - this.#clock.now();
        if (wait > 0) await this.#clock.sleep(wait, this.#signal);
        const now = this.#clock.now();
        let n = 0;
        while (n < this.#times.length && (this.#times[n] ?? 0) <= now) n++;
        this.#times.splice(0, n);
        await this.#write(Uint8Array.from(this.#bytes.splice(0, n)));
      }
    } finally {
      this.#active = false;
    }
  }

  settle(): Promise<void> {
    return this.#running.catch(() => {});
  }
}

/**
 * Serves one master until its stream ends or `signal` aborts. Errors of the stream end the
 * session quietly (a client that hangs up is normal).
 *
 * @param bus The bus.
 * @param stream The master's stream.
 * @param options Clock, pacing and baud handling.
 * @param signal Ends the session.
 */
export async function runStreamSession(
  bus: VirtualBus,
  stream: ByteStream,
  options: StreamSessionOptions,
  signal: AbortSignal,
): Promise<void> {
  const { clock } = options;
  const timeline = new LineTimeline(options.realtime);
  const pacer = new OutputPacer((b) => stream.write(b), clock, signal);
  const detach = bus.attachEndpoint({
    inject: (bytes) => {
      const now = clock.now();
      pacer.push({
        bytes,
        times: Float64Array.from(
          bytes,
          (_, i) =>
            options.realtime ? now + wireTimeMs(i + 1, bus.baudRate) : now,
        ),
      });
    },
  });
  try {
    while (!signal.aborted) {
      const chunk = await stream.read(signal);
      if (chunk === null) break;
      if (chunk.length === 0) continue;
      const now = clock.now();
      const start = timeline.requestStart(now);
      const answer = bus.transmit(chunk, start);
      const reply = options.echo
        ? withEcho(chunk, start, bus.baudRate, answer)
        : answer;
      const end = start + wireTimeMs(chunk.length, bus.baudRate);
      timeline.record(now, end, reply.times[reply.times.length - 1] ?? end);
      if (options.followBaudSwitch && answer.baudSwitchTo !== undefined) {
        bus.baudRate = answer.baudSwitchTo;
      }
      if (options.realtime) pacer.push(reply);
      else if (reply.bytes.length > 0) await stream.write(reply.bytes);
    }
  } catch {
    // The client went away or the session was aborted: both end the session.
  } finally {
    detach();
    await pacer.settle();
    bus.noteWaitEnd(timeline.toBus(clock.now()));
  }
}
