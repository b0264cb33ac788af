/**
 * Field name templates (`{storage}`, `{storage-N}`, `{tariff}`, `{subunit}`, `:2` width),
 * cut into literal text and placeholders once per template and rendered per record.
 *
 * @module
 */

import type { DvEntry } from "./_records.ts";

/**
 * Renders a name template.
 *
 * @param template Name with `{storage}`, `{storage-N}`, `{storage+N}`, `{N-storage}`, `{tariff}`, `{subunit}`, optional `:2` width.
 * @param e Record.
 * @returns The name.
 */
export function renderName(template: string, e: DvEntry): string {
  const parts = compiledTemplate(template);
  let out = "";
  for (const p of parts) {
    if (typeof p === "string") {
      out += p;
      continue;
    }
    const base = p.what === "storage"
      ? e.storage
      : p.what === "tariff"
      ? e.tariff
      : e.subunit;
    const n = p.minuend === undefined ? base + p.delta : p.minuend - base;
    out += String(n).padStart(p.width, "0");
  }
  return out;
}

/** A name template cut into literal text and placeholders. */
type TemplatePart = string | {
  what: "storage" | "tariff" | "subunit";
  delta: number;
  width: number;
  /** `{N-storage}`: N minus the number (counting down, e.g. half months ago). */
  minuend?: number;
};

/** Templates already cut (there are a few hundred in all drivers). */
const TEMPLATES = new Map<string, readonly TemplatePart[]>();

function compiledTemplate(template: string): readonly TemplatePart[] {
  let parts = TEMPLATES.get(template);
  if (parts !== undefined) return parts;
  const cut: TemplatePart[] = [];
  const re = /\{(?:(\d+)-)?(storage|tariff|subunit)([+-]\d+)?(?::(\d))?\}/g;
  let last = 0;
  for (const m of template.matchAll(re)) {
    if (m.index > last) cut.push(template.slice(last, m.index));
    cut.push({
      what: m[2] as "storage" | "tariff" | "subunit",
      delta: m[3] === undefined ? 0 : Number(m[3]),
      width: m[4] === undefined ? 1 : Number(m[4]),
      ...(m[1] === undefined ? {} : { minuend: Number(m[1]) }),
    });
    last = m.index + m[0].length;
  }
  if (last < template.length) cut.push(template.slice(last));
  parts = cut;
  TEMPLATES.set(template, parts);
  return parts;
}
