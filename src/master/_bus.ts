/**
 * The master's use of the request engine: retries, the idle pause between operations, the
 * short gap inside one, FCB state per meter, and operations queued one after another.
 * Private to src/master.
 *
 * @module
 */
import {
  ADDRESS_NETWORK_LAYER,
  C_SND_NKE,
  C_SND_UD_FCB,
  CI_SELECT,
  type Frame,
  longFrame,
  shortFrame,
} from "../link/mod.ts";
import type { Transport } from "../transport/mod.ts";
import type { Clock } from "../util/mod.ts";
import { encodeSelectData, type SecondaryMask } from "./address.ts";
import { type Outcome, RequestEngine } from "./request_engine.ts";
import { frameGapMs, probeTimeoutMs } from "./timing.ts";

/** Settings of a {@link MasterBus}. */
export interface MasterBusOptions {
  transport: Transport;
  clock: Clock;
  requestTimeoutMs: number;
  idleTimeoutMs: number;
  retry: number;
  scanTimeoutMs: number | undefined;
  interCharTimeoutMs: number | undefined;
}

/** Per-send options. */
export interface SendOptions {
  /** Answer timeout; default the request timeout. */
  timeoutMs?: number;
  /** Whether several slaves may answer. @default false */
  mayCollide?: boolean;
  /** Retries on timeout or bad frame; default the master's `retry`. */
  retry?: number;
  /** False for broadcasts. @default true */
  expectAnswer?: boolean;
  /** Stop reading at a complete valid frame (one answerer only). @default false */
  stopAtFrame?: boolean;
  /** Cancels. */
  signal?: AbortSignal | undefined;
}

/** The last outcome of a send and how many requests it took. */
export interface SendResult {
  outcome: Outcome;
  attempts: number;
}

/** What a select telegram found. */
export type SelectResult = "none" | "one" | "collision";

/** Retries, pauses, FCB and the operation queue over a {@link RequestEngine}. */
export class MasterBus {
  readonly engine: RequestEngine;
  readonly clock: Clock;
  readonly options: MasterBusOptions;
  #fcb = new Map<string, boolean>();
  /** Meters whose FCB state the master knows: reset by us, read by us since. */
  #fcbKnown = new Set<string>();
  #firstOfOperation = true;
  #operations: Promise<unknown> = Promise.resolve();

  constructor(options: MasterBusOptions) {
    this.options = options;
    this.clock = options.clock;
    this.engine = new RequestEngine({
      transport: options.transport,
      clock: options.clock,
      ...(options.interCharTimeoutMs === undefined
        ? {}
        : { interCharTimeoutMs: options.interCharTimeoutMs }),
    });
  }

  /** Answer timeout of a scan probe at the current baud rate. */
  get scanTimeoutMs(): number {
    return this.options.scanTimeoutMs ??
      probeTimeoutMs(this.engine.transport.baudRate);
  }

  /** Runs `fn` as one operation: after the previous one, with the idle pause first. */
  operation<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#operations.then(() => {
      this.#firstOfOperation = true;
      return fn();
    });
    this.#operations = run.catch(() => {});
    return run;
  }

  /** Sends a frame, retrying a timeout or a bad frame with the same bytes (same FCB). */
  async send(frame: Frame, options: SendOptions = {}): Promise<SendResult> {
    const retry = options.retry ?? this.options.retry;
    let attempts = 0;
    for (;;) {
      // The line stays idle at least the frame gap (33 bit times) before any request, also
      // between operations with an idle pause of 0 (a readout stops at its answer's last
      // byte, without a trailing listen).
      const frameGap = frameGapMs(this.engine.transport.baudRate);
      const gapMs = this.#firstOfOperation
        ? Math.max(this.options.idleTimeoutMs, frameGap)
        : frameGap;
      this.#firstOfOperation = false;
      attempts++;
      const outcome = await this.engine.request(frame, {
        timeoutMs: options.timeoutMs ?? this.options.requestTimeoutMs,
        gapMs,
        mayCollide: options.mayCollide ?? false,
        expectAnswer: options.expectAnswer ?? true,
        stopAtFrame: options.stopAtFrame ?? false,
        signal: options.signal,
      });
      const again = outcome.kind === "timeout" || outcome.kind === "badFrame";
      if (!again || attempts > retry || options.expectAnswer === false) {
        return { outcome, attempts };
      }
      this.engine.stats.retries++;
    }
  }

  /** The FCB to use next for a meter (true after a link reset, as libmbus starts). */
  nextFcb(key: string): boolean {
    return this.#fcb.get(key) ?? true;
  }

  /** Records that an exchange with FCB `used` succeeded: the next one toggles. */
  fcbAnswered(key: string, used: boolean): void {
    this.#fcb.set(key, !used);
  }

  /** A SND_NKE reset the meter's FCB state: from now on the master knows it. */
  fcbReset(key: string): void {
    this.#fcb.delete(key);
    this.#fcbKnown.add(key);
  }

  /** Whether the meter's FCB state is known (a REQ_UD2 with the next FCB gets new data). */
  isFcbKnown(key: string): boolean {
    return this.#fcbKnown.has(key);
  }

  /** The meter's FCB state is no longer known (error, multi-telegram, foreign traffic). */
  fcbLost(key: string): void {
    this.#fcb.delete(key);
    this.#fcbKnown.delete(key);
  }

  /** Forgets the FCB state of every meter: each needs a SND_NKE before its next read. */
  forgetFcbState(): void {
    this.#fcb.clear();
    this.#fcbKnown.clear();
  }

  /** SND_NKE to an address; true when acknowledged. */
  async linkReset(
    address: number,
    key: string,
    options: SendOptions = {},
  ): Promise<SendResult> {
    const r = await this.send(shortFrame(C_SND_NKE, address), options);
    if (r.outcome.kind === "answer" && r.outcome.frame.type === "ack") {
      this.fcbReset(key);
    }
    return r;
  }

  /** One select telegram (CI 52 to 253) and its classification. */
  async select(
    mask: SecondaryMask,
    options: SendOptions = {},
  ): Promise<{ result: SelectResult; attempts: number }> {
    const frame = longFrame(
      C_SND_UD_FCB,
      ADDRESS_NETWORK_LAYER,
      CI_SELECT,
      encodeSelectData(mask),
    );
    const { outcome, attempts } = await this.send(frame, {
      mayCollide: true,
      ...options,
    });
    switch (outcome.kind) {
      case "timeout":
        return { result: "none", attempts };
      case "answer":
        return {
          result: outcome.frame.type === "ack" ? "one" : "collision",
          attempts,
        };
      default:
        return { result: "collision", attempts };
    }
  }
}
