/**
 * Builds the Hono app of the HTTP API over an {@link ApiBackend}: REST routes, live events,
 * metrics and the OpenAPI document, with bearer-token protection of mutating requests and
 * one error handler.
 *
 * @module
 */
import { analyzeRoutes } from "./routes/analyze.ts";
import { monitorRoutes } from "./routes/monitor.ts";
import { WireMonitor, type WireMonitorOptions } from "./wire_monitor.ts";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { BlankEnv } from "hono/types";
import { bodyLimit } from "hono/body-limit";
import { matchedRoutes } from "hono/route";
import { type Clock, RealClock } from "../util/mod.ts";
import { requireToken } from "./auth.ts";
import { type GuardOptions, guardRequests } from "./guard.ts";
import type { ApiBackend } from "./backend.ts";
import { requireInstance, type RouteDeps } from "./deps.ts";
import { ApiError, respondError, respondNotFound } from "./errors.ts";
import { EventHub } from "./event_hub.ts";
import { HttpMetrics } from "./metrics.ts";
import { serveOpenApi } from "./openapi_doc.ts";
import { router } from "./route_kit.ts";
import { historyRoutes } from "./routes/history.ts";
import { addressRoutes } from "./routes/addresses.ts";
import { commandRoutes } from "./routes/commands.ts";
import { instanceRoutes } from "./routes/instances.ts";
import { meterRoutes } from "./routes/meters.ts";
import { settingsRoutes } from "./routes/settings.ts";
import { serialPortRoutes } from "./routes/serial_ports.ts";
import { scanRoutes } from "./routes/scans.ts";
import { systemRoutes } from "./routes/system.ts";
import { valueRoutes } from "./routes/values.ts";

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  /**
   * Bearer token required by POST, PUT, PATCH and DELETE; GET stays open.
   * @default undefined (no token: everything open; only allowed on loopback by serveApi)
   */
  token?: string | undefined;
  /**
   * Clock of SSE heartbeats, history defaults and request timing.
   * @default new RealClock()
   */
  clock?: Clock;
  /**
   * Milliseconds between SSE heartbeat comments.
   * @default 15000
   */
  heartbeatMs?: number;
  /**
   * Aborting it ends every event stream and detaches from the gateway's events.
   * @default undefined
   */
  signal?: AbortSignal;
  /**
   * Events kept for `Last-Event-ID` replay.
   * @default 512
   */
  replaySize?: number;
  /**
   * Events an SSE client may fall behind by before it is disconnected.
   * @default 10000
   */
  maxQueuedEvents?: number;
  /**
   * Further samples for `/metrics` from parts beside the gateway (the MQTT bridge): names
   * ending in `_total` are counters, the others gauges.
   */
  extraMetrics?: () => Record<string, number>;
  /**
   * Called with every error answered with 500 (an unexpected error or an unmapped code), for
   * the logger.
   * @default undefined
   */
  onInternalError?: (error: unknown, request: string) => void;
  /**
   * The bus monitor: frames kept per instance (500), frames a client may fall behind by
   * before its oldest are dropped (1000), listening stopped after this long unused (10 min).
   * @default {}
   */
  monitor?: Omit<WireMonitorOptions, "clock">;
  /**
   * Host names accepted besides IP literals and loopback names (src/api/guard.ts).
   * @default {}
   */
  guard?: GuardOptions;
}

/** Largest accepted request body; the API's bodies are a few fields. */
const MAX_BODY_BYTES = 64 * 1024;

function routeLabel(c: Context): string {
  const last = matchedRoutes(c).at(-1);
  return last && last.method !== "ALL" ? last.path : "unmatched";
}

/**
 * Creates the API app. Test it with `app.request(path, init)`; serve it with `serveApi`.
 *
 * @example
 * ```ts ignore
 * const app = createApp(host, { token: "s3cret" });
 * const res = await app.request("/api/instances");
 * ```
 * @param backend The gateway host (or anything shaped like it).
 * @param options Token, clock, heartbeat, shutdown signal.
 * @returns The Hono app (an `OpenAPIHono`: its routes carry their schemas).
 */
export function createApp(
  backend: ApiBackend,
  options: CreateAppOptions = {},
): OpenAPIHono<BlankEnv> {
  const clock = options.clock ?? new RealClock();
  const hubOptions = options.replaySize === undefined
    ? {}
    : { replaySize: options.replaySize };
  const hub = new EventHub(backend, hubOptions);
  options.signal?.addEventListener("abort", () => hub.close(), { once: true });
  const monitor = new WireMonitor(backend, { ...options.monitor, clock });
  options.signal?.addEventListener("abort", () => monitor.close(), {
    once: true,
  });
  const deps: RouteDeps = {
    backend,
    hub,
    http: new HttpMetrics(),
    clock,
    heartbeatMs: Math.max(1, options.heartbeatMs ?? 15_000),
    signal: options.signal,
    maxQueuedEvents: Math.max(1, options.maxQueuedEvents ?? 10_000),
    extraMetrics: options.extraMetrics,
    monitorStats: () => monitor.stats,
  };
  function onError(e: unknown, c: Context): Response {
    const res = respondError(e, c);
    // Mapped failures (504 NO_RESPONSE, 503 CLOSED, …) are operational; only a 500 is a bug.
    if (res.status === 500 && options.onInternalError) {
      try {
        options.onInternalError(e, `${c.req.method} ${c.req.path}`);
      } catch {
        // A failing logger must not turn an error response into a crash.
      }
    }
    return res;
  }
  const app = router();
  app.use("*", async function countRequest(c, next) {
    const start = clock.now();
    try {
      await next();
    } catch (e) {
      // Hono hands only Error instances to onError; anything else thrown lands here.
      c.res = onError(e, c);
    }
    deps.http.record(
      c.req.method,
      routeLabel(c),
      c.res.status,
      clock.now() - start,
    );
  });
  app.use("*", guardRequests(options.guard));
  app.use("*", requireToken(options.token));
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(
          "PAYLOAD_TOO_LARGE",
          `Cannot read the body: larger than ${MAX_BODY_BYTES} bytes`,
        );
      },
    }),
  );
  // An unknown instance answers 404 before its route validates the request.
  const known = requireInstance(backend);
  app.use("/api/instances/:name", known);
  app.use("/api/instances/:name/*", known);
  app.route("/", systemRoutes(deps));
  app.route("/", instanceRoutes(deps));
  app.route("/", commandRoutes(deps));
  app.route("/", meterRoutes(deps));
  app.route("/", settingsRoutes(deps));
  app.route("/", serialPortRoutes());
  app.route("/", analyzeRoutes());
  app.route("/", monitorRoutes(deps, monitor));
  app.route("/", addressRoutes(deps));
  app.route("/", scanRoutes(deps));
  app.route("/", valueRoutes(deps));
  app.route("/", historyRoutes(deps));
  serveOpenApi(app);
  app.onError(onError);
  app.notFound(respondNotFound);
  return app;
}
