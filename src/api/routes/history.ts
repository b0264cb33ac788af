/**
 * The history log by time range: `GET /api/history?address=&instance=&from=&to=&limit=&after=`.
 * Times are epoch milliseconds or ISO 8601; the range defaults to the last 24 hours. A page
 * holds at most {@link MAX_LIMIT} rows (default 1,000); a full page carries `next`, the
 * cursor to pass as `after` for the rows that follow, so a long range is read page by page
 * and no answer is larger than one page.
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
/** Most rows in one answer (about 1 MB of JSON). */
export const MAX_LIMIT = 10_000;

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
const CURSOR = "the `next` of a previous page";

/** A page cursor: `<t>-<row number>` of the last row of a page. */
const Cursor = z.string(allow(CURSOR)).max(40, allow(CURSOR)).transform(
  (value, ctx): { t: number; id: number } | undefined => {
    if (value.trim() === "") return undefined;
    const m = /^(-?\d{1,16})-(\d{1,16})$/.exec(value.trim());
    const t = Number(m?.[1]);
    const id = Number(m?.[2]);
    if (!m || !Number.isSafeInteger(t) || !Number.isSafeInteger(id)) {
      ctx.addIssue({ code: "custom", message: CURSOR });
      return z.NEVER;
    }
    return { t, id };
  },
);

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
    description:
      `At most this many rows (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT})`,
  }),
  after: Cursor.optional().openapi({
    description: "The `next` of the previous page: the rows after it",
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
        next: z.string().nullable().openapi({
          description: "A full page: pass as `after` for the rows that follow",
        }),
      }),
      "Rows, oldest first (each with its row number `id`)",
    ),
    ...errors(400, 403, 404),
  },
});

/** The cursor after a row that has a time and a row number, else null. */
function cursorOf(row: unknown): string | null {
  const r = row as { t?: unknown; id?: unknown } | undefined;
  return typeof r?.t === "number" && typeof r.id === "number"
    ? `${r.t}-${r.id}`
    : null;
}

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
    if (q.after) query.after = q.after;
    if (q.address) query.address = q.address;
    if (q.instance) {
      if (!deps.backend.get(q.instance)) {
        throw new ApiError("NOT_FOUND", `No instance named "${q.instance}"`);
      }
      query.instance = q.instance;
    }
    const rows = history.query(query);
    const last = rows.length === limit ? rows.at(-1) : undefined;
    return send(c, {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      limit,
      rows: toJson(rows),
      next: cursorOf(last),
    });
  });
  return app;
}
