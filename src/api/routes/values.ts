/**
 * One node of the address tree: `GET /api/values/:path`, where `:path` is a URL-encoded
 * `%mbus:` path (`%25mbus%3A1%2F0%2Fvalue`). `?instance=` picks the instance; otherwise the
 * host resolves the path (`%mbus:heat/1/0/value`, `%mbus2:1/0/value` by cluster), or, for a
 * host without `resolve`, a leading instance name is honoured and every instance is asked in order.
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { ApiBackend, ApiGateway } from "../backend.ts";
import { instanceOrThrow, type RouteDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { toJson } from "../json.ts";
import {
  BUS_ERRORS,
  errors,
  json,
  READ_ERRORS,
  router,
  SECURED,
  send,
} from "../route_kit.ts";
import { MbusError } from "../../util/mod.ts";

const PREFIX = "%mbus:";
/** `%mbus:` or `%mbus<cluster>:`. */
const HEAD_RE = /^%mbus\d*:/;

/** Asks one instance; a path it cannot parse counts as not found there. */
function lookup(gw: ApiGateway, path: string): unknown {
  try {
    return gw.get(path);
  } catch (e) {
    if (e instanceof MbusError && e.code === "BAD_PATH") return undefined;
    throw e;
  }
}

/**
 * Finds a path in the backend.
 *
 * @param backend The gateway host.
 * @param path The decoded `%mbus:` path (prefix optional).
 * @param instance Instance named by the query.
 * @returns The instance and the node, or undefined.
 */
export function resolveValue(
  backend: ApiBackend,
  path: string,
  instance?: string,
): { instance: string; path: string; node: unknown } | undefined {
  const head = HEAD_RE.exec(path);
  const bare = head ? path.slice(head[0].length) : path;
  if (bare === "" || path.length > 512) {
    throw new ApiError(
      "BAD_PATH",
      `Cannot parse path "${path}": expected %mbus:<address>[/<record>[/<field>]]`,
    );
  }
  const full = head ? path : PREFIX + path;
  if (instance !== undefined) {
    const gw = instanceOrThrow(backend, instance);
    const node = lookup(gw, full);
    return node === undefined
      ? undefined
      : { instance: gw.name, path: full, node };
  }
  if (backend.resolve) {
    // The host knows the notation: `%mbus:<instance>/…`, `%mbus<cluster>:…`, `%mbus:…`.
    const gw = backend.resolve(full).gateway;
    const node = gw.get(full);
    return node === undefined
      ? undefined
      : { instance: gw.name, path: full, node };
  }
  const [first = "", ...rest] = bare.split("/");
  const named = backend.get(first);
  if (named && rest.length > 0) {
    // `%mbus:<instance>/<address>/…`: the instance may understand the long form or the short one.
    const node = lookup(named, full) ?? lookup(named, PREFIX + rest.join("/"));
    return node === undefined
      ? undefined
      : { instance: named.name, path: full, node };
  }
  for (const gw of backend.instances) {
    const node = lookup(gw, full);
    if (node !== undefined) return { instance: gw.name, path: full, node };
  }
  return undefined;
}

const PathParams = z.object({
  path: z.string().min(1).max(1024).openapi({
    param: { name: "path", in: "path" },
    description:
      "URL-encoded %mbus: path, e.g. %25mbus%3A1%2F0%2Fvalue; may start with the instance name",
    example: "%mbus:1/0/value",
  }),
});

const Value = z.object({
  instance: z.string().optional(),
  path: z.string(),
  value: z.unknown().openapi({
    description: "The node: meter, record or field",
  }),
});

const readRoute = createRoute({
  method: "post",
  path: "/api/values/{path}/read",
  operationId: "readValue",
  summary:
    "Read the meter of a %mbus: path now, then return the path's content",
  security: SECURED,
  request: { params: PathParams },
  responses: {
    200: json(Value, "The path's content after the read"),
    ...errors(...BUS_ERRORS, 422),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/api/values/{path}",
  operationId: "getValue",
  summary: "One node of the address tree by URL-encoded %mbus: path",
  request: {
    params: PathParams,
    query: z.object({
      instance: z.string().max(64).optional().openapi({
        description: "Instance to look in",
      }),
    }),
  },
  responses: { 200: json(Value, "The node"), ...errors(...READ_ERRORS) },
});

/**
 * Route of single values.
 *
 * @param deps Shared state.
 * @returns A router mounted at `/`.
 */
export function valueRoutes(deps: RouteDeps): OpenAPIHono {
  const app = router();
  app.openapi(readRoute, async (c) => {
    const { path } = c.req.valid("param");
    const { backend } = deps;
    if (!backend.readPath) {
      throw new ApiError(
        "UNSUPPORTED",
        "Reading by path is not supported by this gateway",
      );
    }
    const full = HEAD_RE.test(path) ? path : PREFIX + path;
    const instance = backend.resolve?.(full).gateway.name;
    // The server's shutdown cancels the read (not `request.signal`: see commands.ts).
    const node = await backend.readPath(full, deps.signal);
    return send(c, {
      ...(instance === undefined ? {} : { instance }),
      path: full,
      value: toJson(node),
    });
  });

  app.openapi(getRoute, (c) => {
    const { path } = c.req.valid("param");
    const instance = c.req.valid("query").instance || undefined;
    const found = resolveValue(deps.backend, path, instance);
    if (!found) throw new ApiError("NOT_FOUND", `Nothing at "${path}" (yet)`);
    return send(c, {
      instance: found.instance,
      path: found.path,
      value: toJson(found.node),
    });
  });
  return app;
}
