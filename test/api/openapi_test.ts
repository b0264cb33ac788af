import assert from "node:assert/strict";
import {
  createApp,
  ERROR_STATUS,
  EXAMPLES,
  openApiDocument,
} from "../../src/api/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import { FakeBackend } from "./_fake_backend.ts";

/** The document the app generates from its routes' schemas. */
const OPENAPI_DOCUMENT = (() => {
  const clock = new VirtualClock();
  return openApiDocument(createApp(new FakeBackend(clock), { clock }));
})();

function appRoutes(): string[] {
  const clock = new VirtualClock();
  const app = createApp(new FakeBackend(clock), { clock });
  const routes = app.routes
    .filter((r) => r.method !== "ALL")
    .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`);
  return [...new Set(routes)].sort();
}

function documentedRoutes(): string[] {
  const paths = OPENAPI_DOCUMENT.paths as Record<
    string,
    Record<string, unknown>
  >;
  const out: string[] = [];
  for (const [path, ops] of Object.entries(paths)) {
    for (const method of Object.keys(ops)) {
      out.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return out.sort();
}

Deno.test("OPENAPI_DOCUMENT describes exactly the routes the app has", () => {
  assert.deepEqual(documentedRoutes(), appRoutes());
});

Deno.test("GET /openapi.json serves an OpenAPI 3.1 document with bearer security on mutations", async () => {
  const clock = new VirtualClock();
  const app = createApp(new FakeBackend(clock), { clock });
  const doc = await (await app.request("/openapi.json")).json();
  assert.equal(doc.openapi, "3.1.0");
  assert.equal(doc.components.securitySchemes.bearerAuth.scheme, "bearer");
  for (
    const [path, ops] of Object.entries(
      doc.paths as Record<
        string,
        Record<
          string,
          { security?: unknown; parameters?: { name: string; in: string }[] }
        >
      >,
    )
  ) {
    for (const [method, op] of Object.entries(ops)) {
      const mutating = method !== "get";
      assert.equal(op.security !== undefined, mutating, `${method} ${path}`);
      for (const m of path.matchAll(/\{(\w+)\}/g)) {
        assert.ok(
          op.parameters?.some((p) => p.in === "path" && p.name === m[1]),
          `${method} ${path} declares ${m[1]}`,
        );
      }
    }
  }
});

Deno.test("OPENAPI_DOCUMENT gives every operation a unique operationId", () => {
  const paths = OPENAPI_DOCUMENT.paths as Record<
    string,
    Record<string, { operationId?: string }>
  >;
  const ids = Object.values(paths).flatMap((ops) =>
    Object.values(ops).map((op) => op.operationId)
  );
  assert.ok(
    ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z]+$/.test(id)),
    String(ids),
  );
  assert.equal(new Set(ids).size, ids.length);
});

Deno.test("OPENAPI_DOCUMENT references only schemas it defines and lists every error code", () => {
  const text = JSON.stringify(OPENAPI_DOCUMENT);
  const schemas =
    (OPENAPI_DOCUMENT.components as { schemas: Record<string, unknown> })
      .schemas;
  for (const m of text.matchAll(/"#\/components\/schemas\/(\w+)"/g)) {
    assert.ok(m[1] !== undefined && m[1] in schemas, `schema ${m[1]}`);
  }
  for (const code of Object.keys(ERROR_STATUS)) {
    assert.ok(text.includes(`"${code}"`), code);
  }
});

Deno.test("OPENAPI_DOCUMENT: every operation has a summary and described responses", () => {
  const paths = OPENAPI_DOCUMENT.paths as Record<
    string,
    Record<
      string,
      { summary?: string; responses?: Record<string, { description?: string }> }
    >
  >;
  for (const [path, ops] of Object.entries(paths)) {
    assert.ok(path.startsWith("/"), path);
    for (const [method, op] of Object.entries(ops)) {
      assert.ok(
        ["get", "post", "put", "patch", "delete"].includes(method),
        `${method} ${path}`,
      );
      assert.ok(op.summary, `${method} ${path} summary`);
      const responses = Object.entries(op.responses ?? {});
      assert.ok(responses.length > 0, `${method} ${path} responses`);
      for (const [status, r] of responses) {
        assert.match(status, /^[1-5]\d\d$/, `${method} ${path} ${status}`);
        assert.ok(r.description, `${method} ${path} ${status} description`);
      }
    }
  }
});

Deno.test("GET /openapi.json serves the generated document", async () => {
  const clock = new VirtualClock();
  const app = createApp(new FakeBackend(clock), { clock });
  const served = await (await app.request("/openapi.json")).json();
  assert.deepEqual(served, JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
});

Deno.test("every example in the document is valid against its schema", () => {
  assert.ok(EXAMPLES.length >= 5, `${EXAMPLES.length} examples`);
  const text = JSON.stringify(OPENAPI_DOCUMENT);
  for (const { name, schema, example } of EXAMPLES) {
    const r = schema.safeParse(example);
    assert.ok(r.success, `${name}: ${JSON.stringify(r.error?.issues)}`);
    assert.ok(
      text.includes(JSON.stringify(example)),
      `${name}: example in the document`,
    );
  }
});

Deno.test("request bodies, parameters and responses come from schemas (no empty placeholders)", () => {
  const paths = OPENAPI_DOCUMENT.paths as Record<
    string,
    Record<string, {
      requestBody?: { content: Record<string, { schema?: unknown }> };
      responses: Record<
        string,
        { content?: Record<string, { schema?: unknown }> }
      >;
    }>
  >;
  let bodies = 0;
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (op.requestBody) {
        bodies++;
        const schema = op.requestBody.content["application/json"]?.schema;
        assert.ok(schema, `${method} ${path} body schema`);
      }
      for (const [status, r] of Object.entries(op.responses)) {
        for (const [type, c] of Object.entries(r.content ?? {})) {
          assert.ok(c.schema, `${method} ${path} ${status} ${type} schema`);
        }
        if (status.startsWith("4")) {
          assert.ok(
            JSON.stringify(r).includes("#/components/schemas/Error"),
            `${method} ${path} ${status} is an Error body`,
          );
        }
      }
    }
  }
  assert.ok(bodies >= 6, `${bodies} request bodies`);
});
