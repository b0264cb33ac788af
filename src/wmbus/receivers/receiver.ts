/**
 * A receiver: a dongle codec over a {@link Transport}, yielding telegrams as an async
 * iterable. It sets the link mode after opening and reopens the device by itself (with
 * back-off on the injected clock) when it disappears and comes back.
 *
 * @module
 */
import {
  type Clock,
  isAbortError,
  MbusError,
  RealClock,
} from "../../util/mod.ts";
import type { Transport } from "../../transport/mod.ts";
import { Amb8465Codec } from "./amb8465.ts";
import { Im871aCodec } from "./im871a.ts";
import { LineCodec } from "./text_lines.ts";
import type {
  LinkMode,
  ReceivedTelegram,
  ReceiverCodec,
  ReceiverFormat,
} from "./types.ts";

/** Something the receiver reports about its device. */
export type ReceiverEvent =
  | { type: "opened"; name: string }
  | { type: "lost"; name: string; error: unknown }
  | { type: "openFailed"; error: unknown; retryInMs: number };

/** Options of {@link WmbusReceiver}. */
export interface ReceiverOptions {
  /** The dongle protocol. */
  format: ReceiverFormat;
  /** Link mode to ask the dongle for. @default "C1T1" */
  mode?: LinkMode;
  /** Clock for time stamps and back-off. @default new RealClock() */
  clock?: Clock;
  /** Longest wait of one read, in milliseconds. @default 1000 */
  readTimeoutMs?: number;
  /**
   * Reopen after the device fails or closes. When false, the iteration ends when the
   * device closes (`TransportError` `CLOSED`) and throws on other failures.
   * @default true
   */
  reopen?: boolean;
  /** First back-off before reopening, in milliseconds (doubles up to the maximum). @default 1000 */
  initialBackoffMs?: number;
  /** Longest back-off, in milliseconds. @default 30000 */
  maxBackoffMs?: number;
  /** AMB8465: the module appends an RSSI byte. @default true */
  amberRssi?: boolean;
  /** Stops the iteration. @default undefined */
  signal?: AbortSignal;
  /** Observer of device events (opened, lost, open failed). @default undefined */
  onEvent?: (event: ReceiverEvent) => void;
}

/**
 * Creates the codec for a receiver format.
 *
 * @param format The protocol.
 * @param options `amberRssi`.
 * @returns A fresh codec.
 */
export function createReceiverCodec(
  format: ReceiverFormat,
  options: { amberRssi?: boolean } = {},
): ReceiverCodec {
  switch (format) {
    case "im871a":
      return new Im871aCodec();
    case "amb8465":
      return new Amb8465Codec(
        options.amberRssi === undefined ? {} : { rssi: options.amberRssi },
      );
    case "rtlwmbus":
    case "hex":
      return new LineCodec(format);
  }
}

/** Telegrams from a dongle, as an async iterable; closes its transport when done. */
export class WmbusReceiver
  implements AsyncIterable<ReceivedTelegram>, AsyncDisposable {
  #open: () => Promise<Transport>;
  #options:
    & Required<Omit<ReceiverOptions, "signal" | "onEvent" | "amberRssi">>
    & ReceiverOptions;
  #transport: Transport | null = null;
  #codec: ReceiverCodec | null = null;
  #stop = new AbortController();
  #signal: AbortSignal;
  #opens = 0;
  #lastError: unknown = null;

  /**
   * Creates a receiver; nothing is opened until iteration starts.
   *
   * @param open Opens (and reopens) the device, e.g. `() => SerialTransport.open(path)`.
   * @param options Format, mode, clock, back-off.
   */
  constructor(open: () => Promise<Transport>, options: ReceiverOptions) {
    this.#open = open;
    this.#options = {
      mode: "C1T1",
      clock: new RealClock(),
      readTimeoutMs: 1000,
      reopen: true,
      initialBackoffMs: 1000,
      maxBackoffMs: 30_000,
      ...options,
    };
    this.#signal = options.signal
      ? AbortSignal.any([options.signal, this.#stop.signal])
      : this.#stop.signal;
  }

  /** How many times the device was opened. */
  get opens(): number {
    return this.#opens;
  }

  /** Bytes the current codec dropped while resynchronising. */
  get droppedBytes(): number {
    return this.#codec?.droppedBytes ?? 0;
  }

  /** Yields telegrams until closed, aborted, or (without `reopen`) the device ends. */
  async *[Symbol.asyncIterator](): AsyncIterator<ReceivedTelegram> {
    const o = this.#options;
    let backoff = o.initialBackoffMs;
    try {
      while (!this.#signal.aborted) {
        if (!this.#transport) {
          const opened = await this.#tryOpen(backoff);
          if (opened === "stop") return;
          if (opened === "retry") {
            backoff = Math.min(backoff * 2, o.maxBackoffMs);
            continue;
          }
          backoff = o.initialBackoffMs;
        }
        const chunk = await this.#read();
        if (chunk === null) {
          if (this.#signal.aborted) return;
          if (!o.reopen) {
            const e = this.#lastError;
            if (e instanceof MbusError && e.code === "CLOSED") return;
            throw e;
          }
          await this.#sleep(backoff);
          continue;
        }
        if (chunk.length === 0 || !this.#codec) continue;
        for (const t of this.#codec.push(chunk, o.clock.now())) yield t;
      }
    } finally {
      await this.#closeTransport();
    }
  }

  /** Stops the iteration and closes the device. Idempotent. */
  async close(): Promise<void> {
    this.#stop.abort(new DOMException("Receiver closed", "AbortError"));
    await this.#closeTransport();
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #tryOpen(backoff: number): Promise<"ok" | "retry" | "stop"> {
    const o = this.#options;
    try {
      const transport = await this.#open();
      this.#transport = transport;
      this.#codec = createReceiverCodec(
        o.format,
        o.amberRssi === undefined ? {} : { amberRssi: o.amberRssi },
      );
      this.#opens++;
      for (const request of this.#codec.setupRequests(o.mode)) {
        await transport.write(request, this.#signal);
      }
      o.onEvent?.({ type: "opened", name: transport.name });
      return "ok";
    } catch (error) {
      await this.#closeTransport();
      if (this.#signal.aborted || isAbortError(error)) return "stop";
      if (!o.reopen) throw error;
      o.onEvent?.({ type: "openFailed", error, retryInMs: backoff });
      return (await this.#sleep(backoff)) ? "retry" : "stop";
    }
  }

  /** Reads once: bytes, empty on timeout, null when the device failed (and was closed). */
  async #read(): Promise<Uint8Array | null> {
    const transport = this.#transport;
    if (!transport) return null;
    try {
      return await transport.read(
        4096,
        this.#options.readTimeoutMs,
        this.#signal,
      );
    } catch (error) {
      this.#lastError = error;
      await this.#closeTransport();
      if (!this.#signal.aborted && !isAbortError(error)) {
        this.#options.onEvent?.({ type: "lost", name: transport.name, error });
      }
      return null;
    }
  }

  async #sleep(ms: number): Promise<boolean> {
    if (ms <= 0) return !this.#signal.aborted;
    try {
      await this.#options.clock.sleep(ms, this.#signal);
      return true;
    } catch {
      return false;
    }
  }

  async #closeTransport(): Promise<void> {
    const t = this.#transport;
    this.#transport = null;
    if (t) {
      try {
        await t.close();
      } catch {
        // Closing a transport that already failed: nothing more to release.
      }
    }
  }
}
