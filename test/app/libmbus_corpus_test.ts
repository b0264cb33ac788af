// deno-lint-ignore-file no-console
import assert from "node:assert/strict";
import { parseHex } from "../../src/util/mod.ts";
import { decodeFrame } from "../../src/link/mod.ts";
import { decodeUserData } from "../../src/app/mod.ts";
import {
  compareWithReference,
  corpusNames,
  corpusPresent,
  decodeHexFrame,
  parseNormXml,
  readCorpusText,
} from "./_libmbus_corpus.ts";

const PRESENT = corpusPresent();
if (!PRESENT) {
  console.log(
    "libmbus corpus tests skipped: ../shared/corpus/libmbus is absent",
  );
}

/**
 * Where libmbus's normalised output is wrong, frame by frame (see docs/conformance.md):
 * the exact mismatch lines our comparison reports.
 */
const KNOWN_DEVIATIONS: Record<string, string[]> = {
  // BCD fields with nibbles A–F (the meter's "no value" pattern): libmbus turns each
  // nibble into a digit arithmetically (D → 13); we keep the digit string.
  "ELS_Elster-F96-Plus": [
    '#4 value "DDDDEBBD" != "13131113.000000"',
    '#5 value "DDEBBD" != "131.113000"',
  ],
  "abb_f95": [
    '#2 value "DDEBB4DD" != "1311041.300000"',
    '#3 value "EBB4DD" != "11.041300"',
  ],
  // Type F date with the IV (time invalid) bit set: libmbus prints its zeroed struct tm.
  "REL-Relay-Padpuls2": ['#1 value null != "1900-01-00T00:00:00Z"'],
  // A bare VIF 0x7B (FB marker without extension bit): libmbus prints an empty record;
  // we decode the value (BCD 302) under a reserved VIF.
  "sen_pollutherm": [
    "#2 function instantaneous != undefined",
    "#2 storage 0 != undefined",
    '#2 unit "" != undefined',
    '#2 quantity "Extension (FB)" != undefined',
    '#2 value 302 != ""',
  ],
};

const names = PRESENT ? corpusNames("test-frames") : [];

for (const name of names) {
  Deno.test(`decodeUserData() matches libmbus on ${name}`, () => {
    const r = decodeHexFrame(readCorpusText("test-frames", `${name}.hex`));
    assert.ok(r.ok, r.ok ? "" : `${r.code}: ${r.message}`);
    assert.equal(r.telegram.error, null);
    const doc = parseNormXml(readCorpusText("test-frames", `${name}.norm.xml`));
    assert.ok(doc.records.length > 0);
    const diffs = compareWithReference(r.telegram, doc);
    assert.deepEqual(diffs, KNOWN_DEVIATIONS[name] ?? []);
  });
}

Deno.test({
  name:
    "decodeUserData() decodes every libmbus test frame with all values matching",
  ignore: !PRESENT,
  fn() {
    assert.ok(names.length >= 40, `only ${names.length} frames found`);
    for (const name of Object.keys(KNOWN_DEVIATIONS)) {
      assert.ok(names.includes(name));
    }
  },
});

/** Error frames: the typed error (or application error) each one must give. */
const ERROR_EXPECTED: Record<string, string> = {
  "application_busy": "APPLICATION_ERROR:8",
  "buffer_too_long": "APPLICATION_ERROR:2",
  error: "APPLICATION_ERROR:0",
  "premature_end_of_data1": "TRUNCATED_RECORD",
  "premature_end_of_data2": "TRUNCATED_RECORD",
  "premature_end_of_dif1": "TRUNCATED_RECORD",
  "premature_end_of_dif2": "TRUNCATED_RECORD",
  "premature_end_of_record": "APPLICATION_ERROR:4",
  "premature_end_of_var_vif1": "TRUNCATED_RECORD",
  "premature_end_of_vif1": "TRUNCATED_RECORD",
  "too_long_var_vif": "TRUNCATED_RECORD",
  "too_many_dife": "TOO_MANY_DIFES",
  "too_many_difes": "APPLICATION_ERROR:5",
  "too_many_readouts": "APPLICATION_ERROR:9",
  "too_many_records": "APPLICATION_ERROR:3",
  "too_many_vife": "TOO_MANY_VIFES",
  "too_many_vifes": "APPLICATION_ERROR:6",
  "too_short_header": "TRUNCATED_HEADER",
  "unimplemented_ci": "APPLICATION_ERROR:1",
  "unspecified_error": "APPLICATION_ERROR:0",
};

for (const name of PRESENT ? corpusNames("error-frames") : []) {
  Deno.test(`decodeUserData() reports a typed error for error frame ${name}`, () => {
    const r = decodeHexFrame(readCorpusText("error-frames", `${name}.hex`));
    let got: string;
    if (!r.ok) got = r.code;
    else if (r.telegram.applicationError !== null) {
      got = `APPLICATION_ERROR:${r.telegram.applicationError}`;
    } else got = r.telegram.error?.code ?? "none";
    assert.equal(got, ERROR_EXPECTED[name]);
  });
}

/** Frames libmbus cannot decode: a typed failure, or (for the SND_UD ones) records. */
const UNSUPPORTED_EXPECTED: Record<string, string> = {
  "invalid_length": "BAD_LENGTH",
  "invalid_length2": "TRUNCATED_HEADER",
  "manual_frame1": "ODD_HEX",
  "manual_frame4": "records:1",
  "manual_frame5": "records:1",
  "manual_frame6": "records:2",
  "svm_f22_telegram2": "records:0",
};

for (const name of PRESENT ? corpusNames("unsupported-frames") : []) {
  Deno.test(`decodeUserData() handles unsupported frame ${name} without a throw`, () => {
    const r = decodeHexFrame(
      readCorpusText("unsupported-frames", `${name}.hex`),
    );
    const got = r.ok ? `records:${r.telegram.records.length}` : r.code;
    assert.equal(got, UNSUPPORTED_EXPECTED[name]);
  });
}

Deno.test({
  name:
    "decodeUserData() keeps the complete records of every prefix of every corpus frame",
  ignore: !PRESENT,
  fn() {
    for (const name of names) {
      const bytes = parseHex(readCorpusText("test-frames", `${name}.hex`));
      assert.ok(bytes.ok);
      const frame = decodeFrame(bytes.value);
      if (!frame.ok || frame.value.type !== "long") continue;
      const { ci, data } = frame.value;
      const full = decodeUserData(ci, data);
      assert.ok(full.ok);
      for (let n = 0; n < data.length; n++) {
        const r = decodeUserData(ci, data.subarray(0, n));
        if (!r.ok) {
          assert.match(r.error.code, /^[A-Z_]+$/);
          continue;
        }
        const got = r.value.records;
        assert.deepEqual(
          got,
          full.value.records.slice(0, got.length),
          `${name} prefix ${n}`,
        );
      }
    }
  },
});
