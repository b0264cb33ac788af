/**
 * Instances, their values, and commands to one meter: `GET /api/instances`,
 * `GET /api/instances/:name`, `GET /api/instances/:name/values`,
 * `POST /api/instances/:name/read`, `POST /api/instances/:name/set-primary`,
 * `POST /api/instances/:name/set-baudrate`.
 *
 * @module
 */
import { Hono } from "hono";
import { BAUD_RATES } from "../../transport/transport.ts";
import type { ApiGateway } from "../backend.ts";
import { instanceOrThrow, type RouteDeps } from "../deps.ts";
import { renameConfiguredPrimary, restartRequiredOf } from "./addresses.ts";
import { ApiError } from "../errors.ts";
import {
  optionalString,
  readBody,
  requireConfirmation,
  requiredAddress,
  requiredInt,
} from "../input.ts";
import { type Json, toJson } from "../json.ts";
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

/**
 * Routes of instances and meter commands.
 *
 * @param deps Shared state.
 * @returns A Hono sub-app mounted at `/`.
 */
export function instanceRoutes(deps: RouteDeps): Hono {
  const app = new Hono();
  const { backend } = deps;

  app.get(
    "/api/instances",
    (c) => c.json({ instances: backend.instances.map(instanceToJson) }),
  );

  app.get("/api/instances/:name", (c) => {
    const gw = instanceOrThrow(backend, c.req.param("name"));
    return c.json({
      ...instanceToJson(gw) as Record<string, Json>,
      config: toJson(gw.config),
      metrics: toJson(gw.metrics()),
      bridge: toJson(gw.bridge ?? null),
      scans: gw.scans().map((j) => scanToJson(gw.name, j)),
    });
  });

  app.get("/api/instances/:name/heard", (c) => {
    const gw = instanceOrThrow(backend, c.req.param("name"));
    return c.json({ instance: gw.name, meters: toJson(gw.heard?.() ?? []) });
  });

  app.get("/api/instances/:name/values", (c) => {
    const gw = instanceOrThrow(backend, c.req.param("name"));
    const address = optionalString(
      c.req.query("address") || undefined,
      "address",
    );
    const q = optionalString(c.req.query("q") || undefined, "q");
    const filter: { address?: string; q?: string } = {};
    if (address !== undefined) filter.address = address;
    if (q !== undefined) filter.q = q;
    return c.json({ instance: gw.name, values: toJson(gw.values(filter)) });
  });

  app.post("/api/instances/:name/read", async (c) => {
    const gw = instanceOrThrow(backend, c.req.param("name"));
    const body = await readBody(c);
    const address = requiredAddress(body.address);
    const reading = await gw.read(address, c.req.raw.signal);
    return c.json({ instance: gw.name, address, reading: toJson(reading) });
  });

  app.post("/api/instances/:name/set-primary", async (c) => {
    const gw = instanceOrThrow(backend, c.req.param("name"));
    const body = await readBody(c);
    const address = requiredAddress(body.address);
    const newAddress = requiredInt(body.newAddress, "newAddress", {
      min: 0,
      max: 250,
    });
    requireConfirmation(body, `set the primary address of ${address}`);
    const result = await gw.setPrimaryAddress(address, newAddress);
    // The meter answers at its new address only: keep the configuration in step.
    const configUpdated = await renameConfiguredPrimary(
      backend,
      gw.name,
      address,
      newAddress,
    );
    return c.json({
      instance: gw.name,
      address,
      newAddress,
      result: toJson(result),
      configUpdated,
      ...(configUpdated ? { restartRequired: restartRequiredOf(backend) } : {}),
    });
  });

  app.post("/api/instances/:name/set-baudrate", async (c) => {
    const gw = instanceOrThrow(backend, c.req.param("name"));
    const body = await readBody(c);
    const address = requiredAddress(body.address);
    const baudRate = body.baudRate;
    if (!(BAUD_RATES as readonly unknown[]).includes(baudRate)) {
      throw new ApiError(
        "BAD_BAUD_RATE",
        `Invalid "baudRate": ${JSON.stringify(baudRate)} is not one of ${
          BAUD_RATES.join(", ")
        }`,
      );
    }
    requireConfirmation(body, `set the baud rate of ${address}`);
    const result = await gw.setBaudRate(address, baudRate as number);
    return c.json({
      instance: gw.name,
      address,
      baudRate: baudRate as number,
      result: toJson(result),
    });
  });

  return app;
}
