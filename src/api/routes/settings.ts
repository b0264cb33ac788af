/**
 * Editing settings through the config file, for the web console's forms:
 * `POST /api/instances/:name/addresses/:address` sets a meter's keys (scale, offset, polling,
 * maxFrames, maxRecords, log, key, driver, …), `POST /api/instances/:name/settings` an
 * instance's.
 * A key given as `null` is removed (its default applies again); a meter's `key` is kept
 * unless given. The file is validated and written atomically; the answer says whether the
 * running instance applied it live (`restartRequired: false`) or which instances need a
 * restart.
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { ApiBackend } from "../backend.ts";
import { instanceOrThrow, type RouteDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { type Json, toJson } from "../json.ts";
import {
  body,
  errors,
  json,
  NameParams,
  router,
  SECURED,
  send,
  withExample,
  WRITE_ERRORS,
} from "../route_kit.ts";
import { Open, RestartRequired } from "../schemas.ts";
import { restartRequiredOf } from "./addresses.ts";

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function updater(backend: ApiBackend): NonNullable<ApiBackend["updateConfig"]> {
  if (!backend.updateConfig) {
    throw new ApiError(
      "UNSUPPORTED",
      "Cannot change the configuration: the gateway was not started from a file",
    );
  }
  return backend.updateConfig.bind(backend);
}

function rawInstance(raw: Obj, name: string): Obj {
  const gateways = Array.isArray(raw.gateways) ? raw.gateways : [];
  const g = gateways.find((x) => isObject(x) && x.name === name);
  if (!isObject(g)) {
    throw new ApiError(
      "NOT_FOUND",
      `Cannot find instance "${name}" in the configuration file`,
    );
  }
  return g;
}

/**
 * Applies `changes` to `target`: `null` removes a key, anything else sets it.
 *
 * @param target The raw config object, edited in place.
 * @param changes The keys to set or remove.
 */
export function applyChanges(target: Obj, changes: Obj): void {
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete target[k];
    else target[k] = v;
  }
}

function instanceView(config: unknown, name: string): Json {
  const gws = isObject(config) && Array.isArray(config.gateways)
    ? config.gateways
    : [];
  return toJson(gws.find((g) => isObject(g) && g.name === name) ?? null);
}

const AddressParams = NameParams.extend({
  address: z.string().min(1).openapi({
    param: { name: "address", in: "path" },
    description: "The address entry's name as configured",
    example: "5",
  }),
});

const MeterChanged = withExample(
  "MeterSettingsChanged",
  z.object({
    instance: z.string(),
    address: z.string(),
    addresses: z.array(Open),
    restartRequired: RestartRequired,
  }).openapi("MeterSettingsChanged"),
  {
    instance: "heat",
    address: "5",
    addresses: [{ name: "5", maxFrames: 4 }],
    restartRequired: false,
  },
);

const InstanceChanged = withExample(
  "InstanceSettingsChanged",
  z.object({
    instance: z.string(),
    config: Open.nullable(),
    restartRequired: RestartRequired,
  }).openapi("InstanceSettingsChanged"),
  {
    instance: "heat",
    config: { name: "heat", requestTimeout: 3000 },
    restartRequired: ["heat"],
  },
);

const updateAddress = createRoute({
  method: "post",
  path: "/api/instances/{name}/addresses/{address}",
  operationId: "updateAddress",
  summary:
    "Change a configured meter's settings (a key given as null is removed; written atomically, applied live)",
  security: SECURED,
  request: {
    params: AddressParams,
    body: body(
      Open.openapi({
        description:
          "The meter's keys to set (`scale`, `offset`, `polling`, `maxFrames`, `maxRecords`, `log`, `key`, `driver`, …); null removes one",
        example: { maxFrames: 4, log: "update" },
      }),
    ),
  },
  responses: {
    200: json(MeterChanged, "Changed"),
    ...errors(...WRITE_ERRORS, 422),
  },
});

const updateInstance = createRoute({
  method: "post",
  path: "/api/instances/{name}/settings",
  operationId: "updateInstance",
  summary:
    "Change an instance's settings (a key given as null is removed; written atomically; restartRequired lists what needs a restart)",
  security: SECURED,
  request: {
    params: NameParams,
    body: body(
      Open.openapi({
        description:
          "The instance's keys to set (not `name` or `addresses`); null removes one",
        example: { requestTimeout: 3000 },
      }),
    ),
  },
  responses: {
    200: json(InstanceChanged, "Changed"),
    ...errors(...WRITE_ERRORS, 422),
  },
});

/**
 * Routes that edit settings.
 *
 * @param deps Shared state.
 * @returns A router mounted at `/`.
 */
export function settingsRoutes(deps: RouteDeps): OpenAPIHono {
  const app = router();
  const { backend } = deps;

  app.openapi(updateAddress, async (c) => {
    const params = c.req.valid("param");
    const gw = instanceOrThrow(backend, params.name);
    const wanted = params.address.toUpperCase();
    const changes: Obj = c.req.valid("json");
    if ("name" in changes) {
      throw new ApiError(
        "BAD_REQUEST",
        'Cannot rename a meter here: remove it and add it, or use set-primary ("name" given)',
      );
    }
    const config = await updater(backend)((raw) => {
      const g = rawInstance(raw, gw.name);
      const list = Array.isArray(g.addresses) ? g.addresses : [];
      const i = list.findIndex((e) =>
        String(isObject(e) ? e.name : e).toUpperCase() === wanted
      );
      if (i < 0) {
        throw new ApiError(
          "NOT_FOUND",
          `Cannot change meter "${wanted}" of "${gw.name}": it is not configured`,
        );
      }
      const entry: Obj = isObject(list[i])
        ? { ...list[i] as Obj }
        : { name: String(list[i]) };
      applyChanges(entry, changes);
      list[i] = entry;
    });
    const inst = instanceView(config, gw.name) as Obj | null;
    return send(c, {
      instance: gw.name,
      address: wanted,
      addresses: inst?.addresses ?? [],
      restartRequired: restartRequiredOf(backend),
    });
  });

  app.openapi(updateInstance, async (c) => {
    const gw = instanceOrThrow(backend, c.req.valid("param").name);
    const changes: Obj = c.req.valid("json");
    for (const k of ["name", "addresses"]) {
      if (k in changes) {
        throw new ApiError(
          "BAD_REQUEST",
          `Cannot change "${k}" here: ${
            k === "name"
              ? "an instance keeps its name"
              : "use the addresses routes"
          }`,
        );
      }
    }
    const config = await updater(backend)((raw) => {
      applyChanges(rawInstance(raw, gw.name), changes);
    });
    return send(c, {
      instance: gw.name,
      config: instanceView(config, gw.name),
      restartRequired: restartRequiredOf(backend),
    });
  });

  return app;
}
