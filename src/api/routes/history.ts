/**
 * The history log by time range: `GET /api/history?address=&instance=&from=&to=&limit=`.
 * Times are epoch milliseconds or ISO 8601; the range defaults to the last 24 hours.
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { ApiHistoryQuery } from "../backend.ts";
import type { RouteDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { toJson } from "../json.ts";
import { allow, errors, json, router, send } from "../route_kit.ts";
import { Open } from "../schemas.ts";

const DAY_MS = 86_400_000;
const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 100_000;

const TIME = "epoch milliseconds or an ISO 8601 time";

/** A point in time in a query: epoch ms or ISO 8601, as epoch ms; empty = absent. */
const Time = z.string(allow(TIME)).max(64, allow(TIME)).transform(
  (value, ctx): number | undefined => {
    if (value.trim() === "") return undefined;
    const ms = /^-?\d+(\.\d+)?$/.test(value)
      ? Number(value)
      : Date.parse(value);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: "custom", message: TIME });
      return z.NEVER;
    }
    return ms;
  },
);

const LIMIT = `an integer from 1 to ${MAX_LIMIT}`;

const HistoryQuery = z.object({
  address: z.string().max(512).optional().openapi({
    description: "Meter address or %mbus: path",
  }),
  instance: z.string().max(64).optional().openapi({
    description: "Instance name",
  }),
  from: Time.optional().openapi({
    description: "Epoch ms or ISO 8601; default `to` − 24 h",
  }),
  to: Time.optional().openapi({
    description: "Epoch ms or ISO 8601; default now",
  }),
  limit: z.string(allow(LIMIT)).max(16, allow(LIMIT)).transform(
    (value, ctx): number | undefined => {
      if (value.trim() === "") return undefined;
      const n = Number(value);
      if (!/^\s*\d+\s*$/.test(value) || n < 1 || n > MAX_LIMIT) {
        ctx.addIssue({ code: "custom", message: LIMIT });
        return z.NEVER;
      }
      return n;
    },
  ).optional().openapi({
    description: `At most this many rows (default ${DEFAULT_LIMIT})`,
  }),
});

const route = createRoute({
  method: "get",
  path: "/api/history",
  operationId: "queryHistory",
  summary: "Logged values in a time range",
  request: { query: HistoryQuery },
  responses: {
    200: json(
      z.object({
        from: z.string(),
        to: z.string(),
        limit: z.int(),
        rows: z.array(Open),
      }),
      "Rows, oldest first",
    ),
    ...errors(400, 403, 404),
  },
});

/**
 * Route of the history log.
 *
 * @param deps Shared state.
 * @returns A router mounted at `/`.
 */
export function historyRoutes(deps: RouteDeps): OpenAPIHono {
  const app = router();
  app.openapi(route, (c) => {
    const history = deps.backend.history;
    if (!history) throw new ApiError("NOT_FOUND", "History is not configured");
    const q = c.req.valid("query");
    const to = q.to ?? deps.clock.now();
    const from = q.from ?? to - DAY_MS;
    if (from > to) {
      throw new ApiError("BAD_REQUEST", `Invalid range: "from" is after "to"`);
    }
    const limit = q.limit ?? DEFAULT_LIMIT;
    const query: ApiHistoryQuery = { from, to, limit };
    if (q.address) query.address = q.address;
    if (q.instance) {
      if (!deps.backend.get(q.instance)) {
        throw new ApiError("NOT_FOUND", `No instance named "${q.instance}"`);
      }
      query.instance = q.instance;
    }
    const rows = history.query(query);
    return send(c, {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      limit,
      rows: toJson(rows),
    });
  });
  return app;
}
