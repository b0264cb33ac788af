import assert from "node:assert/strict";
import {
  decodeRecords,
  encodeRecords,
  type RecordInput,
} from "../../src/app/mod.ts";

/** Collects every `records` / `telegrams` array of RecordInput in a fixture object. */
function recordLists(node: unknown, out: RecordInput[][]): void {
  if (Array.isArray(node)) {
    for (const x of node) recordLists(x, out);
    return;
  }
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (
      key === "records" && Array.isArray(value) &&
      value.every((r) => typeof r?.vif === "string")
    ) {
      out.push(value as RecordInput[]);
    } else if (key === "telegrams" && Array.isArray(value)) {
      for (const t of value) {
        if (Array.isArray(t)) out.push(t as RecordInput[]);
        else recordLists(t, out);
      }
    } else recordLists(value, out);
  }
}

const DIR = new URL("../../fixtures/meters/", import.meta.url);
let files: string[] = [];
try {
  files = [...Deno.readDirSync(DIR)].filter((e) => e.name.endsWith(".json"))
    .map((e) => e.name).sort();
} catch {
  files = [];
}

for (const file of files) {
  Deno.test(`encodeRecords() round-trips the records of fixture ${file}`, () => {
    const lists: RecordInput[][] = [];
    recordLists(JSON.parse(Deno.readTextFileSync(new URL(file, DIR))), lists);
    for (const list of lists) {
      const r = decodeRecords(encodeRecords(list));
      assert.equal(r.error, null);
      assert.equal(r.records.length, list.length);
      list.forEach((want, i) => {
        const got = r.records[i];
        assert.deepEqual(got?.raw, want.raw, `${file} record ${i}`);
        if (want.dataType) assert.equal(got?.dataType, want.dataType);
        assert.equal(got?.storage, want.storage ?? got?.storage);
      });
    }
  });
}
