import assert from "node:assert/strict";
import type {
  DvEntry,
  MeasurementType,
} from "../../../src/wmbus/drivers/_records.ts";
import {
  compileMatcher,
  matches,
  pickCompiled,
} from "../../../src/wmbus/drivers/_matcher.ts";
import type { Matcher, NrRange } from "../../../src/wmbus/drivers/_spec.ts";
import { inVifRange, vifRanges } from "../../../src/wmbus/drivers/_vif_ref.ts";

/** The matching rules written out plainly (the reference the compiled form must equal). */
function reference(m: Matcher, e: DvEntry): boolean {
  const inRange = (v: number, r: NrRange | undefined): boolean =>
    r === undefined
      ? v === 0
      : typeof r === "number"
      ? v === r
      : v >= r[0] && v <= r[1];
  if (m.key !== undefined) return e.key === m.key;
  if (m.mt !== undefined && m.mt !== e.mt) return false;
  if (m.vif !== undefined && !inVifRange(e.vif, m.vif)) return false;
  if (!inRange(e.storage, m.storage)) return false;
  if (!inRange(e.tariff, m.tariff)) return false;
  if (!inRange(e.subunit, m.subunit)) return false;
  if (m.combinables === "*") return true;
  const want = m.combinables ?? [];
  return want.length === e.combinables.length &&
    want.every((c) => e.combinables.includes(c));
}

let seed = 12345;
function rnd(n: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}

const MTS: readonly MeasurementType[] = [
  "instantaneous",
  "maximum",
  "minimum",
  "error",
];
const RANGES = [
  ...vifRanges().keys(),
  "AnyEnergyVIF",
  "AnyVolumeVIF",
  "AnyFlowVIF",
  "AnyPowerVIF",
  "AnyTemperatureVIF",
  "NoSuchRange",
];
const VIFS = [
  ...[...vifRanges().values()].flatMap((codes) => [
    codes[0] ?? 0,
    codes[codes.length - 1] ?? 0,
  ]),
  0x7c,
  0x7f,
  0x7e,
  0xfd7f,
  0xfb7f,
  0xfd00,
  0xfb00,
  0x50,
];
const COMBS = [[], ["3B"], ["3C"], ["3B", "3C"], ["3C", "3B"], ["7F01"]];

function randomEntry(): DvEntry {
  return {
    offset: 0,
    key: ["0413", "0C13", "4413"][rnd(3)] ?? "",
    dif: 4,
    vif: VIFS[rnd(VIFS.length)] ?? 0,
    combinables: COMBS[rnd(COMBS.length)] ?? [],
    mt: MTS[rnd(4)] ?? "instantaneous",
    storage: rnd(4),
    tariff: rnd(3),
    subunit: rnd(2),
    coding: 4,
    lvar: 0,
    data: new Uint8Array(4),
  };
}

function randomRange(): NrRange | undefined {
  switch (rnd(3)) {
    case 0:
      return undefined;
    case 1:
      return rnd(3);
    default:
      return [rnd(2), 1 + rnd(3)];
  }
}

function randomMatcher(): Matcher {
  const m: { -readonly [K in keyof Matcher]: Matcher[K] } = {};
  if (rnd(8) === 0) m.key = ["0413", "0C13"][rnd(2)] ?? "";
  if (rnd(2) === 0) m.mt = MTS[rnd(4)] ?? "instantaneous";
  if (rnd(4) !== 0) m.vif = RANGES[rnd(RANGES.length)] ?? "";
  const s = randomRange();
  if (s !== undefined) m.storage = s;
  const t = randomRange();
  if (t !== undefined) m.tariff = t;
  const u = randomRange();
  if (u !== undefined) m.subunit = u;
  if (rnd(3) === 0) {
    m.combinables = rnd(4) === 0 ? "*" : COMBS[rnd(COMBS.length)] ?? [];
  }
  if (rnd(3) === 0) m.index = rnd(3);
  return m;
}

Deno.test("compiled matchers agree with the plain matching rules", () => {
  const entries = Array.from({ length: 200 }, randomEntry);
  for (let i = 0; i < 1500; i++) {
    const m = randomMatcher();
    for (const e of entries) {
      assert.equal(
        matches(m, e),
        reference(m, e),
        JSON.stringify({ m, e: { ...e, data: [] } }),
      );
    }
    const all = entries.filter((e) => reference(m, e));
    // Over a range of numbers (no key, no index) the last match counts, as in the reference.
    const lastWins = m.index === undefined && m.key === undefined &&
      [m.storage, m.tariff, m.subunit].some((r) =>
        Array.isArray(r) && r[0] !== r[1]
      );
    assert.equal(
      pickCompiled(compileMatcher(m), entries),
      lastWins ? all.at(-1) : all[(m.index ?? 1) - 1],
    );
  }
});
