import assert from "node:assert/strict";
import {
  formatMbusPath,
  parseMbusPath,
  parseMeterName,
} from "../../src/gateway/mod.ts";

const ROUND_TRIP = [
  "%mbus:1",
  "%mbus:0",
  "%mbus:250/0",
  "%mbus:1/0/value",
  "%mbus:1/12/timestamp",
  "%mbus:12345678",
  "%mbus:1234567824C40107/3/unit",
  "%mbus2:5/0/value",
  "%mbus:heat/5/0/value",
  "%mbus:heat-2.b/ABCDEF12",
  "%mbus:1/manufacturer",
  "%mbus:1/readAt",
];

for (const text of ROUND_TRIP) {
  Deno.test(`parseMbusPath() and formatMbusPath() round-trip "${text}"`, () => {
    const r = parseMbusPath(text);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(formatMbusPath(r.value), text);
    const again = parseMbusPath(formatMbusPath(r.value));
    assert.deepEqual(again, r);
  });
}

Deno.test("parseMbusPath() canonicalises meter names", () => {
  const r = parseMbusPath("%mbus:heat/005/0/value");
  assert.ok(r.ok);
  assert.deepEqual(r.value, {
    instance: "heat",
    meter: "5",
    record: 0,
    field: "value",
  });
  const s = parseMbusPath("%mbus:1234567824c40107");
  assert.ok(s.ok);
  assert.equal(s.value.meter, "1234567824C40107");
});

const BAD: [string, number][] = [
  ["mbus:1", 0],
  ["%mbus:", 6],
  ["%mbus:251", 6],
  ["%mbus:1/x", 8],
  ["%mbus:1/0/nope", 10],
  ["%mbus:1/manufacturer/value", 21],
  ["%mbus:1/0/value/extra", 16],
  ["%mbus2:heat/1", 7],
  ["%mbus:heat", 11],
];

for (const [text, offset] of BAD) {
  Deno.test(`parseMbusPath() rejects "${text}" at ${offset}`, () => {
    const r = parseMbusPath(text);
    assert.ok(!r.ok);
    assert.equal(r.error.code, "BAD_PATH");
    assert.equal(r.error.offset, offset);
  });
}

Deno.test("parseMeterName() tells primary, ID and secondary apart", () => {
  assert.deepEqual(parseMeterName("0"), { kind: "primary", text: "0" });
  assert.deepEqual(parseMeterName("250"), { kind: "primary", text: "250" });
  assert.equal(parseMeterName("251"), undefined);
  assert.deepEqual(parseMeterName("1234abcd"), {
    kind: "id",
    text: "1234ABCD",
  });
  assert.equal(parseMeterName("1234567"), undefined);
  assert.equal(parseMeterName("x"), undefined);
});
