/**
 * Service routes: `GET /` (the web page), `GET /healthz`, `GET /metrics`, `GET /events`,
 * `GET /api/config/schema` (the configuration file's JSON Schema). `GET /openapi.json` is
 * registered by the app itself, once every route is known (`openapi_doc.ts`).
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { configJsonSchema } from "../../gateway/mod.ts";
import type { RouteDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { METRICS_CONTENT_TYPE, renderMetrics } from "../metrics.ts";
import { errors, json, router, send, withExample } from "../route_kit.ts";
import { type EventFilter, streamEvents } from "../sse.ts";
import { UI_CSP, UI_HTML } from "../ui.ts";

const text = (type: string, description: string) => ({
  description,
  content: { [type]: { schema: z.string() } },
});

const ui = createRoute({
  method: "get",
  path: "/",
  operationId: "getUi",
  summary: "Web console: instances, meters, live values, scans, history",
  responses: { 200: text("text/html", "HTML") },
});

const Health = withExample(
  "GET /healthz",
  z.object({
    status: z.literal("ok"),
    instances: z.int().min(0).openapi({ description: "Instances running" }),
  }).openapi("Health"),
  { status: "ok", instances: 2 },
);

const health = createRoute({
  method: "get",
  path: "/healthz",
  operationId: "getHealth",
  summary: "Liveness",
  responses: { 200: json(Health, "Alive") },
});

const metrics = createRoute({
  method: "get",
  path: "/metrics",
  operationId: "getMetrics",
  summary: "Prometheus metrics (text format 0.0.4), bus counters per instance",
  responses: { 200: text("text/plain", "Metrics") },
});

const EventQuery = z.object({
  instance: z.string().max(64).optional().openapi({
    description: "Only events of this instance",
  }),
  types: z.string().max(1000).optional().openapi({
    description:
      "Comma-separated event types to receive (valueChanged, scanProgress, scanFinished, busState, bridgeState, readFailed)",
  }),
  lastEventId: z.string().max(20).optional().openapi({
    description: "Replay events after this id (as the Last-Event-ID header)",
  }),
});

const events = createRoute({
  method: "get",
  path: "/events",
  operationId: "streamEvents",
  summary:
    "Live events as server-sent events (valueChanged, scanProgress, scanFinished, busState, bridgeState, readFailed)",
  request: {
    query: EventQuery,
    headers: z.object({
      "last-event-id": z.string().max(20).optional().openapi({
        description: "Replay events after this id (Last-Event-ID)",
      }),
    }),
  },
  responses: {
    200: text(
      "text/event-stream",
      "Event stream; `: heartbeat` comments when idle",
    ),
    ...errors(400, 403, 404),
  },
});

const configSchema = createRoute({
  method: "get",
  path: "/api/config/schema",
  operationId: "getConfigSchema",
  summary:
    "JSON Schema (draft 2020-12) of the configuration file: every key with type, default, limits and description",
  responses: {
    200: json(
      z.record(z.string(), z.unknown()).openapi("JsonSchema"),
      "JSON Schema",
    ),
  },
});

/**
 * Service routes.
 *
 * @param deps Shared state.
 * @returns A router mounted at `/`.
 */
export function systemRoutes(deps: RouteDeps): OpenAPIHono {
  const app = router();
  const { backend, hub } = deps;

  app.openapi(ui, (c) => {
    c.header("Content-Security-Policy", UI_CSP);
    c.header("X-Content-Type-Options", "nosniff");
    return c.html(UI_HTML);
  });

  app.openapi(
    health,
    (c) => c.json({ status: "ok", instances: backend.instances.length }, 200),
  );

  app.openapi(metrics, (c) => {
    const body = renderMetrics(backend, deps.http, {
      mbusgw_sse_clients: hub.listenerCount,
      mbusgw_events_published: hub.lastId,
      ...deps.extraMetrics?.(),
    }, deps.monitorStats?.());
    return c.body(body, 200, { "Content-Type": METRICS_CONTENT_TYPE });
  });

  app.openapi(events, (c) => {
    const query = c.req.valid("query");
    const filter: EventFilter = {};
    if (query.instance) {
      if (!backend.get(query.instance)) {
        throw new ApiError(
          "NOT_FOUND",
          `No instance named "${query.instance}"`,
        );
      }
      filter.instance = query.instance;
    }
    if (query.types) {
      filter.types = new Set(
        query.types.split(",").map((t) => t.trim()).filter(Boolean),
      );
    }
    const last = c.req.valid("header")["last-event-id"] ?? query.lastEventId;
    if (last !== undefined && /^\d+$/.test(last.trim())) {
      filter.lastEventId = Number(last.trim());
    }
    return streamEvents(c, hub, filter, {
      clock: deps.clock,
      heartbeatMs: deps.heartbeatMs,
      signal: deps.signal,
      maxQueued: deps.maxQueuedEvents,
    });
  });

  app.openapi(configSchema, (c) => send(c, configJsonSchema()));

  return app;
}
