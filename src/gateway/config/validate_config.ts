/**
 * Validation of the configuration file against the schema (`schema.ts`): fills defaults,
 * rejects unknown keys and bad values with a {@link ConfigError} whose `path` names the key
 * (e.g. `gateways[0].addresses[3].polling`) and whose one-line message names the bad value
 * and what is allowed.
 *
 * @module
 */
import type { z } from "zod";
import { ConfigError } from "../../util/mod.ts";
import type { AppConfig } from "./keys.ts";
import { appConfigSchema } from "./schema.ts";

type Issue = z.core.$ZodIssue;
type Segment = PropertyKey;

/** Keys whose values are secrets: never printed in an error. */
const SECRET_KEYS: ReadonlySet<Segment> = new Set([
  "key",
  "token",
  "password",
]);

/**
 * Short printable form of a bad value.
 *
 * @param v The value.
 * @returns JSON text, at most 60 characters.
 */
export function show(v: unknown): string {
  let text: string;
  try {
    text = v === undefined ? "undefined" : JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A key path as text: `gateways[0].addresses[3].polling`; `(top level)` for the root.
 *
 * @param path zod's path.
 * @returns The text.
 */
export function formatPath(path: readonly Segment[]): string {
  let out = "";
  for (const p of path) {
    out += typeof p === "number"
      ? `[${p}]`
      : `${out === "" ? "" : "."}${String(p)}`;
  }
  return out === "" ? "(top level)" : out;
}

function valueAt(json: unknown, path: readonly Segment[]): unknown {
  let v = json;
  for (const p of path) {
    if (v === null || typeof v !== "object") {
      // `addresses: [5]` is short for `[{ name: 5 }]`.
      return p === "name" ? v : undefined;
    }
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** ` (instance "heat")` for a key inside a named instance, else "". */
function instanceOf(json: unknown, path: readonly Segment[]): string {
  if (path[0] !== "gateways" || typeof path[1] !== "number") return "";
  if (path.length === 3 && path[2] === "name") return "";
  const name = valueAt(json, ["gateways", path[1], "name"]);
  return typeof name === "string" && name.length <= 64
    ? ` (instance ${JSON.stringify(name)})`
    : "";
}

/** A union that failed as a whole, unless one branch got further than its type check. */
function narrow(issue: Issue): Issue {
  if (issue.code !== "invalid_union") return issue;
  const deeper = issue.errors.filter((branch) =>
    branch.some((i) => i.path.length > 0 || i.code !== "invalid_type")
  );
  const inner = deeper.length === 1 ? deeper[0]?.[0] : undefined;
  if (!inner) return issue;
  return narrow({ ...inner, path: [...issue.path, ...inner.path] } as Issue);
}

/**
 * Turns zod's first issue into the one-line {@link ConfigError}.
 *
 * @param first The issue.
 * @param json The validated input, to show the bad value.
 * @returns The error.
 */
export function toConfigError(first: Issue, json: unknown): ConfigError {
  const issue = narrow(first);
  const where = instanceOf(json, issue.path);
  if (issue.code === "unrecognized_keys") {
    const path = `${formatPath(issue.path)}.${issue.keys[0]}`;
    return new ConfigError(
      path,
      `Invalid config at "${path}"${where}: unknown key; allowed keys are ${issue.message}`,
    );
  }
  const path = formatPath(issue.path);
  const params = issue.code === "custom" ? issue.params : undefined;
  if (params?.full === true) {
    return new ConfigError(
      path,
      `Invalid config at "${path}"${where}: ${issue.message}`,
    );
  }
  const last = issue.path.at(-1);
  const value = last !== undefined && SECRET_KEYS.has(last)
    ? "(redacted)"
    : params && "value" in params
    ? params.value
    : valueAt(json, issue.path);
  return new ConfigError(
    path,
    `Invalid config at "${path}"${where}: ${
      value === undefined ? "missing" : `${show(value)} is not allowed`
    }; expected ${issue.message}`,
  );
}

/**
 * Validates a parsed JSON configuration and fills in every default.
 *
 * @param json The parsed file.
 * @returns The complete configuration.
 * @throws {ConfigError} naming the key path, the bad value and what is allowed.
 * @example
 * ```ts
 * const config = parseConfig({ gateways: [{ name: "heat", host: "10.0.0.5", addresses: [{ name: "1" }] }] });
 * config.gateways[0]?.polling; // 1000
 * ```
 */
export function parseConfig(json: unknown): AppConfig {
  const r = appConfigSchema.safeParse(json);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  if (!first) throw new ConfigError("(top level)", "Invalid config");
  throw toConfigError(first, json);
}
