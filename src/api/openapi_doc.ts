/**
 * The OpenAPI 3.1 document, generated from the routes' schemas (`@hono/zod-openapi`) and
 * served at `GET /openapi.json`. Every route is declared with `createRoute`, so a route
 * without documentation cannot exist unnoticed: a test compares the document's paths with
 * the routes the app really has.
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { json } from "./route_kit.ts";

/** The document's `info`. */
export const API_INFO = {
  title: "mbusgw HTTP API",
  version: "0.1.0",
  description:
    "M-Bus gateway: instances, values, on-demand reads, scans, history, " +
    "live events (SSE) and metrics. Mutating requests need the bearer token when one is set.",
} as const;

const openApiRoute = createRoute({
  method: "get",
  path: "/openapi.json",
  operationId: "getOpenApi",
  summary: "This document",
  responses: {
    200: json(z.record(z.string(), z.unknown()), "OpenAPI 3.1"),
  },
});

/**
 * The document of an app whose routes are all registered.
 *
 * @param app The root app.
 * @returns The OpenAPI 3.1 document.
 */
export function openApiDocument(app: OpenAPIHono): Record<string, unknown> {
  return app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: { ...API_INFO },
    // Relative: the document describes the server that serves it.
    servers: [{ url: "/" }],
  }) as unknown as Record<string, unknown>;
}

/**
 * Registers the bearer security scheme and `GET /openapi.json` on the root app; call it after
 * every other route. The document is built on the first request and kept.
 *
 * @param app The root app.
 */
export function serveOpenApi(app: OpenAPIHono): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
  });
  let doc: Record<string, unknown> | undefined;
  app.openapi(openApiRoute, (c) => {
    doc ??= openApiDocument(app);
    return c.json(doc, 200);
  });
}
