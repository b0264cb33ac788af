/**
 * Scans as jobs: `POST /api/instances/:name/scans` (202 + job), `GET …/scans`,
 * `GET …/scans/:id` (progress), `DELETE …/scans/:id` (cancel).
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { ApiScanJob, ApiScanParams } from "../backend.ts";
import { instanceOrThrow, type RouteDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { type Json, toJson } from "../json.ts";
import {
  allow,
  body,
  BUS_ERRORS,
  errors,
  json,
  NameParams,
  READ_ERRORS,
  router,
  SECURED,
  send,
  withExample,
  WRITE_ERRORS,
} from "../route_kit.ts";
import { ScanJob } from "../schemas.ts";

/** Longest wireless listening job: one day. */
const MAX_LISTEN_MS = 86_400_000;

/**
 * A scan job as JSON.
 *
 * @param instance Instance name.
 * @param job The job.
 * @returns JSON.
 */
export function scanToJson(instance: string, job: ApiScanJob): Json {
  return {
    id: job.id,
    instance,
    kind: job.kind,
    status: job.status,
    progress: toJson(job.progress),
    result: toJson(job.result),
    error: toJson(job.error),
  };
}

const PRIMARY = "an integer from 0 to 250";
const primary = () =>
  z.int(allow(PRIMARY)).min(0, allow(PRIMARY)).max(250, allow(PRIMARY));
const LISTEN = `an integer from 1 to ${MAX_LISTEN_MS} (ms)`;

/** The body of `POST …/scans`. */
export const ScanRequest = withExample(
  "POST /api/instances/{name}/scans",
  z.discriminatedUnion("kind", [
    z.object({
      kind: z.literal("primary"),
      from: primary().optional().openapi({ description: "First address" }),
      to: primary().optional().openapi({ description: "Last address" }),
    }).refine(
      (p) => p.from === undefined || p.to === undefined || p.from <= p.to,
      { message: '"from" not after "to"', path: ["from"] },
    ),
    z.object({
      kind: z.literal("secondary"),
      mask: z.string(allow("a string")).max(
        64,
        allow("a mask of 16 hex digits"),
      )
        .optional().openapi({
          description: "16 hex digits, F = wildcard",
        }),
    }),
    z.object({
      kind: z.literal("wireless"),
      durationMs: z.int(allow(LISTEN)).min(1, allow(LISTEN)).max(
        MAX_LISTEN_MS,
        allow(LISTEN),
      ).openapi({ description: "Listening time" }),
    }),
  ], allow('"primary", "secondary" or "wireless"')).openapi("ScanRequest"),
  { kind: "primary", from: 0, to: 20 },
);

const JobParams = NameParams.extend({
  id: z.string().min(1).max(64).openapi({
    param: { name: "id", in: "path" },
    description: "Scan job id",
  }),
});

const start = createRoute({
  method: "post",
  path: "/api/instances/{name}/scans",
  operationId: "startScan",
  summary:
    "Start a scan job (primary range, secondary mask, wireless listening)",
  security: SECURED,
  request: { params: NameParams, body: body(ScanRequest) },
  responses: {
    202: json(ScanJob, "Started; Location names the job"),
    ...errors(...BUS_ERRORS),
  },
});

const list = createRoute({
  method: "get",
  path: "/api/instances/{name}/scans",
  operationId: "listScans",
  summary: "Scan jobs of an instance",
  request: { params: NameParams },
  responses: {
    200: json(z.object({ scans: z.array(ScanJob) }), "Jobs"),
    ...errors(...READ_ERRORS),
  },
});

const one = createRoute({
  method: "get",
  path: "/api/instances/{name}/scans/{id}",
  operationId: "getScan",
  summary: "A scan job with its progress",
  request: { params: JobParams },
  responses: { 200: json(ScanJob, "Job"), ...errors(...READ_ERRORS) },
});

const cancel = createRoute({
  method: "delete",
  path: "/api/instances/{name}/scans/{id}",
  operationId: "cancelScan",
  summary: "Cancel a scan job",
  security: SECURED,
  request: { params: JobParams },
  responses: {
    200: json(ScanJob, "Job (cancelling)"),
    ...errors(...WRITE_ERRORS),
  },
});

/**
 * Routes of scan jobs.
 *
 * @param deps Shared state.
 * @returns A router mounted at `/`.
 */
export function scanRoutes(deps: RouteDeps): OpenAPIHono {
  const app = router();
  const { backend } = deps;

  function jobOrThrow(name: string, id: string) {
    const gw = instanceOrThrow(backend, name);
    const job = gw.scan(id);
    if (!job) {
      throw new ApiError("NOT_FOUND", `No scan "${id}" on instance "${name}"`);
    }
    return { gw, job };
  }

  app.openapi(start, (c) => {
    const gw = instanceOrThrow(backend, c.req.valid("param").name);
    const p = c.req.valid("json");
    const params: ApiScanParams = p.kind === "primary"
      ? {
        kind: "primary",
        ...(p.from === undefined ? {} : { from: p.from }),
        ...(p.to === undefined ? {} : { to: p.to }),
      }
      : p.kind === "secondary"
      ? { kind: "secondary", ...(p.mask === undefined ? {} : { mask: p.mask }) }
      : { kind: "wireless", durationMs: p.durationMs };
    const job = gw.startScan(params);
    c.header(
      "Location",
      `/api/instances/${encodeURIComponent(gw.name)}/scans/${
        encodeURIComponent(job.id)
      }`,
    );
    return send(c, scanToJson(gw.name, job), 202);
  });

  app.openapi(list, (c) => {
    const gw = instanceOrThrow(backend, c.req.valid("param").name);
    return send(c, { scans: gw.scans().map((j) => scanToJson(gw.name, j)) });
  });

  app.openapi(one, (c) => {
    const { name, id } = c.req.valid("param");
    const { gw, job } = jobOrThrow(name, id);
    return send(c, scanToJson(gw.name, job));
  });

  app.openapi(cancel, (c) => {
    const { name, id } = c.req.valid("param");
    const { gw, job } = jobOrThrow(name, id);
    job.cancel();
    return send(c, scanToJson(gw.name, job));
  });

  return app;
}
