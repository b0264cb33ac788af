/**
 * The HTTP API (Hono): instances, values, on-demand reads, scans as jobs, meter commands with
 * confirmation, history, server-sent events, Prometheus metrics and an OpenAPI 3.1 document.
 * Imports the gateway only through the {@link ApiBackend} interfaces.
 *
 * @example
 * ```ts ignore
 * import { serveApi } from "./mod.ts";
 * await using server = serveApi(host, { hostname: "127.0.0.1", port: 8080 });
 * ```
 * @module
 */
export type {
  ApiBackend,
  ApiEventSource,
  ApiGateway,
  ApiGatewayEvent,
  ApiGatewayMetrics,
  ApiHistory,
  ApiHistoryQuery,
  ApiHistoryStats,
  ApiScanJob,
  ApiScanParams,
} from "./backend.ts";
export { createApp, type CreateAppOptions } from "./create_app.ts";
export {
  ApiError,
  ERROR_STATUS,
  type ErrorBody,
  statusForCode,
} from "./errors.ts";
export { type GuardOptions, guardRequests } from "./guard.ts";
export { type Json, toJson } from "./json.ts";
export { METRICS_CONTENT_TYPE } from "./metrics.ts";
export { API_INFO, openApiDocument } from "./openapi_doc.ts";
export { type Example, EXAMPLES } from "./route_kit.ts";
export {
  type ApiServer,
  isLoopback,
  serveApi,
  type ServeApiOptions,
} from "./serve.ts";
