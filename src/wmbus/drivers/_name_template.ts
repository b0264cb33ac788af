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
 * @param template Name with `{storage}`, `{storage-N}`, `{storage+N}`, `{tariff}`, `{subunit}`, optional `:2` width.
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
    out += String(base + p.delta).padStart(p.width, "0");
  }
  return out;
}

/** A name template cut into literal text and placeholders. */
type TemplatePart = string | {
  what: "storage" | "tariff" | "subunit";
  delta: number;
  width: number;
};

/** Templates already cut (there are a few hundred in all drivers). */
const TEMPLATES = new Map<string, readonly TemplatePart[]>();

function compiledTemplate(template: string): readonly TemplatePart[] {
  let parts = TEMPLATES.get(template);
  if (parts !== undefined) return parts;
  const cut: TemplatePart[] = [];
  const re = /\{(storage|tariff|subunit)([+-]\d+)?(?::(\d))?\}/g;
  let last = 0;
  for (const m of template.matchAll(re)) {
    if (m.index > last) cut.push(template.slice(last, m.index));
    cut.push({
      what: m[1] as "storage" | "tariff" | "subunit",
      delta: m[2] === undefined ? 0 : Number(m[2]),
      width: m[3] === undefined ? 1 : Number(m[3]),
    });
    last = m.index + m[0].length;
  }
  if (last < template.length) cut.push(template.slice(last));
  parts = cut;
  TEMPLATES.set(template, parts);
  return parts;
}
