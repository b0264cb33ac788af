/**
 * Instances and their values: `GET /api/instances`, `GET /api/instances/:name`,
 * `GET /api/instances/:name/heard`, `GET /api/instances/:name/values`. Commands to a meter
 * are in `commands.ts`.
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { ApiGateway } from "../backend.ts";
import { instanceOrThrow, type RouteDeps } from "../deps.ts";
import { type Json, toJson } from "../json.ts";
import {
  errors,
  json,
  NameParams,
  READ_ERRORS,
  router,
  send,
} from "../route_kit.ts";
import { Instance, InstanceSummary, Open } from "../schemas.ts";
import { scanToJson } from "./scans.ts";

/**
 * The summary of an instance: cheap to build (no config copy), for the list.
 *
 * @param gw The instance.
 * @returns JSON.
 */
export function instanceToJson(gw: ApiGateway): Json {
  return {
    name: gw.name,
    ...(typeof gw.cluster === "number" ? { cluster: gw.cluster } : {}),
    state: gw.state,
    href: `/api/instances/${encodeURIComponent(gw.name)}`,
  };
}

const list = createRoute({
  method: "get",
  path: "/api/instances",
  operationId: "listInstances",
  summary: "List instances",
  responses: {
    200: json(z.object({ instances: z.array(InstanceSummary) }), "Instances"),
    ...errors(403),
  },
});

const one = createRoute({
  method: "get",
  path: "/api/instances/{name}",
  operationId: "getInstance",
  summary: "One instance with its configuration, metrics, bridge and scan jobs",
  request: { params: NameParams },
  responses: { 200: json(Instance, "Instance"), ...errors(...READ_ERRORS) },
});

const heard = createRoute({
  method: "get",
  path: "/api/instances/{name}/heard",
  operationId: "listHeardMeters",
  summary:
    "Wireless meters heard on air, configured or not (empty for a wired instance)",
  request: { params: NameParams },
  responses: {
    200: json(
      z.object({
        instance: z.string(),
        meters: z.array(Open).openapi({
          description:
            "{ id, manufacturer, version, medium, driver, configured, telegrams, lastHeardAt, rssi, mode, error }",
        }),
      }),
      "Meters heard",
    ),
    ...errors(...READ_ERRORS),
  },
});

const values = createRoute({
  method: "get",
  path: "/api/instances/{name}/values",
  operationId: "listValues",
  summary: "Current values of an instance's address tree",
  request: {
    params: NameParams,
    query: z.object({
      address: z.string().max(64).optional().openapi({
        description: "Only this meter (primary or secondary address)",
      }),
      q: z.string().max(256).optional().openapi({
        description: "Only entries whose path or metadata contain this text",
      }),
    }),
  },
  responses: {
    200: json(
      z.object({ instance: z.string(), values: z.array(Open) }),
      "Values",
    ),
    ...errors(...READ_ERRORS),
  },
});

/**
 * Routes of instances.
 *
 * @param deps Shared state.
 * @returns A router mounted at `/`.
 */
export function instanceRoutes(deps: RouteDeps): OpenAPIHono {
  const app = router();
  const { backend } = deps;

  app.openapi(
    list,
    (c) => send(c, { instances: backend.instances.map(instanceToJson) }),
  );

  app.openapi(one, (c) => {
    const gw = instanceOrThrow(backend, c.req.valid("param").name);
    return send(c, {
      ...instanceToJson(gw) as Record<string, Json>,
      config: toJson(gw.config),
      metrics: toJson(gw.metrics()),
      bridge: toJson(gw.bridge ?? null),
      link: toJson(gw.link ?? null),
      scans: gw.scans().map((j) => scanToJson(gw.name, j)),
    });
  });

  app.openapi(heard, (c) => {
    const gw = instanceOrThrow(backend, c.req.valid("param").name);
    return send(c, { instance: gw.name, meters: toJson(gw.heard?.() ?? []) });
  });

  app.openapi(values, (c) => {
    const gw = instanceOrThrow(backend, c.req.valid("param").name);
    const { address, q } = c.req.valid("query");
    const filter: { address?: string; q?: string } = {};
    if (address) filter.address = address;
    if (q) filter.q = q;
    return send(c, { instance: gw.name, values: toJson(gw.values(filter)) });
  });

  return app;
}
