// deno-lint-ignore-file no-console
/**
 * Differential conformance of the wireless drivers against the reference decoder
 * (wmbusmeters, read in place from ../shared/tools): every dev corpus case, and per
 * reference driver telegrams with random values for the records it reads (plain and
 * mode 5), and record variants in every framing (scripts/_wmbus_variants.ts: data types,
 * exponents, distractor records, order, manufacturer data; short and long TPL, no TPL, ELL,
 * ELL with AES-CTR, mode 7, compact frames). Prints per-driver field counts: agree /
 * differ / reference-only / ours-only, then per framing.
 *
 * Run: `deno task conformance [--seed N] [--rounds N] [--driver NAME] [--samples]
 * [--no-variants]`
 * `--telegrams FILE` compares only the telegrams of FILE (your own captures, in the dev
 * corpus's JSON form) and prints every differing field (scripts/_wmbus_user_telegrams.ts).
 *
 * @module
 */

import {
  addReport,
  type CorpusCaseLite,
  diffCorpusCase,
  diffDriver,
  type DriverReport,
  emptyReport,
  manufacturerCis,
  referenceDefinitions,
  referenceDriverList,
  referenceProblem,
  reportHeader,
  reportLine,
} from "./_wmbus_reference.ts";
import {
  CPP_DRIVERS,
  diffDriverVariants,
  FRAMINGS,
} from "./_wmbus_variants.ts";
import { runUserTelegrams } from "./_wmbus_user_telegrams.ts";

const args = Deno.args;
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] ?? dflt : dflt;
};
const seed = Number(opt("--seed", "1"));
const rounds = Number(opt("--rounds", "3"));
const only = opt("--driver", "");
const showSamples = args.includes("--samples");
const variants = !args.includes("--no-variants");

const problem = await referenceProblem();
if (problem !== null) {
  console.log(`conformance skipped: ${problem}`);
  Deno.exit(0);
}
if (args.includes("--telegrams")) {
  Deno.exit(await runUserTelegrams(opt("--telegrams", "")));
}

const corpusUrl = new URL(
  "../../shared/corpus/wmbus/telegrams.json",
  import.meta.url,
);
let corpus: CorpusCaseLite[] = [];
try {
  corpus = JSON.parse(Deno.readTextFileSync(corpusUrl)) as CorpusCaseLite[];
} catch (e: unknown) {
  console.log(
    `corpus skipped: cannot read ${corpusUrl.pathname}: ${String(e)}`,
  );
}

const list = await referenceDriverList();
const cis = manufacturerCis(corpus);
const defs = referenceDefinitions();
const reports = new Map<string, DriverReport>();
const get = (name: string): DriverReport => {
  let r = reports.get(name);
  if (r === undefined) reports.set(name, r = emptyReport(name));
  return r;
};

const corpusReport = emptyReport("(corpus)");
const generated = new Map<string, DriverReport>();
for (const c of corpus) {
  if (only !== "" && c.driver !== only) continue;
  await diffCorpusCase(corpusReport, c);
  await diffCorpusCase(get(c.driver), c);
}

/** The definition and triples of a listed driver (C++ drivers from CPP_DRIVERS). */
const defOf = (
  name: string,
  triples: readonly (readonly [string, number, number])[],
) => {
  const def = defs.get(name) ?? CPP_DRIVERS[name]?.def;
  const t = triples.length > 0 ? triples : CPP_DRIVERS[name]?.triples ?? [];
  return def === undefined || t.length === 0 ? undefined : { def, triples: t };
};

for (const d of list) {
  if (only !== "" && d.name !== only) continue;
  const known = defOf(d.name, d.triples);
  if (known === undefined) continue;
  const { def } = known;
  const r = await diffDriver(d.name, def, known.triples, {
    seed,
    rounds,
    payloadCis: cis.get(d.name) ?? [],
  });
  generated.set(d.name, r);
  const into = get(d.name);
  addReport(into, r);
  into.samples.push(...r.samples);
}

/** Per framing: totals over every driver; per driver: fields not in agreement. */
const framingTotals = new Map(FRAMINGS.map((f) => [f, emptyReport(f)]));
const framingBad = new Map<string, Map<string, number>>();
if (variants) {
  for (const d of list) {
    if (only !== "" && d.name !== only) continue;
    const known = defOf(d.name, d.triples);
    if (known === undefined) continue;
    const reps = await diffDriverVariants(d.name, known.def, known.triples, {
      seed,
      rounds,
    });
    const into = get(d.name);
    const bad = new Map<string, number>();
    for (const [f, r] of reps) {
      const t = framingTotals.get(f);
      for (const x of t === undefined ? [into] : [into, t]) {
        addReport(x, r);
      }
      into.samples.push(...r.samples.slice(0, 2).map((x) => `[${f}] ${x}`));
      bad.set(
        f,
        r.counts.differ + r.counts.referenceOnly + r.counts.oursOnly,
      );
    }
    framingBad.set(d.name, bad);
  }
}

const rows = [...reports.values()].sort((a, b) =>
  (b.counts.differ + b.counts.referenceOnly + b.counts.oursOnly) -
    (a.counts.differ + a.counts.referenceOnly + a.counts.oursOnly) ||
  a.driver.localeCompare(b.driver)
);
console.log(reportHeader(14));
const total = emptyReport("total");
for (const r of [corpusReport, ...rows]) {
  console.log(reportLine(r, 14));
  if (r === corpusReport) continue;
  addReport(total, r);
  if (showSamples) {
    for (const s of r.samples.slice(0, 6)) console.log(`  ${s}`);
  }
}
if (variants) {
  console.log("per framing (record variants, every driver):");
  for (const r of framingTotals.values()) {
    console.log(reportLine(r, 14));
  }
  const open = [...framingBad].filter(([, m]) =>
    [...m.values()].some((n) => n > 0)
  );
  if (open.length > 0) {
    console.log("drivers with variant differences (fields per framing):");
    for (const [name, m] of open) {
      console.log(
        `  ${name}: ${
          [...m].filter(([, n]) => n > 0).map(([f, n]) => `${f} ${n}`).join(
            ", ",
          )
        }`,
      );
    }
  }
}
if (args.includes("--open")) {
  // The open list of test/wmbus/reference_diff_test.ts: generated telegrams only.
  for (const [name, gen] of generated) {
    const bad = gen.counts.differ + gen.counts.referenceOnly +
      gen.counts.oursOnly;
    if (bad > 0) console.log(`  ${name}: [${bad}, ""],`);
  }
}
const clean =
  rows.filter((r) =>
    r.referenceDecoded > 0 && r.counts.differ + r.counts.referenceOnly +
          r.counts.oursOnly === 0
  ).length;
console.log(
  `total: ${total.telegrams} telegrams, reference decoded ${total.referenceDecoded}, mbusgw ${total.oursDecoded}; fields agree ${total.counts.agree}, differ ${total.counts.differ}, reference-only ${total.counts.referenceOnly}, ours-only ${total.counts.oursOnly}; drivers in full agreement ${clean}/${rows.length}`,
);
