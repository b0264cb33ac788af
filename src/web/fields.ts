/**
 * The config schema's keys as form fields, and checking and converting what is typed into
 * them: the schema's type, minimum, maximum, pattern and enum, as the user types. Pure (no
 * DOM), so it is tested in Deno.
 *
 * @module
 */

/** A JSON Schema node, the parts the form reads. */
export interface SchemaNode {
  type?: string | string[];
  description?: string;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  enum?: unknown[];
  default?: unknown;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
  definitions?: Record<string, SchemaNode>;
}

/** One field of the form. */
export interface Field {
  /** Config key. */
  key: string;
  /** Schema of the key (may be empty when the server has no schema). */
  schema: SchemaNode;
  /** Never shown, only written (a meter's AES key). */
  writeOnly?: boolean;
  /** Values offered while typing (an instance's serial ports). */
  suggest?: string[];
}

function variants(s: SchemaNode): SchemaNode[] {
  return s.anyOf ?? s.oneOf ?? [s];
}

function types(s: SchemaNode): string[] {
  return variants(s).flatMap((v) =>
    Array.isArray(v.type) ? v.type : v.type ? [v.type] : []
  );
}

/**
 * Checks one input against its schema as the user types.
 *
 * @param text The input's text ("" means unset).
 * @param s The key's schema.
 * @returns The message, or undefined when it is valid.
 */
export function checkField(text: string, s: SchemaNode): string | undefined {
  if (text === "") return undefined;
  const vs = variants(s);
  const problems: string[] = [];
  for (const v of vs) {
    const t = Array.isArray(v.type) ? v.type : [v.type ?? "string"];
    if (v.enum) {
      if (v.enum.map(String).includes(text)) return undefined;
      problems.push(`one of ${v.enum.join(", ")}`);
      continue;
    }
    if (t.includes("number") || t.includes("integer")) {
      const n = Number(text);
      if (!/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(text.trim())) {
        problems.push("a number");
        continue;
      }
      if (t.includes("integer") && !Number.isInteger(n)) {
        problems.push("a whole number");
        continue;
      }
      if (v.minimum !== undefined && n < v.minimum) {
        problems.push(`at least ${v.minimum}`);
        continue;
      }
      if (v.maximum !== undefined && n > v.maximum) {
        problems.push(`at most ${v.maximum}`);
        continue;
      }
      return undefined;
    }
    if (t.includes("boolean")) {
      if (text === "true" || text === "false") return undefined;
      problems.push("true or false");
      continue;
    }
    if (v.pattern && !new RegExp(v.pattern).test(text)) {
      problems.push(`text matching ${v.pattern}`);
      continue;
    }
    return undefined;
  }
  return problems.length ? `Expected ${problems.join(" or ")}` : undefined;
}

/**
 * The fixed choices of a key (an enum, or true/false), when it has only those.
 *
 * @param s The key's schema.
 * @returns The choices as text, or undefined for free input.
 */
export function choices(s: SchemaNode): string[] | undefined {
  const vs = variants(s);
  if (vs.every((v) => v.enum)) {
    return vs.flatMap((v) => (v.enum ?? []).map(String));
  }
  if (vs.length === 1 && types(s).join() === "boolean") {
    return ["true", "false"];
  }
  return undefined;
}

/**
 * The value a field's text stands for: a number when the schema allows one and the text is
 * numeric, a boolean for true/false, else the text.
 *
 * @param text Input text.
 * @param s Schema.
 * @returns The JSON value (undefined for "").
 */
export function fieldValue(text: string, s: SchemaNode): unknown {
  if (text === "") return undefined;
  const t = types(s);
  if (
    (t.includes("number") || t.includes("integer")) &&
    /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(text.trim())
  ) return Number(text);
  if (t.includes("boolean") && (text === "true" || text === "false")) {
    return text === "true";
  }
  return text;
}
