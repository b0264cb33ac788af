/**
 * The history log by time range: `GET /api/history?address=&instance=&from=&to=&limit=`.
 * Times are epoch milliseconds or ISO 8601; the range defaults to the last 24 hours.
 *
 * @module
 */
import { Hono } from "hono";
import type { ApiHistoryQuery } from "../backend.ts";
import type { RouteDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { optionalInt, optionalTime } from "../input.ts";
import { toJson } from "../json.ts";

const DAY_MS = 86_400_000;
const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 100_000;

/**
 * Route of the history log.
 *
 * @param deps Shared state.
 * @returns A Hono sub-app mounted at `/`.
 */
export function historyRoutes(deps: RouteDeps): Hono {
  const app = new Hono();
  app.get("/api/history", (c) => {
    const history = deps.backend.history;
    if (!history) throw new ApiError("NOT_FOUND", "History is not configured");
    const to = optionalTime(c.req.query("to"), "to") ?? deps.clock.now();
    const from = optionalTime(c.req.query("from"), "from") ?? to - DAY_MS;
    if (from > to) {
      throw new ApiError("BAD_REQUEST", `Invalid range: "from" is after "to"`);
    }
    const limit =
      optionalInt(c.req.query("limit"), "limit", { min: 1, max: MAX_LIMIT }) ??
        DEFAULT_LIMIT;
    const query: ApiHistoryQuery = { from, to, limit };
    const address = c.req.query("address");
    if (address) query.address = address;
    const instance = c.req.query("instance");
    if (instance) {
      if (!deps.backend.get(instance)) {
        throw new ApiError("NOT_FOUND", `No instance named "${instance}"`);
      }
      query.instance = instance;
    }
    const rows = history.query(query);
    return c.json({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      limit,
      rows: toJson(rows),
    });
  });
  return app;
}
