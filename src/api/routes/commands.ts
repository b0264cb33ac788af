/**
 * Commands to one meter: `POST /api/instances/:name/read`, `POST …/set-primary` and
 * `POST …/set-baudrate` (the last two change the meter and need `confirm: true`).
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { NoResponseError } from "../../master/mod.ts";
import { BAUD_RATES } from "../../transport/mod.ts";
import { instanceOrThrow, type RouteDeps } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { toJson } from "../json.ts";
import {
  allow,
  body,
  BUS_ERRORS,
  errors,
  json,
  NameParams,
  router,
  SECURED,
  send,
  withExample,
} from "../route_kit.ts";
import {
  AddressField,
  ConfirmField,
  Open,
  RestartRequired,
} from "../schemas.ts";
import { renameConfiguredPrimary, restartRequiredOf } from "./addresses.ts";

const ReadBody = withExample(
  "POST /api/instances/{name}/read",
  z.object({ address: AddressField }).openapi("ReadRequest"),
  { address: 5 },
);

const read = createRoute({
  method: "post",
  path: "/api/instances/{name}/read",
  operationId: "readMeter",
  summary: "Read one meter now (waits for the bus)",
  security: SECURED,
  request: { params: NameParams, body: body(ReadBody) },
  responses: {
    200: json(
      z.object({ instance: z.string(), address: z.string(), reading: Open }),
      "The reading",
    ),
    ...errors(...BUS_ERRORS),
  },
});

const NEW_ADDRESS = "an integer from 0 to 250";

const SetPrimaryBody = withExample(
  "POST /api/instances/{name}/set-primary",
  z.object({
    address: AddressField,
    newAddress: z.int(allow(NEW_ADDRESS)).min(0, allow(NEW_ADDRESS)).max(
      250,
      allow(NEW_ADDRESS),
    ),
    confirm: ConfirmField,
  }).openapi("SetPrimaryRequest"),
  { address: 5, newAddress: 7, confirm: true },
);

const setPrimary = createRoute({
  method: "post",
  path: "/api/instances/{name}/set-primary",
  operationId: "setPrimaryAddress",
  summary:
    "Set a meter's primary address; a meter configured by its old primary address is renamed in the config file",
  security: SECURED,
  request: { params: NameParams, body: body(SetPrimaryBody) },
  responses: {
    200: json(
      z.object({
        instance: z.string(),
        address: z.string(),
        newAddress: z.int(),
        result: z.unknown(),
        configUpdated: z.boolean(),
        restartRequired: RestartRequired.optional(),
      }),
      "Done",
    ),
    ...errors(...BUS_ERRORS),
  },
});

const BAUD = `one of ${BAUD_RATES.join(", ")}`;

const SetBaudBody = withExample(
  "POST /api/instances/{name}/set-baudrate",
  z.object({
    address: AddressField,
    baudRate: z.literal(BAUD_RATES, allow(BAUD)).openapi({
      description: "EN 13757-2 baud rate (else 400 BAD_BAUD_RATE)",
    }),
    confirm: ConfirmField,
  }).openapi("SetBaudRateRequest"),
  { address: 5, baudRate: 9600, confirm: true },
);

const setBaud = createRoute({
  method: "post",
  path: "/api/instances/{name}/set-baudrate",
  operationId: "setBaudRate",
  summary: "Switch a meter's baud rate",
  description:
    "The meter acknowledges at the old rate, then must answer at the new one. When it does " +
    "not, 504 NO_RESPONSE says that it may now talk at the new rate only: a TCP converter's " +
    "serial side keeps its own rate, a serial instance its `serialBaudRate`.",
  security: SECURED,
  request: { params: NameParams, body: body(SetBaudBody) },
  responses: {
    200: json(
      z.object({
        instance: z.string(),
        address: z.string(),
        baudRate: z.int(),
        result: z.unknown(),
      }),
      "Done",
    ),
    ...errors(...BUS_ERRORS),
  },
});

function requireConfirmation(confirm: boolean | undefined, what: string): void {
  if (confirm !== true) {
    throw new ApiError(
      "CONFIRMATION_REQUIRED",
      `Cannot ${what} without confirmation: send "confirm": true`,
    );
  }
}

/**
 * The error of a switch whose check at the new rate failed (the meter acknowledged the
 * switch at the old rate): it most likely talks at the new rate now, which the bus side of
 * the instance (a TCP converter's serial side, or the serial port at `serialBaudRate`) does
 * not. Any other error is returned as it is.
 */
function explainFailedCheck(
  e: unknown,
  config: unknown,
  address: string,
  rate: number,
): unknown {
  if (!(e instanceof NoResponseError && e.address.endsWith(` ${rate} Bd`))) {
    return e;
  }
  const type = config !== null && typeof config === "object" &&
      "type" in config
    ? config.type
    : undefined;
  const remedy = type === "serial"
    ? `set the instance's serialBaudRate to ${rate}`
    : `a TCP converter keeps its own rate: set its serial side to ${rate} Bd`;
  return new ApiError(
    "NO_RESPONSE",
    `Meter ${address} acknowledged the switch to ${rate} Bd but did not answer at that rate: it may now talk at ${rate} Bd only (${remedy}, or switch the meter back from there)`,
  );
}

/**
 * Routes of meter commands.
 *
 * @param deps Shared state.
 * @returns A router mounted at `/`.
 */
export function commandRoutes(deps: RouteDeps): OpenAPIHono {
  const app = router();
  const { backend } = deps;

  app.openapi(read, async (c) => {
    const gw = instanceOrThrow(backend, c.req.valid("param").name);
    const { address } = c.req.valid("json");
    // The server's shutdown cancels the read. Not `request.signal`: on Deno.serve it aborts
    // after every successful response too, and touching it prints a start-up warning.
    const reading = await gw.read(address, deps.signal);
    return send(c, { instance: gw.name, address, reading: toJson(reading) });
  });

  app.openapi(setPrimary, async (c) => {
    const gw = instanceOrThrow(backend, c.req.valid("param").name);
    const { address, newAddress, confirm } = c.req.valid("json");
    requireConfirmation(confirm, `set the primary address of ${address}`);
    const result = await gw.setPrimaryAddress(address, newAddress);
    // The meter answers at its new address only: keep the configuration in step.
    const configUpdated = await renameConfiguredPrimary(
      backend,
      gw.name,
      address,
      newAddress,
    );
    return send(c, {
      instance: gw.name,
      address,
      newAddress,
      result: toJson(result),
      configUpdated,
      ...(configUpdated ? { restartRequired: restartRequiredOf(backend) } : {}),
    });
  });

  app.openapi(setBaud, async (c) => {
    const gw = instanceOrThrow(backend, c.req.valid("param").name);
    const { address, baudRate, confirm } = c.req.valid("json");
    requireConfirmation(confirm, `set the baud rate of ${address}`);
    const result = await gw.setBaudRate(address, baudRate).catch(
      (e: unknown) => {
        throw explainFailedCheck(e, gw.config, address, baudRate);
      },
    );
    return send(c, {
      instance: gw.name,
      address,
      baudRate,
      result: toJson(result),
    });
  });

  return app;
}
