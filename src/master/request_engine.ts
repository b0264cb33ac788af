/**
 * One request on the bus at a time: pause, purge, send, then read the answer the way
 * mbus-wired.md §1.3 asks (first byte within the answer timeout, then incrementally with an
 * inter-character timeout, asking the frame parser how many bytes are missing, then a
 * short listen for trailing bytes, which a request that only one slave can answer skips once
 * a valid frame is complete). Every outcome is typed and counted.
 *
 * @module
 */
import {
  bytesNeeded,
  classifyReception,
  decodeFrame,
  encodeFrame,
  type Frame,
  MAX_FRAME_LENGTH,
} from "../link/mod.ts";
import { type Transport, wireTimeMs } from "../transport/mod.ts";
import type { Clock } from "../util/mod.ts";

/**
 * Longest gap tolerated inside a frame that only one slave can be sending, ms. USB and TCP
 * converters deliver in bursts, and a busy host reads late (mbus-wired.md §1.3: libmbus
 * waits 0.2–1.3 s); at 50 ms a gateway on a loaded machine cut good answers in two.
 * Collisions and the listen for trailing bytes keep the inter-character timeout.
 */
export const FRAME_GAP_MS = 300;

/** Counters of a master. */
export interface MasterStats {
  /** Request frames sent (including retries and probes). */
  requests: number;
  /** Answers that were exactly one valid frame. */
  answers: number;
  /** Requests that got no answer. */
  timeouts: number;
  /** Answers garbled by several slaves answering at once. */
  collisions: number;
  /** Answers that were not one valid frame where only one slave could answer. */
  badFrames: number;
  /** Requests repeated after a timeout or a bad frame. */
  retries: number;
  /** Milliseconds the bus was busy with our requests and their answers. */
  busyMs: number;
}

/** The outcome of one request. */
export type Outcome =
  | { kind: "answer"; frame: Frame }
  | { kind: "timeout" }
  | { kind: "collision"; bytes: Uint8Array }
  | { kind: "badFrame"; bytes: Uint8Array };

/** Per-request options of {@link RequestEngine.request}. */
export interface RequestOptions {
  /** Longest wait for the first answer byte after the request left, ms. */
  timeoutMs: number;
  /** Pause since the end of the previous exchange before sending, ms. */
  gapMs: number;
  /** Whether several slaves may answer (garbage is then a collision). */
  mayCollide: boolean;
  /** False for broadcasts to 255: nothing is read. @default true */
  expectAnswer?: boolean;
  /**
   * Stop reading as soon as one complete, valid frame has arrived (length, checksum and
   * stop byte right) instead of listening an inter-character timeout for trailing bytes.
   * Only for requests that one slave alone can answer; bytes left on the line are purged
   * before the next request. Ignored when `mayCollide`. @default false
   */
  stopAtFrame?: boolean;
  /** Cancels the request. */
  signal?: AbortSignal | undefined;
}

/** Settings of a {@link RequestEngine}. */
export interface RequestEngineOptions {
  /** The bus. */
  transport: Transport;
  /** Time source. */
  clock: Clock;
  /**
   * Gap allowed between two answer bytes, ms. @default max(50, 10 character times); inside a
   * frame only one slave sends, at least {@link FRAME_GAP_MS} unless this is given
   */
  interCharTimeoutMs?: number;
}

/**
 * Sends requests and reads answers over a {@link Transport}, one at a time.
 */
export class RequestEngine {
  readonly stats: MasterStats = {
    requests: 0,
    answers: 0,
    timeouts: 0,
    collisions: 0,
    badFrames: 0,
    retries: 0,
    busyMs: 0,
  };
  readonly #transport: Transport;
  readonly #clock: Clock;
  readonly #interCharMs: number | undefined;
  #lastEnd = -Infinity;
  #queue: Promise<unknown> = Promise.resolve();

  /** @param options Transport, clock, inter-character timeout. */
  constructor(options: RequestEngineOptions) {
    this.#transport = options.transport;
    this.#clock = options.clock;
    this.#interCharMs = options.interCharTimeoutMs;
  }

  /** The transport. */
  get transport(): Transport {
    return this.#transport;
  }

