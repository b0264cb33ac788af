import assert from "node:assert/strict";
import { fromHex, VirtualClock } from "../../src/util/mod.ts";
import {
  Deduplicator,
  encodeLinkFrame,
  WmbusMeterDecoder,
} from "../../src/wmbus/mod.ts";
import { loadCorpus } from "./_corpus.ts";

const KAMSTRUP =
  "2A442D2C998734761B168D2091D37CAC21E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24";
const KEY = fromHex("28F64A24988064A079AA2C807D6102AE");

Deno.test("WmbusMeterDecoder uses the key of the meter's id and decodes with the driver", () => {
  const decoder = new WmbusMeterDecoder({
    keys: new Map([["76348799", KEY]]),
    name: "Tap",
  });
  const out = decoder.decode(fromHex(KAMSTRUP));
  assert.equal(out.kind, "decoded");
  if (out.kind !== "decoded") return;
  assert.ok(out.telegram.decrypted);
  assert.equal(out.result.json.total_m3, 6.408);
  assert.equal(out.result.json.name, "Tap");
  assert.equal(decoder.meters, 1);
});

Deno.test("WmbusMeterDecoder reports parse failures and drops duplicates with or without CRCs", () => {
  const clock = new VirtualClock();
  const decoder = new WmbusMeterDecoder({
    keys: new Map([["", KEY]]),
    deduplicator: new Deduplicator({ clock, windowMs: 1000 }),
  });
  assert.equal(decoder.decode(fromHex(KAMSTRUP)).kind, "decoded");
  assert.equal(
    decoder.decode(encodeLinkFrame(fromHex(KAMSTRUP), "A")).kind,
    "duplicate",
  );
  const failed = decoder.decode(fromHex("2A442D2C"));
  assert.equal(failed.kind, "failed");
  if (failed.kind === "failed") assert.equal(failed.error.code, "TRUNCATED");
});

Deno.test({
  name:
    "WmbusMeterDecoder keeps per-meter state: a compact frame after its full frame",
  ignore: loadCorpus() === null,
  fn() {
    const c = (loadCorpus() ?? []).find((x) =>
      x.preceding_telegrams.length > 0
    );
    assert.ok(c);
    const decoder = new WmbusMeterDecoder({ driver: c.driver });
    for (const p of c.preceding_telegrams) decoder.decode(fromHex(p));
    const out = decoder.decode(fromHex(c.telegram));
    assert.equal(out.kind, "decoded");
    if (out.kind !== "decoded") return;
    for (const [k, v] of Object.entries(c.expected)) {
      if (k === "timestamp" || k === "name") continue;
      assert.deepEqual(out.result.json[k], v, k);
    }
  },
});
