/**
 * The bus monitor: `GET /api/monitor/recent` answers the frames kept (the last 500 of each
 * instance) as JSON; `GET /api/monitor` streams the frames as they cross the wire as
 * server-sent events (`frame`, and `dropped` when the client read too slowly and lost some).
 * Both filter by `instance` and `address` (a primary address, or an 8-digit meter ID of a
 * wired answer or a wireless telegram). Reads, open like the other reads (the host and
 * origin guard applies).
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import type { RouteDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { errors, json, router, send, withExample } from "../route_kit.ts";
import type {
  MonitorClient,
  MonitorEntry,
  MonitorFilter,
  WireMonitor,
} from "../wire_monitor.ts";

const Filter = {
  instance: z.string().min(1).max(64).optional().openapi({
    description: "Only frames of this instance",
  }),
  address: z.string().regex(/^(\d{1,3}|[0-9A-Fa-f]{8})$/, {
    error: "a primary address 0..255 or an 8-digit meter ID",
  }).optional().openapi({
    description:
      "Only frames to or from this primary address (an ACK counts for the request it answers), or of this 8-digit meter ID (a wired answer's secondary address, a wireless ID)",
    example: "5",
  }),
};

const RecentQuery = z.object({
  ...Filter,
  limit: z.coerce.number().int().min(1).max(5000).optional().openapi({
    description: "At most this many (the newest); default all kept",
  }),
});

const StreamQuery = z.object({
  ...Filter,
  since: z.string().regex(/^\d{1,15}$/).optional().openapi({
    description:
      "First send the kept frames after this sequence number (as the Last-Event-ID header does)",
  }),
});

const Entry = z.object({
  seq: z.int(),
  at: z.number(),
  time: z.string(),
  instance: z.string(),
  direction: z.enum(["tx", "rx"]),
  origin: z.enum(["master", "bridge", "radio"]),
  kind: z.enum(["frame", "garbage", "telegram"]),
  hex: z.string(),
  length: z.int(),
  summary: z.string(),
  address: z.int().optional(),
  id: z.string().optional(),
  rssi: z.number().optional(),
  error: z.string().optional(),
}).openapi("MonitorFrame");

const Recent = withExample(
  "MonitorRecent",
  z.object({
    frames: z.array(Entry),
    stats: z.object({
      listening: z.boolean(),
      clients: z.int(),
      dropped: z.int(),
      frames: z.int(),
    }),
  }).openapi("MonitorRecent"),
  {
    frames: [{
      seq: 12,
      at: 1767225600123,
      time: "2026-01-01T00:00:00.123Z",
      instance: "heat",
      direction: "tx",
      origin: "master",
      kind: "frame",
      hex: "10 7B 05 80 16",
      length: 5,
      summary: "REQ_UD2 to 5 (FCB 1)",
      address: 5,
    }],
    stats: { listening: true, clients: 1, dropped: 0, frames: 12 },
  },
);

const recent = createRoute({
  method: "get",
  path: "/api/monitor/recent",
  operationId: "getMonitorRecent",
  summary:
    "Bus monitor: the frames kept (the last 500 of each instance), oldest first, with time, direction, hex and one line of decoding",
  request: { query: RecentQuery },
  responses: {
    200: json(Recent, "Frames and the monitor's counters"),
    ...errors(400, 403, 404),
  },
});

const stream = createRoute({
  method: "get",
  path: "/api/monitor",
  operationId: "streamMonitor",
  summary:
    "Bus monitor: frames as they cross the wire, as server-sent events (`frame` with a MonitorFrame; `dropped` with how many a slow reader lost)",
  request: {
    query: StreamQuery,
    headers: z.object({
      "last-event-id": z.string().max(20).optional().openapi({
        description: "Resend the kept frames after this sequence number",
      }),
    }),
  },
  responses: {
    200: {
      description: "Event stream; `: heartbeat` comments when idle",
      content: { "text/event-stream": { schema: z.string() } },
    },
    ...errors(400, 403, 404),
  },
});

function toFilter(
  deps: RouteDeps,
  q: { instance?: string | undefined; address?: string | undefined },
): MonitorFilter {
  if (q.instance !== undefined && !deps.backend.get(q.instance)) {
    throw new ApiError("NOT_FOUND", `No instance named "${q.instance}"`);
  }
  const filter: MonitorFilter = { instance: q.instance };
  if (q.address !== undefined) {
    if (q.address.length === 8) filter.id = q.address.toUpperCase();
    else {
      const n = Number(q.address);
      if (n > 255) {
        throw new ApiError(
          "BAD_ADDRESS",
          `Invalid "address": ${q.address} is not allowed; expected a primary address 0..255 or an 8-digit meter ID`,
        );
      }
      filter.address = n;
    }
  }
  return filter;
}

function writeFrame(s: SSEStreamingApi, e: MonitorEntry): Promise<void> {
  return s.writeSSE({
    event: "frame",
    id: String(e.seq),
    data: JSON.stringify(e),
  });
}

/** Waits for a frame, the heartbeat interval or the end of the stream. */
async function nextWake(
  deps: RouteDeps,
  client: MonitorClient,
  stopped: AbortSignal,
): Promise<"frame" | "heartbeat" | "stop"> {
  const tick = new AbortController();
  const onStop = () => tick.abort();
  stopped.addEventListener("abort", onStop, { once: true });
  try {
    const woke = new Promise<"frame">((resolve) =>
      client.onWake(() => resolve("frame"))
    );
    const slept = deps.clock.sleep(deps.heartbeatMs, tick.signal).then(
      () => "heartbeat" as const,
      () => "stop" as const,
    );
    return await Promise.race([woke, slept]);
  } finally {
    client.onWake(undefined);
    stopped.removeEventListener("abort", onStop);
    tick.abort();
  }
}

