/**
 * Building blocks of the OpenAPI document: fragment helpers, shared parameters and the
 * reusable schemas.
 *
 * @module
 */
import { ERROR_STATUS } from "./errors.ts";

/** A fragment of the document. */
export type Doc = Record<string, unknown>;

/** Builds a `ref` fragment. */
export function ref(name: string): Doc {
  return { $ref: `#/components/schemas/${name}` };
}
/** Builds a `json` fragment. */
export function json(schema: Doc, description: string): Doc {
  return { description, content: { "application/json": { schema } } };
}
/** Builds a `error` fragment. */
export function error(description: string): Doc {
  return json(ref("Error"), description);
}
/** The `nameParam` fragment. */
export const nameParam: Doc = {
  name: "name",
  in: "path",
  required: true,
  description: "Instance name",
  schema: { type: "string" },
};
/** The `idParam` fragment. */
export const idParam: Doc = {
  name: "id",
  in: "path",
  required: true,
  description: "Scan job id",
  schema: { type: "string" },
};
/** Builds a `query` fragment. */
export function query(name: string, description: string, schema?: Doc): Doc {
  return {
    name,
    in: "query",
    required: false,
    description,
    schema: schema ?? { type: "string" },
  };
}
/** Builds a `body` fragment. */
export function body(schema: Doc): Doc {
  return { required: true, content: { "application/json": { schema } } };
}
/** The `secured` fragment. */
export const secured = [{ bearerAuth: [] }];
/** The `address` fragment. */
export const address: Doc = {
  oneOf: [{ type: "integer", minimum: 0, maximum: 250 }, { type: "string" }],
  description:
    "Primary address 0..250, 8-digit ID or 16-hex-digit secondary address",
};
/** The `confirm` fragment. */
export const confirm: Doc = {
  const: true,
  description: "Must be true: the command changes the meter",
};
/** The `common` fragment. */
export const common: Doc = {
  "400": error(
    "Bad input (BAD_REQUEST, BAD_ADDRESS, BAD_MASK, CONFIRMATION_REQUIRED, …)",
  ),
  "404": error("No such instance, job or value (NOT_FOUND)"),
};
/** The `commandErrors` fragment. */
export const commandErrors: Doc = {
  ...common,
  "401": error("Bearer token missing or wrong (UNAUTHORIZED)"),
  "409": error("The bus is busy (BUS_BUSY)"),
  "504": error("The meter did not answer (NO_RESPONSE)"),
};
/** The `untyped` fragment. */
export const untyped: Doc = { description: "Shape owned by the gateway" };

/** Reusable schemas. */
export const SCHEMAS: Doc = {
  Error: {
    type: "object",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["code", "message"],
        properties: {
          code: { type: "string", examples: Object.keys(ERROR_STATUS) },
          message: { type: "string" },
        },
      },
    },
  },
  InstanceSummary: {
    type: "object",
    required: ["name", "state", "href"],
    properties: {
      name: { type: "string" },
      cluster: {
        type: "integer",
        description: "Cluster number of `%mbus<cluster>:` paths",
      },
      state: {
        type: "string",
        examples: ["idle", "polling", "scanning", "bridged", "stopped"],
      },
      href: { type: "string", description: "URL of the instance" },
    },
  },
  Instance: {
    type: "object",
    required: ["name", "state", "config"],
    properties: {
      name: { type: "string" },
      cluster: { type: "integer" },
      metrics: { type: "object", description: "Counters, as in /metrics" },
      bridge: {
        type: ["object", "null"],
        description:
          "TCP bridge: listening address, connected client (address, since, bytes each way, holdsBus), sessions, refused, byte totals; null when tcpServer is off",
      },
      scans: { type: "array", items: ref("ScanJob") },
      state: {
        type: "string",
        examples: ["idle", "polling", "scanning", "bridged", "stopped"],
      },
      config: {
        type: "object",
        description: "Instance config; `key` fields replaced by `hasKey`",
      },
    },
  },
  ScanRequest: {
    type: "object",
    required: ["kind"],
    properties: {
      kind: { enum: ["primary", "secondary", "wireless"] },
      from: {
        type: "integer",
        minimum: 0,
        maximum: 250,
        description: "primary: first address",
      },
      to: {
        type: "integer",
        minimum: 0,
        maximum: 250,
        description: "primary: last address",
      },
      mask: {
        type: "string",
        description: "secondary: 16 hex digits, F = wildcard",
      },
      durationMs: {
        type: "integer",
        minimum: 1,
        description: "wireless: listening time",
      },
    },
  },
  ScanJob: {
    type: "object",
    required: ["id", "instance", "kind", "status"],
    properties: {
      id: { type: "string" },
      instance: { type: "string" },
      kind: { enum: ["primary", "secondary", "wireless"] },
      status: { enum: ["running", "done", "cancelled", "failed"] },
      progress: untyped,
      result: untyped,
      error: untyped,
    },
  },
};
