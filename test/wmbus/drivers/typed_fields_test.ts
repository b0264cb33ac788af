import assert from "node:assert/strict";
import { fromHex } from "../../../src/util/mod.ts";
import { parseTelegram } from "../../../src/wmbus/mod.ts";
import {
  createMeterState,
  decodeWithDriver,
  driverFields,
  fieldOfKey,
} from "../../../src/wmbus/drivers/mod.ts";
import { loadCorpus } from "../_corpus.ts";

Deno.test("driverFields() types every field of every corpus result: JSON key = name + unit suffix", () => {
  const corpus = loadCorpus();
  if (corpus === null) return;
  let numbers = 0;
  for (const c of corpus) {
    const t = parseTelegram(
      fromHex(c.telegram),
      c.key ? { key: fromHex(c.key) } : {},
    );
    if (!t.ok) continue;
    const r = decodeWithDriver(t.value, {
      driver: c.driver,
      state: createMeterState(),
    });
    if (!r.ok) continue;
    const fields = driverFields(r);
    const keys = Object.keys(r.json).filter((k) =>
      !["_", "media", "meter", "name", "id"].includes(k)
    );
    assert.deepEqual(fields.map((f) => f.key), keys, c.telegram);
    for (const f of fields) {
      assert.equal(f.key, f.unit === "" ? f.name : `${f.name}_${f.unit}`);
      assert.equal(f.value, r.json[f.key]);
      if (f.unit !== "") {
        numbers++;
        assert.notEqual(f.unitText, "");
        assert.notEqual(f.quantity, "text");
      }
    }
  }
  assert.ok(numbers > 100, `only ${numbers} numeric fields`);
});

Deno.test("fieldOfKey() splits by the unit table only: known suffixes are units, the rest text", () => {
  assert.deepEqual(fieldOfKey("total_m3"), {
    key: "total_m3",
    name: "total",
    quantity: "volume",
    unit: "m3",
    unitText: "m^3",
  });
  assert.equal(fieldOfKey("flow_temperature_c").unitText, "°C");
  assert.equal(fieldOfKey("target_date").unit, "");
  assert.equal(fieldOfKey("status").quantity, "text");
  assert.equal(fieldOfKey("_m3").name, "_m3");
});

Deno.test("driverFields() of a failed result is empty", () => {
  const t = parseTelegram(
    fromHex("1C44333003020100071B7A630020002F2F0265D2000242657E000165B5"),
  );
  assert.ok(t.ok);
  const r = decodeWithDriver(t.value, { driver: "no-such-driver" });
  assert.equal(r.ok, false);
  assert.deepEqual(driverFields(r), []);
});
