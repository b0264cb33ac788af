import assert from "node:assert/strict";
import { FragmentAssembler } from "../../src/wmbus/fragments.ts";
import {
  encodeLinkFrame,
  parseTelegram,
  WmbusMeterDecoder,
} from "../../src/wmbus/mod.ts";
import { decodeRecords } from "../../src/app/mod.ts";
import { encodeWirelessTelegram } from "../../sim/mod.ts";

const METER = {
  id: "44000001",
  manufacturer: "KAM",
  version: 0x1b,
  medium: 0x16,
};
const WHOLE = encodeWirelessTelegram(METER, [
  { vif: "13", dataType: "int32", raw: 1111 },
  { vif: "13", dataType: "int32", storage: 1, raw: 2222 },
  { vif: "6c", dataType: "dateG", raw: "2024-05-31" },
  { vif: "5b", dataType: "int8", raw: 21 },
], 0x42);

/** The telegram split after `cuts` bytes of its TPL part, each piece behind an AFL. */
function fragments(cuts: number[], firstId = 1): Uint8Array[] {
  const dll = WHOLE.subarray(0, 10);
  const tpl = WHOLE.subarray(10);
  const bounds = [0, ...cuts, tpl.length];
  const out: Uint8Array[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const last = i + 2 === bounds.length;
    const fcl = ((firstId + i) & 0xff) | (last ? 0 : 0x4000);
    const part = tpl.subarray(bounds[i], bounds[i + 1]);
    const f = Uint8Array.of(...dll, 0x90, 0x02, fcl & 0xff, fcl >> 8, ...part);
    f[0] = f.length - 1;
    out.push(f);
  }
  return out;
}

function values(bytes: Uint8Array): unknown[] {
  const t = parseTelegram(bytes);
  assert.ok(t.ok);
  return decodeRecords(t.value.payload).records.map((r) => r.value);
}

Deno.test("FragmentAssembler joins three fragments into the telegram they were cut from", () => {
  const a = new FragmentAssembler();
  const [f1, f2, f3] = fragments([7, 15]);
  assert.ok(f1 && f2 && f3);
  assert.deepEqual(a.push(f1), { kind: "held", fragmentId: 1 });
  assert.deepEqual(a.push(f2), { kind: "held", fragmentId: 2 });
  const r = a.push(f3);
  assert.equal(r.kind, "whole");
  if (r.kind !== "whole") return;
  assert.equal(r.fragments, 3);
  assert.equal(a.pending, 0);
  const t = parseTelegram(r.bytes);
  assert.ok(t.ok);
  assert.equal(t.value.afl?.moreFragments, false);
  assert.equal(t.value.afl?.fragmentId, 1);
  assert.deepEqual(values(r.bytes), values(WHOLE));
  assert.deepEqual(values(r.bytes), [1.111, 2.222, "2024-05-31", 21]);
});

Deno.test("FragmentAssembler reads fragments with format A CRCs and passes other telegrams through", () => {
  const a = new FragmentAssembler();
  const [f1, f2] = fragments([9]).map((f) => encodeLinkFrame(f, "A"));
  assert.ok(f1 && f2);
  assert.equal(a.push(f1).kind, "held");
  const r = a.push(f2);
  assert.ok(r.kind === "whole" && r.fragments === 2);
  assert.deepEqual(values(r.bytes), values(WHOLE));
  const plain = a.push(WHOLE);
  assert.ok(plain.kind === "whole" && plain.bytes === WHOLE);
});

Deno.test("FragmentAssembler drops a message with a missing fragment and restarts on a new first one", () => {
  const a = new FragmentAssembler();
  const [f1, f2, f3] = fragments([7, 15]);
  assert.ok(f1 && f2 && f3);
  a.push(f1);
  const broken = a.push(f3);
  assert.equal(broken.kind, "broken");
  assert.match(
    broken.kind === "broken" ? broken.message : "",
    /fragment 3 follows fragment 1/,
  );
  assert.equal(a.pending, 0);
  // A last fragment with nothing held is taken as it is (not fragmented for us).
  assert.equal(a.push(f3).kind, "whole");
  // A series that restarts keeps the new start.
  a.push(f1);
  a.push(f1);
  a.push(f2);
  const r = a.push(f3);
  assert.ok(r.kind === "whole" && r.fragments === 3);
});

Deno.test("WmbusMeterDecoder holds fragments and decodes the joined message with the driver", () => {
  const d = new WmbusMeterDecoder({ driver: "generic" });
  const [f1, f2] = fragments([12]);
  assert.ok(f1 && f2);
  const first = d.decode(f1);
  assert.deepEqual(first, { kind: "fragment", id: "44000001", fragmentId: 1 });
  const second = d.decode(f2);
  assert.equal(second.kind, "decoded");
  const direct = new WmbusMeterDecoder({ driver: "generic" }).decode(WHOLE);
  assert.ok(second.kind === "decoded" && direct.kind === "decoded");
  assert.deepEqual(second.result.json, direct.result.json);
  assert.equal(second.result.ok, true);
});
