/**
 * The config's JSON Schema as the forms use it: fetched once from `GET /api/config/schema`,
 * `$ref`s resolved, and the schema of an instance and of a meter entry picked out. Without
 * the route (an older gateway) a small built-in description of the keys stands in.
 *
 * @module
 */
import { api } from "./api.ts";
import type { Field, SchemaNode } from "./fields.ts";

const FALLBACK_ADDRESS: Record<string, SchemaNode> = {
  description: { type: "string", description: "Free text" },
  scale: { type: "number", description: "Multiplies every value" },
  offset: { type: "number", description: "Added after scaling" },
  polling: {
    type: ["integer", "string"],
    description: "Milliseconds or cron expressions; empty: the instance's",
  },
  maxFrames: { type: "integer", minimum: 1, maximum: 255, default: 16 },
  maxRecords: { type: "integer", minimum: 1, maximum: 100000, default: 1000 },
  log: {
    anyOf: [{ enum: ["never", "update", "always"] }, {
      type: "integer",
      minimum: 1,
    }],
    description: "History: never, update, always or every N ms",
  },
  key: {
    type: "string",
    pattern: "^[0-9A-Fa-f]{32}$",
    description: "AES key, 32 hex digits (write-only)",
  },
  driver: { type: "string", description: "Wireless driver, or auto" },
};

let cache: Promise<SchemaNode | null> | undefined;

/**
 * The config schema (null when the gateway serves none).
 *
 * @returns The root schema.
 */
export function configSchema(): Promise<SchemaNode | null> {
  cache ??= api<SchemaNode>("GET", "/api/config/schema").catch(() => null);
  return cache;
}

function deref(root: SchemaNode, s: SchemaNode | undefined): SchemaNode {
  let node = s ?? {};
  for (let i = 0; i < 8 && node.$ref; i++) {
    const name = node.$ref.replace(/^#\/(\$defs|definitions)\//, "");
    node = root.$defs?.[name] ?? root.definitions?.[name] ?? {};
  }
  if (node.anyOf) {
    // Optional keys come as anyOf [X, null]; keep the non-null variants.
    const vs = node.anyOf.map((v) => deref(root, v)).filter((v) =>
      v.type !== "null"
    );
    return vs.length === 1 ? { ...vs[0], ...pick(node) } : {
      ...node,
      anyOf: vs,
    };
  }
  return node;
}

/** The object form of a node that also allows short forms (a meter as a bare number). */
function objectVariant(s: SchemaNode, root: SchemaNode): SchemaNode {
  if (s.properties) return s;
  const vs = (s.anyOf ?? s.oneOf ?? []).map((v) => deref(root, v));
  return vs.find((v) => v.properties) ?? s;
}

function pick(s: SchemaNode): SchemaNode {
  const o: SchemaNode = {};
  if (s.description !== undefined) o.description = s.description;
  if (s.default !== undefined) o.default = s.default;
  return o;
}

/**
 * The schema of one instance entry.
 *
 * @param root The config schema.
 * @returns Its properties.
 */
export function instanceProps(root: SchemaNode): Record<string, SchemaNode> {
  const gws = deref(root, root.properties?.gateways);
  return objectVariant(deref(root, gws.items), root).properties ?? {};
}

/**
 * The editable keys of a meter entry, in a fixed order.
 *
 * @param root The config schema, or null.
 * @param wireless Whether the instance is wireless (adds `key` and `driver`).
 * @returns Fields.
 */
export function meterFields(
  root: SchemaNode | null,
  wireless: boolean,
): Field[] {
  let props = FALLBACK_ADDRESS;
  if (root) {
    const inst = instanceProps(root);
    const addr = objectVariant(
      deref(root, deref(root, inst.addresses).items),
      root,
    );
    if (addr.properties) props = addr.properties;
  }
  const keys = [
    "description",
    "scale",
    "offset",
    "polling",
    "maxFrames",
    "maxRecords",
    "log",
    ...(wireless ? ["key", "driver"] : []),
  ];
  return keys.filter((k) => props[k] || FALLBACK_ADDRESS[k]).map((k) => ({
    key: k,
    schema: root ? deref(root, props[k]) : (FALLBACK_ADDRESS[k] ?? {}),
    ...(k === "key" ? { writeOnly: true } : {}),
  }));
}

/**
 * The editable keys of an instance (everything but its name and meters).
 *
 * @param root The config schema, or null.
 * @returns Fields (empty without a schema).
 */
export function instanceFields(root: SchemaNode | null): Field[] {
  if (!root) return [];
  const props = instanceProps(root);
  return Object.keys(props).filter((k) => k !== "name" && k !== "addresses")
    .map((k) => ({ key: k, schema: deref(root, props[k]) }));
}
