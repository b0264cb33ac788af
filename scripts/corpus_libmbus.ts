// deno-lint-ignore-file no-console
/**
 * Conformance report against the libmbus corpus (../shared/corpus/libmbus, read in place):
 * one line per frame with the differences from libmbus's normalised XML.
 *
 * Run: `deno run -A scripts/corpus_libmbus.ts`.
 *
 * @module
 */
import {
  compareWithReference,
  corpusNames,
  corpusPresent,
  decodeHexFrame,
  parseNormXml,
  readCorpusText,
} from "../test/app/_libmbus_corpus.ts";

/** Prints the report; returns the number of frames with differences. */
export function reportLibmbusCorpus(): number {
  if (!corpusPresent()) {
    console.log(
      "corpus_libmbus: ../shared/corpus/libmbus is absent; nothing to compare",
    );
    return 0;
  }
  let differing = 0;
  let records = 0;
  const names = corpusNames("test-frames");
  for (const name of names) {
    const r = decodeHexFrame(readCorpusText("test-frames", `${name}.hex`));
    if (!r.ok) {
      differing++;
      console.log(`FAIL ${name}: ${r.code}: ${r.message}`);
      continue;
    }
    records += r.telegram.records.length;
    const diffs = compareWithReference(
      r.telegram,
      parseNormXml(readCorpusText("test-frames", `${name}.norm.xml`)),
    );
    if (r.telegram.error) diffs.push(`error ${r.telegram.error.code}`);
    if (diffs.length > 0) differing++;
    console.log(
      `${diffs.length === 0 ? "ok  " : "DIFF"} ${name}${
        diffs.length ? ": " : ""
      }${diffs.join("; ")}`,
    );
  }
  for (const folder of ["error-frames", "unsupported-frames"]) {
    for (const name of corpusNames(folder)) {
      const r = decodeHexFrame(readCorpusText(folder, `${name}.hex`));
      const what = r.ok
        ? r.telegram.applicationError !== null
          ? `APPLICATION_ERROR ${r.telegram.applicationError}`
          : `${r.telegram.records.length} records, ${
            r.telegram.error?.code ?? "no error"
          }`
        : r.code;
      console.log(`${folder}/${name}: ${what}`);
    }
  }
  console.log(
    `corpus_libmbus: ${names.length} test frames, ${records} records, ${differing} with differences (see docs/conformance.md)`,
  );
  return differing;
}

if (import.meta.main) reportLibmbusCorpus();
