/**
 * Conformance: every case of the wmbusmeters-derived corpus decodes to the expected JSON
 * with its driver, and `auto` picks the expected driver.
 */
import assert from "node:assert/strict";
import { DRIVER_NAMES } from "../../../src/wmbus/drivers/mod.ts";
import { diffJson, loadCorpus, runCase } from "./_corpus.ts";

const all = loadCorpus() ?? [];
/** Cases whose driver exists (the others are reported as ignored). */
const cases = all.filter((c) => DRIVER_NAMES.includes(c.driver));
const counters = new Map<string, number>();

for (const [i, c] of all.entries()) {
  const n = (counters.get(c.driver) ?? 0) + 1;
  counters.set(c.driver, n);
  Deno.test({
    name: `corpus ${c.driver} #${n} (case ${i})`,
    ignore: !DRIVER_NAMES.includes(c.driver),
  }, () => {
    const run = runCase(c);
    assert.equal(run.parseError, null, run.parseError ?? "");
    assert.ok(run.result !== null);
    const diffs = diffJson(c.expected, run.result.json);
    assert.deepEqual(diffs, [], `${c.telegram}\n${diffs.join("\n")}`);
  });
}

/**
 * The corpus was decoded with an older driver where the reference's `auto` now picks a
 * newer one for the same triple (reference_detect_test.ts checks these against it).
 */
const NEWER_PICK: Readonly<Record<string, string>> = {
  izar: "izarv2",
  hydroclima: "hydroclimav2",
  ultrimis: "ultrimisv2",
};

Deno.test("corpus: auto detection picks the reference's driver for every case", () => {
  const wrong = cases.flatMap((c, i) => {
    const run = runCase(c);
    const want = NEWER_PICK[String(c.expected.meter)] ?? c.expected.meter;
    return run.detected === want
      ? []
      : [`case ${i}: ${want} detected as ${run.detected}`];
  });
  assert.deepEqual(wrong, []);
});
