/**
 * Editing an instance's meters in the configuration file: `POST /api/instances/:name/addresses`
 * adds one or more (e.g. from a scan's result), `DELETE /api/instances/:name/addresses/:address`
 * removes one. The file is validated and written atomically (temporary file, fsync,
 * rename); a gateway host then applies the meters' changes to the running instance live,
 * and the answer's `restartRequired` is `false`, or the instances that still need a restart
 * (a backend that does not apply changes live answers `true`).
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { ApiBackend } from "../backend.ts";
import { instanceOrThrow, type RouteDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { toJson } from "../json.ts";
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
import { MbusError } from "../../util/mod.ts";

type RawObject = Record<string, unknown>;

function isObject(v: unknown): v is RawObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The raw address entries of instance `name`, created when missing. */
function rawAddresses(raw: RawObject, name: string): unknown[] {
  const gateways = Array.isArray(raw.gateways) ? raw.gateways : [];
  const g = gateways.find((x) => isObject(x) && x.name === name);
  if (!isObject(g)) {
    throw new ApiError(
      "NOT_FOUND",
      `Cannot find instance "${name}" in the configuration file`,
    );
  }
  if (!Array.isArray(g.addresses)) g.addresses = [];
  return g.addresses as unknown[];
}

function entryName(entry: unknown): string {
  const n = isObject(entry) ? entry.name : entry;
  return String(n ?? "").toUpperCase();
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

function addressesOf(config: unknown, name: string): unknown {
  const gateways = isObject(config) && Array.isArray(config.gateways)
    ? config.gateways
    : [];
  const g = gateways.find((x) => isObject(x) && x.name === name);
  return isObject(g) ? g.addresses : [];
}

/**
 * What an answer says about restarting after a configuration change: `false` when the
 * backend applied it live, else the instances that need a restart (`true` when the backend
 * does not say, e.g. one that never applies changes live).
 *
 * @param backend The backend, after its `updateConfig` resolved.
 * @returns `false`, the instance names, or `true`.
 */
export function restartRequiredOf(backend: ApiBackend): boolean | string[] {
  const pending: unknown = (backend as { restartRequired?: unknown })
    .restartRequired;
  if (!Array.isArray(pending)) return true;
  return pending.length === 0 ? false : pending.map(String);
}

/**
 * After a meter's primary address changed on the bus, renames its entry in the config file
 * (when the gateway runs from a file and the meter is configured by that primary address).
 *
 * @param backend The gateway host.
 * @param instance Instance name.
 * @param oldAddress The address the meter had, as given.
 * @param newAddress Its new primary address.
 * @returns True when the file was changed.
 */
export async function renameConfiguredPrimary(
  backend: ApiBackend,
  instance: string,
  oldAddress: string,
  newAddress: number,
): Promise<boolean> {
  if (!backend.updateConfig || !/^\d{1,3}$/.test(oldAddress.trim())) {
    return false;
  }
  const from = String(Number(oldAddress.trim()));
  let renamed = false;
  await backend.updateConfig((raw) => {
    const list = rawAddresses(raw, instance);
    if (list.some((e) => entryName(e) === String(newAddress))) return;
    const i = list.findIndex((e) => entryName(e) === from);
    if (i < 0) return;
    const entry = list[i];
    list[i] = isObject(entry)
      ? { ...entry, name: String(newAddress) }
      : { name: String(newAddress) };
    renamed = true;
  }).catch((e: unknown) => {
    // A gateway started without a file has nothing to keep in step.
    if (!(e instanceof MbusError && e.code === "UNSUPPORTED")) throw e;
  });
  return renamed;
}

/** One meter entry as in the config file (validated by the config schema when written). */
const Entry = z.looseObject({}).openapi({
  description:
    'An address object with the config file\'s keys (`{ "name": "5", "scale": 1, … }`, see docs/config.md)',
});

const AddBody = withExample(
  "POST /api/instances/{name}/addresses",
  z.union([
    z.object({ addresses: z.array(Entry).min(1).max(1000) }),
    Entry,
  ], {
    error:
      'an address object ({ "name": … }) or { "addresses": [ … ] } (1 to 1000 objects)',
  }).openapi("AddAddressesRequest"),
  { addresses: [{ name: "5", scale: 0.001 }, { name: "12345678" }] },
);

const Changed = z.object({
  instance: z.string(),
  addresses: z.array(Open).openapi({
    description: "The instance's configured meters (keys redacted)",
  }),
  restartRequired: RestartRequired,
});

const add = createRoute({
  method: "post",
  path: "/api/instances/{name}/addresses",
  operationId: "addAddresses",
  summary:
    "Add meters to the instance in the configuration file (validated, written atomically, applied live to the running instance)",
  security: SECURED,
  request: { params: NameParams, body: body(AddBody) },
  responses: {
    201: json(Changed, "Added"),
    ...errors(...WRITE_ERRORS, 422),
  },
});

const remove = createRoute({
  method: "delete",
  path: "/api/instances/{name}/addresses/{address}",
  operationId: "removeAddress",
  summary:
    "Remove a meter from the instance in the configuration file (written atomically, applied live)",
  security: SECURED,
  request: {
    params: NameParams.extend({
      address: z.string().min(1).max(64).openapi({
        param: { name: "address", in: "path" },
        description: "The address entry's name as configured",
      }),
    }),
  },
  responses: {
    200: json(Changed, "Removed"),
    ...errors(...WRITE_ERRORS, 422),
  },
});

/**
 * Routes that edit the configured meters.
 *
 * @param deps Shared state.
 * @returns A router mounted at `/`.
 */
export function addressRoutes(deps: RouteDeps): OpenAPIHono {
  const app = router();
  const { backend } = deps;

  app.openapi(add, async (c) => {
    const gw = instanceOrThrow(backend, c.req.valid("param").name);
    const body: Record<string, unknown> = c.req.valid("json");
    const entries = Array.isArray(body.addresses) ? body.addresses : [body];
    if (entries.length === 0 || !entries.every(isObject)) {
      throw new ApiError(
        "BAD_REQUEST",
        'Invalid body: expected an address object ({ "name": … }) or { "addresses": [ … ] }',
      );
    }
    const update = updater(backend);
    const config = await update((raw) => {
      const list = rawAddresses(raw, gw.name);
      for (const entry of entries) {
        const name = entryName(entry);
        if (list.some((e) => entryName(e) === name)) {
          throw new ApiError(
            "BAD_REQUEST",
            `Cannot add meter "${name}" to "${gw.name}": it is configured already`,
          );
        }
        list.push(entry);
      }
    });
    return send(c, {
      instance: gw.name,
      addresses: toJson(addressesOf(config, gw.name)),
      restartRequired: restartRequiredOf(backend),
    }, 201);
  });

  app.openapi(remove, async (c) => {
    const params = c.req.valid("param");
    const gw = instanceOrThrow(backend, params.name);
    const wanted = params.address.toUpperCase();
    const update = updater(backend);
    const config = await update((raw) => {
      const list = rawAddresses(raw, gw.name);
      const i = list.findIndex((e) => entryName(e) === wanted);
      if (i < 0) {
        throw new ApiError(
          "NOT_FOUND",
          `Cannot remove meter "${wanted}" from "${gw.name}": it is not configured`,
        );
      }
      list.splice(i, 1);
    });
    return send(c, {
      instance: gw.name,
      addresses: toJson(addressesOf(config, gw.name)),
      restartRequired: restartRequiredOf(backend),
    });
  });

  return app;
}
