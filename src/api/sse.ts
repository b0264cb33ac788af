/**
 * `GET /events`: the live event stream as server-sent events. Each event is named after its
 * type (`valueChanged`, `scanProgress`, `scanFinished`, `busState`, …), carries the hub's
 * sequence id and a JSON body with `instance`. Comments (`: heartbeat`) keep idle
 * connections open; `Last-Event-ID` replays what a reconnecting client missed.
 *
 * @module
 */
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { SSEStreamingApi } from "hono/streaming";
import type { Clock } from "../util/mod.ts";
import type { EventHub, HubEvent } from "./event_hub.ts";

/** Options of {@link streamEvents}. */
export interface StreamEventsOptions {
  /** Clock of the heartbeat. */
  clock: Clock;
  /** Milliseconds between heartbeat comments. */
  heartbeatMs: number;
  /** Ends every stream (server shutdown). */
  signal?: AbortSignal | undefined;
  /** A client further behind than this many events is disconnected. */
  maxQueued?: number;
}

/** Which events a client asked for. */
export interface EventFilter {
  /** Only this instance. */
  instance?: string | undefined;
  /** Only these types. */
  types?: ReadonlySet<string> | undefined;
  /** Replay events after this id. */
  lastEventId?: number | undefined;
}

/** Reconnection delay suggested to clients, ms. */
const RETRY_MS = 3000;

function matches(filter: EventFilter, e: HubEvent): boolean {
  return (filter.instance === undefined || e.instance === filter.instance) &&
    (filter.types === undefined || filter.types.has(e.type));
}

function writeEvent(stream: SSEStreamingApi, e: HubEvent): Promise<void> {
  return stream.writeSSE({
    event: e.type,
    id: String(e.id),
    data: JSON.stringify(e.data),
  });
}

/**
 * Answers a request with the event stream.
 *
 * @param c Request context.
 * @param hub Where events come from.
 * @param filter Instance, types and replay position.
 * @param options Clock, heartbeat, shutdown signal.
 * @returns The streaming response.
 */
export function streamEvents(
  c: Context,
  hub: EventHub,
  filter: EventFilter,
  options: StreamEventsOptions,
): Response {
  const maxQueued = options.maxQueued ?? 10_000;
  // Reverse proxies (nginx) must pass events through at once, not buffer them.
  c.header("X-Accel-Buffering", "no");
  return streamSSE(c, async (stream) => {
    const done = new AbortController();
    const queue: HubEvent[] = [];
    let writing = false;
    // A write blocked on a client that stopped reading is cut by aborting the stream.
    const stop = () => {
      done.abort();
      if (writing) stream.abort();
    };
    stream.onAbort(() => done.abort());
    options.signal?.addEventListener("abort", stop, { once: true });
    if (options.signal?.aborted) stop();
    let wake: (() => void) | undefined;
    const off = hub.listen((e) => {
      if (done.signal.aborted || !matches(filter, e)) return;
      queue.push(e);
      if (queue.length > maxQueued) {
        // Too far behind: drop the client; it reconnects with Last-Event-ID.
        queue.length = 0;
        done.abort();
        stream.abort();
      }
      wake?.();
    });
    async function send(e: HubEvent): Promise<void> {
      writing = true;
      try {
        await writeEvent(stream, e);
      } finally {
        writing = false;
      }
    }
    try {
      // The stream starts with a comment so clients see the connection open at once.
      // `retry` tells EventSource how soon to reconnect (it then sends Last-Event-ID).
      await stream.write(
        `: mbusgw events, last id ${hub.lastId}\nretry: ${RETRY_MS}\n\n`,
      );
      // Ids up to `sent` are skipped, so an event both replayed and queued goes out once.
      let sent = filter.lastEventId ?? 0;
      if (filter.lastEventId !== undefined) {
        for (const e of hub.since(filter.lastEventId)) {
          if (done.signal.aborted) break;
          if (matches(filter, e)) await send(e);
          sent = e.id;
        }
      }
      while (!done.signal.aborted) {
        let e = queue.shift();
        while (e !== undefined && !done.signal.aborted) {
          if (e.id > sent) {
            await send(e);
            sent = e.id;
          }
          e = queue.shift();
        }
        if (done.signal.aborted) break;
        const reason = await waitForEvent(options, done.signal, (w) => {
          wake = w;
        });
        wake = undefined;
        if (reason === "heartbeat") await stream.write(": heartbeat\n\n");
      }
    } finally {
      off();
      options.signal?.removeEventListener("abort", stop);
      done.abort();
    }
  });
}

/** Waits for an event, the heartbeat interval or the end of the stream. */
async function waitForEvent(
  options: StreamEventsOptions,
  stopped: AbortSignal,
  setWake: (wake: () => void) => void,
): Promise<"event" | "heartbeat" | "stop"> {
  const tick = new AbortController();
  const onStop = () => tick.abort();
  stopped.addEventListener("abort", onStop, { once: true });
  try {
    const woke = new Promise<"event">((resolve) =>
      setWake(() => resolve("event"))
    );
    const slept = options.clock.sleep(options.heartbeatMs, tick.signal).then(
      () => "heartbeat" as const,
      () => "stop" as const,
    );
    return await Promise.race([woke, slept]);
  } finally {
    stopped.removeEventListener("abort", onStop);
    tick.abort();
  }
}
