/**
 * Telegrams from a byte stream (stdin, a file, a pipe from rtl_wmbus): the same codecs as
 * the dongle receivers, without a Transport and without reopening.
 *
 * @module
 */
import { type Clock, RealClock } from "../../util/mod.ts";
import { createReceiverCodec } from "./receiver.ts";
import type { ReceivedTelegram, ReceiverFormat } from "./types.ts";

/** Options of {@link receiveFromStream}. */
export interface StreamReceiverOptions {
  /** The protocol of the stream. @default "hex" */
  format?: ReceiverFormat;
  /** Clock for time stamps. @default new RealClock() */
  clock?: Clock;
  /** Stops reading. @default undefined */
  signal?: AbortSignal;
}

/**
 * Yields the telegrams found in a byte stream until it ends; a last line without a line
 * end is taken too.
 *
 * @param stream The bytes.
 * @param options Format, clock, signal.
 * @returns An async iterable of telegrams.
 */
export async function* receiveFromStream(
  stream: ReadableStream<Uint8Array>,
  options: StreamReceiverOptions = {},
): AsyncGenerator<ReceivedTelegram> {
  const clock = options.clock ?? new RealClock();
  const codec = createReceiverCodec(options.format ?? "hex");
  const reader = stream.getReader();
  const onAbort = () => void reader.cancel().catch(() => {});
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      if (options.signal?.aborted) return;
      const { done, value } = await reader.read();
      if (done) break;
      yield* codec.push(value, clock.now());
    }
    if (codec.format === "hex" || codec.format === "rtlwmbus") {
      yield* codec.push(Uint8Array.of(0x0a), clock.now());
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
}
