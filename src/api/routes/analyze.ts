/**
 * The telegram analyzer: `POST /api/analyze` explains a wired frame or a wireless telegram
 * byte by byte (which layer and field each byte belongs to, what it means, and what was not
 * understood), the same JSON as `mbusgw analyze --json`.
 *
 * @module
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { analyzeHex } from "../../wmbus/mod.ts";
import { parseHex } from "../../util/mod.ts";
import { ApiError } from "../errors.ts";
import {
  allow,
  body,
  errors,
  json,
  router,
  SECURED,
  send,
  withExample,
} from "../route_kit.ts";

const HEX_ALLOWED = allow("1 to 2048 characters of hex (spaces allowed)");

const AnalyzeBody = withExample(
  "AnalyzeRequest",
  z.object({
    hex: z.string().min(1, HEX_ALLOWED).max(2048, HEX_ALLOWED).openapi({
      description:
        "The frame or telegram as hex (spaces allowed), at most 2048 characters",
    }),
    key: z.string().regex(
      /^([0-9A-Fa-f]{32}|[0-9A-Fa-f]{16})$/,
      allow("32 hex digits (AES-128) or 16 (DES)"),
    ).optional()
      .openapi({
        description:
          "The meter's AES-128 (32 hex digits) or DES (16) key, to explain an encrypted payload",
      }),
  }).strict().openapi("AnalyzeRequest"),
  { hex: "10 40 01 41 16" },
);

const Span = z.object({
  offset: z.int(),
  hex: z.string(),
  layer: z.string(),
  field: z.string(),
  meaning: z.string(),
  understood: z.boolean(),
});

const AnalyzeAnswer = withExample(
  "AnalyzeResult",
  z.object({
    kind: z.enum(["wired", "wireless", "invalid"]),
    length: z.int(),
    spans: z.array(Span),
    notes: z.array(z.string()),
    notUnderstood: z.int(),
  }).openapi("AnalyzeResult"),
  {
    kind: "wired",
    length: 5,
    spans: [{
      offset: 0,
      hex: "10",
      layer: "link",
      field: "start",
      meaning: "short frame",
      understood: true,
    }],
    notes: [],
    notUnderstood: 0,
  },
);

const analyze = createRoute({
  method: "post",
  path: "/api/analyze",
  operationId: "analyze",
  summary:
    "Explain a wired frame or wireless telegram byte by byte (layer, field, meaning, what was not understood)",
  security: SECURED,
  request: { body: body(AnalyzeBody) },
  responses: {
    200: json(AnalyzeAnswer, "The analysis"),
    ...errors(400, 401, 403, 413, 415),
  },
});

/**
 * The analyzer's route (pure: no bus, no state).
 *
 * @returns A router mounted at `/`.
 */
export function analyzeRoutes(): OpenAPIHono {
  const app = router();
  app.openapi(analyze, (c) => {
    const { hex, key } = c.req.valid("json");
    let keyBytes: Uint8Array | undefined;
    if (key !== undefined) {
      const k = parseHex(key);
      if (!k.ok) {
        throw new ApiError("BAD_REQUEST", `Invalid "key": ${k.error.message}`);
      }
      keyBytes = k.value;
    }
    return send(c, analyzeHex(hex, keyBytes ? { key: keyBytes } : {}));
  });
  return app;
}
