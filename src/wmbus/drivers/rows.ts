/**
 * A one-line-per-field notation for long driver tables (electricity meters carry a
 * hundred fields): `NAME UNIT MATCH… [OPTIONS…]`, read once when the module loads.
 *
 * - UNIT: an output unit (`kwh`, `v`, …) for a number, or `date`, `datetime`, `hex`,
 *   `ascii`, `bcd` for text.
 * - MATCH: `k=HEX` (exact DIF/VIF key), or `I:Range` / `max:Range` / `min:Range` /
 *   `err:Range` / `any:Range` with `s=N`, `s=N-M`, `t=…`, `u=…` (storage, tariff,
 *   subunit), `c=HEX,HEX` (combinable VIFEs), `i=N` (n-th match).
 * - OPTIONS: `none` (no VIF scaling), `fs=X` (fixed factor, `0.01` or `1/60`), `uns`
 *   (unsigned).
 *
 * @example
 * ```ts
 * rows(`
 *   total_energy_consumption kwh I:AnyEnergyVIF
 *   voltage_l1_n v I:Voltage c=7F01
 * `);
 * ```
 * @module
 */

import type { FieldSpec, Matcher, NrRange, TextField } from "./_spec.ts";

const TEXT_FORMATS: ReadonlySet<string> = new Set([
  "date",
  "datetime",
  "hex",
  "ascii",
  "bcd",
]);

const MT: Readonly<Record<string, Matcher["mt"]>> = {
  I: "instantaneous",
  max: "maximum",
  min: "minimum",
  err: "error",
  any: undefined,
};

/** `0.01` or `1/60`. */
function fraction(text: string): number {
  const [a, b] = text.split("/").map(Number);
  return b === undefined ? a ?? 1 : (a ?? 1) / b;
}

function nr(text: string): NrRange {
  const [a, b] = text.split("-").map(Number);
  return b === undefined ? a ?? 0 : [a ?? 0, b];
}

/**
 * Reads field rows.
 *
 * @param spec One field per line (blank lines ignored).
 * @returns The field specs, in line order.
 * @throws {TypeError} On a malformed row (a programming error in a driver table).
 */
export function rows(spec: string): FieldSpec[] {
  const out: FieldSpec[] = [];
  for (const line of spec.split("\n")) {
    const words = line.trim().split(/\s+/).filter((w) => w !== "");
    const [name, unit, ...rest] = words;
    if (name === undefined) continue;
    if (unit === undefined) {
      throw new TypeError(`Bad field row "${line.trim()}": no unit`);
    }
    const m: {
      -readonly [K in keyof Matcher]: Matcher[K];
    } = {};
    let scale: "none" | undefined;
    let forceScale: number | undefined;
    let unsigned = false;
    for (const w of rest) {
      const colon = /^(I|max|min|err|any):([A-Za-z0-9]+)$/.exec(w);
      if (colon !== null) {
        const mt = MT[colon[1] ?? "I"];
        if (mt !== undefined) m.mt = mt;
        m.vif = colon[2] ?? "";
        continue;
      }
      const [k, v = ""] = w.split("=");
      if (k === "k") m.key = v.toUpperCase();
      else if (k === "s") m.storage = nr(v);
      else if (k === "t") m.tariff = nr(v);
      else if (k === "u") m.subunit = nr(v);
      else if (k === "c") m.combinables = v.split(",");
      else if (k === "i") m.index = Number(v);
      else if (k === "none") scale = "none";
      else if (k === "fs") forceScale = fraction(v);
      else if (k === "uns") unsigned = true;
      else throw new TypeError(`Bad field row "${line.trim()}": "${w}"`);
    }
    if (TEXT_FORMATS.has(unit)) {
      out.push({
        kind: "text",
        name,
        format: unit as TextField["format"],
        match: m,
      });
      continue;
    }
    out.push({
      kind: "num",
      name,
      unit,
      match: m,
      ...(scale === undefined ? {} : { scale }),
      ...(forceScale === undefined ? {} : { forceScale }),
      ...(unsigned ? { unsigned } : {}),
    });
  }
  return out;
}
