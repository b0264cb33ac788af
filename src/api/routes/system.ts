/**
 * Service routes: `GET /` (the web page), `GET /healthz`, `GET /metrics`, `GET /openapi.json`, `GET /events`.
 *
 * @module
 */
import { Hono } from "hono";
import type { RouteDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { METRICS_CONTENT_TYPE, renderMetrics } from "../metrics.ts";
import { OPENAPI_DOCUMENT } from "../openapi.ts";
import { type EventFilter, streamEvents } from "../sse.ts";
import { UI_CSP, UI_HTML } from "../ui.ts";

/**
 * Service routes.
 *
 * @param deps Shared state.
 * @returns A Hono sub-app mounted at `/`.
 */
export function systemRoutes(deps: RouteDeps): Hono {
  const app = new Hono();
  const { backend, hub } = deps;

  app.get("/", (c) => {
    c.header("Content-Security-Policy", UI_CSP);
    c.header("X-Content-Type-Options", "nosniff");
    return c.html(UI_HTML);
  });

  app.get(
    "/healthz",
    (c) => c.json({ status: "ok", instances: backend.instances.length }),
  );

  app.get("/metrics", (c) => {
    const text = renderMetrics(backend, deps.http, {
      mbusgw_sse_clients: hub.listenerCount,
      mbusgw_events_published: hub.lastId,
    });
    return c.body(text, 200, { "Content-Type": METRICS_CONTENT_TYPE });
  });

  app.get("/openapi.json", (c) => c.json(OPENAPI_DOCUMENT));

  app.get("/events", (c) => {
    const filter: EventFilter = {};
    const instance = c.req.query("instance");
    if (instance) {
      if (!backend.get(instance)) {
        throw new ApiError("NOT_FOUND", `No instance named "${instance}"`);
      }
      filter.instance = instance;
    }
    const types = c.req.query("types");
    if (types) {
      filter.types = new Set(
        types.split(",").map((t) => t.trim()).filter(Boolean),
      );
    }
    const last = c.req.header("Last-Event-ID") ?? c.req.query("lastEventId");
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

  return app;
}
