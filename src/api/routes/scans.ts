/**
 * Scans as jobs: `POST /api/instances/:name/scans` (202 + job), `GET …/scans`,
 * `GET …/scans/:id` (progress), `DELETE …/scans/:id` (cancel).
 *
 * @module
 */
import { Hono } from "hono";
import type { ApiScanJob, ApiScanParams } from "../backend.ts";
import { instanceOrThrow, type RouteDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import {
  type Body,
  optionalInt,
  optionalString,
  readBody,
  requiredInt,
} from "../input.ts";
import { type Json, toJson } from "../json.ts";

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

/**
 * Validates a scan request body.
 *
 * @param body The JSON body.
 * @returns The scan parameters.
 */
export function parseScanParams(body: Body): ApiScanParams {
  switch (body.kind) {
    case "primary": {
      const from = optionalInt(body.from, "from", { min: 0, max: 250 });
      const to = optionalInt(body.to, "to", { min: 0, max: 250 });
      if (from !== undefined && to !== undefined && from > to) {
        throw new ApiError(
          "BAD_REQUEST",
          `Invalid range: "from" ${from} is after "to" ${to}`,
        );
      }
      return {
        kind: "primary",
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
      };
    }
    case "secondary": {
      const mask = optionalString(body.mask, "mask");
      return { kind: "secondary", ...(mask === undefined ? {} : { mask }) };
    }
    case "wireless":
      return {
        kind: "wireless",
        durationMs: requiredInt(body.durationMs, "durationMs", {
          min: 1,
          max: MAX_LISTEN_MS,
        }),
      };
    default:
      throw new ApiError(
        "BAD_REQUEST",
        `Invalid "kind": ${
          JSON.stringify(body.kind)
        } is not primary, secondary or wireless`,
      );
  }
}

/**
 * Routes of scan jobs.
 *
 * @param deps Shared state.
 * @returns A Hono sub-app mounted at `/`.
 */
export function scanRoutes(deps: RouteDeps): Hono {
  const app = new Hono();
  const { backend } = deps;

  function jobOrThrow(name: string, id: string) {
    const gw = instanceOrThrow(backend, name);
    const job = gw.scan(id);
    if (!job) {
      throw new ApiError("NOT_FOUND", `No scan "${id}" on instance "${name}"`);
    }
    return { gw, job };
  }

  app.post("/api/instances/:name/scans", async (c) => {
    const gw = instanceOrThrow(backend, c.req.param("name"));
    const params = parseScanParams(await readBody(c));
    const job = gw.startScan(params);
    c.header(
      "Location",
      `/api/instances/${encodeURIComponent(gw.name)}/scans/${
        encodeURIComponent(job.id)
      }`,
    );
    return c.json(scanToJson(gw.name, job), 202);
  });

  app.get("/api/instances/:name/scans", (c) => {
    const gw = instanceOrThrow(backend, c.req.param("name"));
    return c.json({ scans: gw.scans().map((j) => scanToJson(gw.name, j)) });
  });

  app.get("/api/instances/:name/scans/:id", (c) => {
    const { gw, job } = jobOrThrow(c.req.param("name"), c.req.param("id"));
    return c.json(scanToJson(gw.name, job));
  });

  app.delete("/api/instances/:name/scans/:id", (c) => {
    const { gw, job } = jobOrThrow(c.req.param("name"), c.req.param("id"));
    job.cancel();
    return c.json(scanToJson(gw.name, job));
  });

  return app;
}
