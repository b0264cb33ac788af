/**
 * The configuration file's schema, written once: every key with its type, default, limits
 * and a one-line description. Validation ({@link parseConfig}), the TypeScript types
 * (`keys.ts`), the JSON Schema served at `GET /api/config/schema` and docs/config.md all
 * come from it.
 *
 * @module
 */
import { z } from "zod";
import { type GatewayConfig, gatewaySchema } from "./gateway_schema.ts";
import { mqttSchema } from "./mqtt_schema.ts";
import {
  allow,
  int,
  MAX_RETENTION_DAYS,
  strict,
  text,
} from "./schema_parts.ts";
import { LOOPBACK_HOSTS } from "./schema_values.ts";

/** Most instances in one file. */
export const MAX_GATEWAYS = 64;

const HOST = "a host name or IP address";
const TOKEN = "a string of 8 to 256 characters";

/** The `api` section. */
export const apiSchema = strict({
  host: text(HOST, { nonEmpty: true, max: 253 }).default("127.0.0.1").describe(
    "Listen address; off loopback a token is required",
  ),
  port: int(0, 65535).default(8080).describe(
    "Listen port (0: any free port); not a bridge's tcpServerPort",
  ),
  token: z.string(allow(TOKEN)).min(
    8,
    allow("a string of 8 or more characters"),
  )
    .max(256, allow(TOKEN)).optional().describe(
      "Bearer token of mutating requests (Authorization: Bearer <token>); required off loopback",
    ),
  allowedHosts: z.array(
    text("a host name", { nonEmpty: true, max: 253 }),
    allow("an array of host names"),
  ).max(64, allow("an array of at most 64 host names")).optional().describe(
    "Host names the API answers to besides its listen address, IP literals and loopback names (absent: none)",
  ),
}).superRefine((api, ctx) => {
  if (
    typeof api.host === "string" && !LOOPBACK_HOSTS.includes(api.host) &&
    api.token === undefined
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["token"],
      params: { full: true },
      message:
        `a token is required when the API listens on "${api.host}" (not loopback)`,
    });
  }
});

/** The `history` section. */
export const historySchema = strict({
  path: text('a file path or ":memory:"', { nonEmpty: true }).default(
    ":memory:",
  )
    .describe(
      'SQLite file (WAL); ":memory:" keeps rows in RAM until exit (tests and demos)',
    ),
  retentionDays: int(1, MAX_RETENTION_DAYS, " (days)").default(30).describe(
    "Rows older than this many days are deleted (hourly)",
  ),
});

const GATEWAYS =
  `a non-empty array of gateway instances (at most ${MAX_GATEWAYS})`;

/** Keys of the whole file. */
export const appConfigShape = {
  api: apiSchema.prefault({}).describe("HTTP API (optional)"),
  history: historySchema.prefault({}).describe("History store (optional)"),
  mqtt: mqttSchema.optional().describe(
    "MQTT broker to publish readings to (optional; absent: no MQTT)",
  ),
  gateways: z.array(gatewaySchema, allow(GATEWAYS)).min(1, allow(GATEWAYS))
    .max(MAX_GATEWAYS, allow(GATEWAYS)).describe(
      "Gateway instances, one or more",
    ),
};

type Ctx = z.core.$RefinementCtx<unknown>;

function clash(ctx: Ctx, i: number, allowed: string, port: number): void {
  ctx.addIssue({
    code: "custom",
    path: ["gateways", i, "tcpServerPort"],
    message: allowed,
    params: { value: port },
  });
}

/** Rules between instances: unique names, clusters and listener ports. */
function crossCheck(
  config: { api: { port: number }; gateways: GatewayConfig[] },
  ctx: Ctx,
): void {
  const names = new Map<string, number>();
  const clusters = new Map<number, number>();
  const bridges = new Map<number, number>();
  for (const [i, g] of config.gateways.entries()) {
    const n = names.get(g.name);
    if (n !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["gateways", i, "name"],
        message: `a name not used by gateways[${n}]`,
      });
    }
    names.set(g.name, i);
    const c = clusters.get(g.cluster);
    if (c !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["gateways", i, "cluster"],
        message: `a cluster number not used by gateways[${c}] ("${
          config.gateways[c]?.name
        }")`,
      });
    }
    clusters.set(g.cluster, i);
    if (!g.tcpServer) continue;
    const port = g.tcpServerPort;
    const b = bridges.get(port);
    if (b !== undefined) {
      clash(ctx, i, `a port not used by gateways[${b}].tcpServerPort`, port);
    } else if (port === config.api.port) {
      clash(ctx, i, `a port other than "api.port" (${port})`, port);
    }
    bridges.set(port, i);
  }
}

/** The whole configuration file; the output is fully resolved. */
export const appConfigSchema = strict(appConfigShape).superRefine(
  (config, ctx) => {
    if (!Array.isArray(config.gateways)) return;
    if (!config.gateways.every((g) => typeof g?.name === "string")) return;
    crossCheck(config, ctx);
  },
);

/**
 * The JSON Schema (draft 2020-12) of the configuration file as written: defaults, limits
 * and descriptions of every key.
 *
 * @returns A JSON Schema object.
 */
export function configJsonSchema(): Record<string, unknown> {
  jsonSchema ??= z.toJSONSchema(appConfigSchema, { io: "input" }) as Record<
    string,
    unknown
  >;
  return structuredClone(jsonSchema);
}

let jsonSchema: Record<string, unknown> | undefined;