/**
 * The monitor's routes.
 *
 * @param deps Backend, clock, heartbeat, shutdown signal.
 * @param monitor The app's monitor (its counters are also in `/metrics`).
 * @returns A router mounted at `/`.
 */
export function monitorRoutes(
  deps: RouteDeps,
  monitor: WireMonitor,
): OpenAPIHono {
  const app = router();

  app.openapi(recent, (c) => {
    const q = c.req.valid("query");
    const filter = toFilter(deps, q);
    return send(c, {
      frames: monitor.recent(filter, q.limit),
      stats: monitor.stats,
    });
  });

  app.openapi(stream, (c) => {
    const q = c.req.valid("query");
    const filter = toFilter(deps, q);
    const last = c.req.valid("header")["last-event-id"] ?? q.since;
    const since = last !== undefined && /^\d{1,15}$/.test(last.trim())
      ? Number(last.trim())
      : undefined;
    c.header("X-Accel-Buffering", "no");
    return streamSSE(c, async (s) => {
      const done = new AbortController();
      let writing = false;
      const stop = () => {
        done.abort();
        if (writing) s.abort();
      };
      s.onAbort(() => done.abort());
      deps.signal?.addEventListener("abort", stop, { once: true });
      if (deps.signal?.aborted) stop();
      const client = monitor.join(filter);
      // Frames up to `sent` are skipped: one both resent and queued goes out once.
      let sent = since ?? 0;
      const send = async (e: MonitorEntry) => {
        if (e.seq <= sent) return;
        writing = true;
        try {
          await writeFrame(s, e);
        } finally {
          writing = false;
        }
        sent = e.seq;
      };
      try {
        await s.write(`: mbusgw bus monitor\nretry: 3000\n\n`);
        if (since !== undefined) {
          for (const e of monitor.recent(filter)) {
            if (done.signal.aborted) break;
            await send(e);
          }
        }
        while (!done.signal.aborted) {
          const { entries, dropped } = client.take();
          if (dropped > 0) {
            writing = true;
            try {
              await s.writeSSE({
                event: "dropped",
                data: JSON.stringify({
                  dropped,
                  total: monitor.stats.dropped,
                }),
              });
            } finally {
              writing = false;
            }
          }
          for (const e of entries) {
            if (done.signal.aborted) break;
            await send(e);
          }
          if (entries.length > 0 || dropped > 0) continue;
          const why = await nextWake(deps, client, done.signal);
          if (why === "heartbeat") await s.write(": heartbeat\n\n");
        }
      } finally {
        monitor.leave(client);
        deps.signal?.removeEventListener("abort", stop);
        done.abort();
      }
    });
  });

  return app;
}
