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
import { Hono } from "hono";
import type { ApiBackend } from "../backend.ts";
import { instanceOrThrow, type RouteDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { readBody } from "../input.ts";
import { toJson } from "../json.ts";
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

/**
 * Routes that edit the configured meters.
 *
 * @param deps Shared state.
 * @returns A Hono sub-app mounted at `/`.
 */
export function addressRoutes(deps: RouteDeps): Hono {
  const app = new Hono();
  const { backend } = deps;

  app.post("/api/instances/:name/addresses", async (c) => {
    const gw = instanceOrThrow(backend, c.req.param("name"));
    const body = await readBody(c);
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
    return c.json({
      instance: gw.name,
      addresses: toJson(addressesOf(config, gw.name)),
      restartRequired: restartRequiredOf(backend),
    }, 201);
  });

  app.delete("/api/instances/:name/addresses/:address", async (c) => {
    const gw = instanceOrThrow(backend, c.req.param("name"));
    const wanted = c.req.param("address").toUpperCase();
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
    return c.json({
      instance: gw.name,
      addresses: toJson(addressesOf(config, gw.name)),
      restartRequired: restartRequiredOf(backend),
    });
  });

  return app;
}
