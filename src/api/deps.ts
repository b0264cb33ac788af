/**
 * What every route module receives from {@link createApp}.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { Clock } from "../util/mod.ts";
import type { ApiBackend, ApiGateway } from "./backend.ts";
import { ApiError } from "./errors.ts";
import type { EventHub } from "./event_hub.ts";
import type { HttpMetrics } from "./metrics.ts";
import type { MonitorStats } from "./wire_monitor.ts";

/** Shared state of one app. */
export interface RouteDeps {
  /** The gateway host. */
  readonly backend: ApiBackend;
  /** Events of all instances. */
  readonly hub: EventHub;
  /** The API's own request counters. */
  readonly http: HttpMetrics;
  /** Clock of heartbeats and request timing. */
  readonly clock: Clock;
  /** Milliseconds between SSE heartbeat comments. */
  readonly heartbeatMs: number;
  /** Ends long-running responses (server shutdown). */
  readonly signal: AbortSignal | undefined;
  /** Events an SSE client may fall behind by before it is disconnected. */
  readonly maxQueuedEvents: number;
  /** Further `/metrics` samples (`_total` names are counters). */
  readonly extraMetrics?: (() => Record<string, number>) | undefined;
  /** The bus monitor's counters, for `/metrics`. */
  readonly monitorStats?: (() => MonitorStats) | undefined;
}

/**
 * The named instance, or a `NOT_FOUND` error.
 *
 * @param backend The gateway host.
 * @param name Instance name from the URL.
 * @returns The instance.
 */
export function instanceOrThrow(backend: ApiBackend, name: string): ApiGateway {
  const gw = backend.get(name);
  if (!gw) throw new ApiError("NOT_FOUND", `No instance named "${name}"`);
  return gw;
}

/**
 * Middleware answering 404 `NOT_FOUND` for an unknown instance in `/api/instances/:name…`
 * before the route validates its request (as the routes did before they had schemas).
 *
 * @param backend The gateway host.
 * @returns The middleware.
 */
export function requireInstance(backend: ApiBackend): MiddlewareHandler {
  return async function knownInstance(c, next) {
    const name = c.req.param("name");
    if (name !== undefined) instanceOrThrow(backend, name);
    await next();
  };
}
