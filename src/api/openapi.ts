/**
 * The OpenAPI 3.1 description of the HTTP API, written as data and served at
 * `GET /openapi.json`. A test compares its paths with the routes the app really has.
 *
 * @module
 */
import {
  address,
  body,
  commandErrors,
  common,
  confirm,
  error,
  idParam,
  json,
  nameParam,
  query,
  ref,
  SCHEMAS,
  secured,
} from "./_openapi_parts.ts";

/** The served document. */
export const OPENAPI_DOCUMENT: Readonly<Record<string, unknown>> = {
  openapi: "3.1.0",
  info: {
    title: "mbusgw HTTP API",
    version: "0.1.0",
    description:
      "M-Bus gateway: instances, values, on-demand reads, scans, history, " +
      "live events (SSE) and metrics. Mutating requests need the bearer token when one is set.",
  },
  // Relative: the document describes the server that serves it (default 127.0.0.1:8080).
  servers: [{ url: "/" }],
  components: {
    schemas: SCHEMAS,
    securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
  },
  paths: {
    "/": {
      get: {
        operationId: "getUi",
        summary: "Web page: instances, live values, scans, events",
        responses: {
          "200": {
            description: "HTML",
            content: { "text/html": { schema: { type: "string" } } },
          },
        },
      },
    },
    "/healthz": {
      get: {
        operationId: "getHealth",
        summary: "Liveness",
        responses: {
          "200": json({ type: "object" }, '`{ status: "ok", instances }`'),
        },
      },
    },
    "/metrics": {
      get: {
        operationId: "getMetrics",
        summary:
          "Prometheus metrics (text format 0.0.4), bus counters per instance",
        responses: {
          "200": {
            description: "Metrics",
            content: { "text/plain": { schema: { type: "string" } } },
          },
        },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "getOpenApi",
        summary: "This document",
        responses: { "200": json({ type: "object" }, "OpenAPI 3.1") },
      },
    },
    "/events": {
      get: {
        operationId: "streamEvents",
        summary:
          "Live events as server-sent events (valueChanged, scanProgress, scanFinished, busState, bridgeState, readFailed)",
        parameters: [
          query("instance", "Only events of this instance"),
          query("types", "Comma-separated event types to receive"),
          {
            name: "Last-Event-ID",
            in: "header",
            required: false,
            description: "Replay events after this id",
            schema: { type: "string" },
          },
        ],
        responses: {
          "200": {
            description: "Event stream; `: heartbeat` comments when idle",
            content: { "text/event-stream": { schema: { type: "string" } } },
          },
          "404": error("No such instance"),
        },
      },
    },
    "/api/instances": {
      get: {
        operationId: "listInstances",
        summary: "List instances",
        responses: {
          "200": json(
            {
              type: "object",
              properties: {
                instances: { type: "array", items: ref("InstanceSummary") },
              },
            },
            "Instances",
          ),
        },
      },
    },
    "/api/instances/{name}": {
      get: {
        operationId: "getInstance",
        summary: "One instance with its metrics and scan jobs",
        parameters: [nameParam],
        responses: { "200": json(ref("Instance"), "Instance"), ...common },
      },
    },
    "/api/instances/{name}/addresses": {
      post: {
        operationId: "addAddresses",
        summary:
          "Add meters to the instance in the configuration file (validated, written atomically, applied live to the running instance)",
        security: secured,
        parameters: [nameParam],
        requestBody: body({
          type: "object",
          description:
            'One address object (`{ "name": "5", "scale": 1, … }`, the config file\'s keys) or `{ "addresses": [ … ] }`',
        }),
        responses: {
          "201": json(
            { type: "object" },
            "`{ instance, addresses, restartRequired }` (keys redacted; `restartRequired` is false when applied live, else the instances that need a restart)",
          ),
          ...common,
        },
      },
    },
    "/api/instances/{name}/addresses/{address}": {
      delete: {
        operationId: "removeAddress",
        summary:
          "Remove a meter from the instance in the configuration file (written atomically, applied live)",
        security: secured,
        parameters: [nameParam, {
          name: "address",
          in: "path",
          required: true,
          schema: { type: "string" },
          description: "The address entry's name as configured",
        }],
        responses: {
          "200": json(
            { type: "object" },
            "`{ instance, addresses, restartRequired }` (false when applied live, else the instances that need a restart)",
          ),
          ...common,
        },
      },
    },
    "/api/instances/{name}/heard": {
      get: {
        operationId: "listHeardMeters",
        summary:
          "Wireless meters heard on air, configured or not (empty for a wired instance)",
        parameters: [nameParam],
        responses: {
          "200": json(
            { type: "object" },
            "`{ instance, meters: [{ id, manufacturer, version, medium, driver, configured, telegrams, lastHeardAt, rssi, mode, error }] }`",
          ),
          ...common,
        },
      },
    },
    "/api/instances/{name}/meters": {
      get: {
        operationId: "listMeters",
        summary:
          "The meters of an instance with their identity (ID, manufacturer, medium, addresses, last read, errors; RSSI and driver on air)",
        parameters: [nameParam],
        responses: {
          "200": json(
            { type: "object" },
            "`{ instance, type, meters: [{ name, configured, primary, secondary, id, manufacturer, version, medium, mediumName, readAt, records, error, driver?, rssi?, lastHeardAt? }] }`",
          ),
          ...common,
        },
      },
    },
    "/api/instances/{name}/values": {
      get: {
        operationId: "listValues",
        summary: "Current values of an instance's address tree",
        parameters: [
          nameParam,
          query("address", "Only this meter (primary or secondary address)"),
          query("q", "Only entries whose path or metadata contain this text"),
        ],
        responses: {
          "200": json({ type: "object" }, "`{ instance, values }`"),
          ...common,
        },
      },
    },
    "/api/instances/{name}/read": {
      post: {
        operationId: "readMeter",
        summary: "Read one meter now (waits for the bus)",
        security: secured,
        parameters: [nameParam],
        requestBody: body({
          type: "object",
          required: ["address"],
          properties: { address },
        }),
        responses: {
          "200": json({ type: "object" }, "`{ instance, address, reading }`"),
          ...commandErrors,
        },
      },
    },
    "/api/instances/{name}/set-primary": {
      post: {
        operationId: "setPrimaryAddress",
        summary: "Set a meter's primary address",
        security: secured,
        parameters: [nameParam],
        requestBody: body({
          type: "object",
          required: ["address", "newAddress", "confirm"],
          properties: {
            address,
            newAddress: { type: "integer", minimum: 0, maximum: 250 },
            confirm,
          },
        }),
        responses: {
          "200": json({ type: "object" }, "Done"),
          ...commandErrors,
        },
      },
    },
    "/api/instances/{name}/set-baudrate": {
      post: {
        operationId: "setBaudRate",
        summary: "Switch a meter's baud rate",
        security: secured,
        parameters: [nameParam],
        requestBody: body({
          type: "object",
          required: ["address", "baudRate", "confirm"],
          properties: {
            address,
            baudRate: {
              enum: [300, 600, 1200, 2400, 4800, 9600, 19200, 38400],
            },
            confirm,
          },
        }),
        responses: {
          "200": json({ type: "object" }, "Done"),
          ...commandErrors,
        },
      },
    },
    "/api/instances/{name}/scans": {
      get: {
        operationId: "listScans",
        summary: "Scan jobs of an instance",
        parameters: [nameParam],
        responses: {
          "200": json({
            type: "object",
            properties: { scans: { type: "array", items: ref("ScanJob") } },
          }, "Jobs"),
          ...common,
        },
      },
      post: {
        operationId: "startScan",
        summary:
          "Start a scan job (primary range, secondary mask, wireless listening)",
        security: secured,
        parameters: [nameParam],
        requestBody: body(ref("ScanRequest")),
        responses: {
          "202": json(ref("ScanJob"), "Started; Location names the job"),
          ...commandErrors,
        },
      },
    },
    "/api/instances/{name}/scans/{id}": {
      get: {
        operationId: "getScan",
        summary: "A scan job with its progress",
        parameters: [nameParam, idParam],
        responses: { "200": json(ref("ScanJob"), "Job"), ...common },
      },
      delete: {
        operationId: "cancelScan",
        summary: "Cancel a scan job",
        security: secured,
        parameters: [nameParam, idParam],
        responses: {
          "200": json(ref("ScanJob"), "Job (cancelling)"),
          "401": error("Token"),
          ...common,
        },
      },
    },
    "/api/values/{path}": {
      get: {
        operationId: "getValue",
        summary: "One node of the address tree by URL-encoded %mbus: path",
        parameters: [
          {
            name: "path",
            in: "path",
            required: true,
            description:
              "e.g. %25mbus%3A1%2F0%2Fvalue; may start with the instance name",
            schema: { type: "string" },
          },
          query("instance", "Instance to look in"),
        ],
        responses: {
          "200": json({ type: "object" }, "`{ instance, path, value }`"),
          ...common,
        },
      },
    },
    "/api/values/{path}/read": {
      post: {
        operationId: "readValue",
        summary:
          "Read the meter of a %mbus: path now, then return the path's content",
        security: secured,
        parameters: [{
          name: "path",
          in: "path",
          required: true,
          description:
            "URL-encoded %mbus: path, e.g. %25mbus%3A1 or %25mbus%3Aheat%2F1%2F0",
          schema: { type: "string" },
        }],
        responses: {
          "200": json({ type: "object" }, "`{ instance, path, value }`"),
          "422": error("The gateway cannot read by path (UNSUPPORTED)"),
          ...commandErrors,
        },
      },
    },
    "/api/history": {
      get: {
        operationId: "queryHistory",
        summary: "Logged values in a time range",
        parameters: [
          query("address", "Meter address or %mbus: path"),
          query("instance", "Instance name"),
          query("from", "Epoch ms or ISO 8601; default `to` − 24 h"),
          query("to", "Epoch ms or ISO 8601; default now"),
          query("limit", "At most this many rows (default 1000)", {
            type: "integer",
            minimum: 1,
          }),
        ],
        responses: {
          "200": json({ type: "object" }, "`{ from, to, limit, rows }`"),
          ...common,
        },
      },
    },
  },
};
