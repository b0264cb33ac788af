import assert from "node:assert/strict";
import type { DvEntry } from "../../../src/wmbus/drivers/_records.ts";
import { renderName } from "../../../src/wmbus/drivers/_name_template.ts";

function entry(storage: number, tariff: number, subunit: number): DvEntry {
  return {
    offset: 0,
    key: "0413",
    dif: 0x04,
    vif: 0x13,
    combinables: [],
    mt: "instantaneous",
    storage,
    tariff,
    subunit,
    coding: 4,
    lvar: 0,
    data: new Uint8Array(4),
  };
}

Deno.test("renderName() fills storage, tariff and subunit placeholders", () => {
  const e = entry(3, 2, 1);
  assert.equal(renderName("plain_name", e), "plain_name");
  assert.equal(renderName("history_{storage}", e), "history_3");
  assert.equal(renderName("m{storage-1}_t{tariff}", e), "m2_t2");
  assert.equal(renderName("{storage+10:2}x", e), "13x");
  assert.equal(renderName("s{storage:2}_u{subunit}", e), "s03_u1");
  assert.equal(renderName("{tariff}{tariff}", e), "22");
  assert.equal(renderName("{other}_{storage}", e), "{other}_3");
});

Deno.test("renderName() gives the same text on repeated use of a template", () => {
  for (let s = 0; s < 20; s++) {
    assert.equal(
      renderName("v_{storage:2}", entry(s, 0, 0)),
      `v_${String(s).padStart(2, "0")}`,
    );
  }
});
