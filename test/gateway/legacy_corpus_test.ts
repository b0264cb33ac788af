// deno-lint-ignore-file no-console
import assert from "node:assert/strict";
import {
  toLegacyDataRecord,
  toLegacySlaveInformation,
} from "../../src/gateway/mod.ts";
import {
  corpusNames,
  corpusPresent,
  decodeHexFrame,
  parseNormXml,
  readCorpusText,
} from "../app/_libmbus_corpus.ts";

// The legacyDriver profile's records against libmbus's normalised XML, read in place from
// ../shared/corpus/libmbus: every field of SlaveInformation and DataRecord as text.

const PRESENT = corpusPresent();
if (!PRESENT) {
  console.log(
    "legacy naming corpus tests skipped: ../shared/corpus/libmbus is absent",
  );
}

/** Mismatches that are libmbus's own mistakes (see test/app/libmbus_corpus_test.ts). */
const KNOWN: Record<string, string[]> = {
  "ELS_Elster-F96-Plus": [
    '#4 Value "DDDDEBBD" != "13131113.000000"',
    '#5 Value "DDEBBD" != "131.113000"',
  ],
  "abb_f95": [
    '#2 Value "DDEBB4DD" != "1311041.300000"',
    '#3 Value "EBB4DD" != "11.041300"',
  ],
  "REL-Relay-Padpuls2": ['#1 Value "" != "1900-01-00T00:00:00Z"'],
  "sen_pollutherm": [
    '#2 Function "Instantaneous value" != undefined',
    '#2 StorageNumber "0" != undefined',
    '#2 Unit "" != undefined',
    '#2 Quantity "Extension (FB)" != undefined',
    '#2 Value "302.000000" != undefined',
  ],
};

const SLAVE_FIELDS = [
  "Id",
  "Manufacturer",
  "Version",
  "ProductName",
  "Medium",
  "AccessNumber",
  "Status",
  "Signature",
] as const;

const RECORD_FIELDS = [
  "Function",
  "StorageNumber",
  "Tariff",
  "Device",
  "Unit",
  "Quantity",
  "Value",
] as const;

function compare(name: string): string[] | undefined {
  const r = decodeHexFrame(readCorpusText("test-frames", `${name}.hex`));
  if (!r.ok) return [`decode ${r.code}`];
  const t = r.telegram;
  if (t.ci === 0x73 || t.ci === 0x77 || !t.header) return undefined; // fixed data
  const doc = parseNormXml(readCorpusText("test-frames", `${name}.norm.xml`));
  const diffs: string[] = [];
  const slave: Record<string, unknown> = {
    ...toLegacySlaveInformation(t.header),
  };
  for (const f of SLAVE_FIELDS) {
    const ours = String(slave[f]);
    if (ours !== doc.slave[f]) diffs.push(`${f} ${ours} != ${doc.slave[f]}`);
  }
  t.records.forEach((rec, i) => {
    const ours: Record<string, unknown> = {
      ...toLegacyDataRecord(rec, rec.value, "2026-01-01T00:00:00.000Z"),
    };
    const ref = doc.records[i]?.fields ?? {};
    for (const f of RECORD_FIELDS) {
      const o = ours[f] === undefined ? undefined : String(ours[f]);
      // libmbus prints Tariff and Device only when not 0; so do we.
      if (o !== ref[f]) {
        diffs.push(
          `#${i} ${f} ${JSON.stringify(o)} != ${JSON.stringify(ref[f])}`,
        );
      }
    }
  });
  return diffs;
}

const names = PRESENT ? corpusNames("test-frames") : [];

Deno.test({
  name:
    "toLegacyDataRecord() prints every libmbus test frame's records as libmbus does",
  ignore: !PRESENT,
  fn() {
    let compared = 0;
    const all: Record<string, string[]> = {};
    for (const name of names) {
      const diffs = compare(name);
      if (diffs === undefined) continue;
      compared++;
      if (diffs.length > 0) all[name] = diffs;
    }
    assert.ok(compared >= 40, `only ${compared} variable-data frames`);
    assert.deepEqual(all, KNOWN);
  },
});