  /** Inter-character timeout at the current baud rate, ms. */
  get interCharTimeoutMs(): number {
    return this.#interCharMs ??
      Math.max(50, Math.ceil(wireTimeMs(10, this.#transport.baudRate)));
  }

  /**
   * Sends one frame and reads its answer; requests queue behind each other.
   *
   * @param frame The request.
   * @param options Timeouts and context.
   * @returns The typed outcome.
   */
  request(frame: Frame, options: RequestOptions): Promise<Outcome> {
    const run = this.#queue.then(() => this.#exchange(frame, options));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #exchange(frame: Frame, options: RequestOptions): Promise<Outcome> {
    const { signal } = options;
    signal?.throwIfAborted();
    const wait = this.#lastEnd + options.gapMs - this.#clock.now();
    if (wait > 0) await this.#clock.sleep(wait, signal);
    await this.#transport.purge();
    const bytes = encodeFrame(frame);
    const start = this.#clock.now();
    try {
      await this.#transport.write(bytes, signal);
      // Counted once on the wire: a write that fails (converter down) sent nothing.
      this.stats.requests++;
      const sendMs = wireTimeMs(bytes.length, this.#transport.baudRate);
      if (options.expectAnswer === false) {
        await this.#clock.sleep(sendMs, signal);
        return { kind: "timeout" };
      }
      const stopAtFrame = options.stopAtFrame === true && !options.mayCollide;
      const rx = await this.#receive(
        bytes,
        sendMs + options.timeoutMs,
        stopAtFrame,
        options.mayCollide || this.#interCharMs !== undefined
          ? this.interCharTimeoutMs
          : Math.max(this.interCharTimeoutMs, FRAME_GAP_MS),
        signal,
      );
      return this.#classify(rx, bytes, options.mayCollide);
    } finally {
      this.#lastEnd = this.#clock.now();
      this.stats.busyMs += this.#lastEnd - start;
    }
  }

  #classify(rx: Uint8Array, sent: Uint8Array, mayCollide: boolean): Outcome {
    const r = classifyReception(rx, { echo: sent });
    if (r.kind === "none") {
      this.stats.timeouts++;
      return { kind: "timeout" };
    }
    if (r.kind === "frame") {
      this.stats.answers++;
      return { kind: "answer", frame: r.frame };
    }
    // A valid frame followed by more bytes is two slaves answering (§1.4).
    if (mayCollide || r.frame !== undefined) {
      this.stats.collisions++;
      return { kind: "collision", bytes: r.bytes };
    }
    this.stats.badFrames++;
    return { kind: "badFrame", bytes: r.bytes };
  }

  /**
   * Reads one answer window: first byte, the rest of the frame (gaps up to `gapMs`), then
   * trailing bytes (not with `stopAtFrame` once the frame is valid).
   */
  async #receive(
    sent: Uint8Array,
    firstTimeoutMs: number,
    stopAtFrame: boolean,
    gapMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    const interMs = this.interCharTimeoutMs;
    const chunks: Uint8Array[] = [];
    let buf: Uint8Array = new Uint8Array(0);
    let offset = 0; // length of an echoed request at the start
    const limit = 4 * MAX_FRAME_LENGTH;
    while (buf.length < limit) {
      const needed = bytesNeeded(buf.subarray(offset));
      // Complete or hopeless: keep listening only for trailing bytes.
      const want = needed > 0 ? needed : limit - buf.length;
      const chunk = await this.#transport.read(
        want,
        buf.length === offset ? firstTimeoutMs : needed > 0 ? gapMs : interMs,
        signal,
      );
      if (chunk.length === 0) break;
      chunks.push(chunk);
      buf = concat(chunks);
      if (
        offset === 0 && buf.length === sent.length && startsWith(buf, sent)
      ) {
        offset = sent.length; // a converter echoed our request
      } else if (stopAtFrame && isValidFrame(buf.subarray(offset))) break;
    }
    return buf;
  }
}

function isValidFrame(bytes: Uint8Array): boolean {
  return decodeFrame(bytes).ok;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] ?? new Uint8Array(0);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((b, i) => bytes[i] === b);
}
