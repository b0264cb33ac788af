import assert from "node:assert/strict";
import {
  formatAge,
  formatValue,
  foundName,
  groupSecondary,
  mediumName,
  recordLabel,
  rssiText,
  scaleUnit,
  unitText,
} from "../../src/web/format.ts";
import { checkField, fieldValue } from "../../src/web/fields.ts";
import { parseHash } from "../../src/web/routes.ts";

Deno.test("unitText() typesets exponents: m^3 → m³, m^3/h → m³/h", () => {
  assert.equal(unitText("m^3"), "m³");
  assert.equal(unitText("m^3/h"), "m³/h");
  assert.equal(unitText("°C"), "°C");
  assert.equal(unitText(undefined), "");
});

Deno.test("scaleUnit() and formatValue() print energy in kWh/MWh, power in kW, durations in d; identifiers ungrouped", () => {
  assert.deepEqual(scaleUnit(31_415_000, "Wh"), {
    value: 31.415,
    unit: "MWh",
  });
  assert.deepEqual(scaleUnit(8700, "W"), { value: 8.7, unit: "kW" });
  assert.deepEqual(scaleUnit(999, "Wh"), { value: 999, unit: "Wh" });
  assert.deepEqual(scaleUnit(2.5e9, "J"), { value: 2.5, unit: "GJ" });
  assert.deepEqual(scaleUnit(172_800, "s"), { value: 2, unit: "d" });
  assert.deepEqual(formatValue(1625.37, "m^3"), {
    text: "1,625.37",
    unit: "m³",
  });
  assert.deepEqual(formatValue(71234567, ""), { text: "71234567", unit: "" });
  assert.deepEqual(formatValue(null, "Wh"), { text: "–", unit: "" });
  assert.deepEqual(formatValue("2025-12-31", ""), {
    text: "2025-12-31",
    unit: "",
  });
});

Deno.test("recordLabel() names function, storage, tariff and subunit; driver field names read as words", () => {
  const base = { path: "%mbus:1/0", record: 0, value: 1, timestamp: null };
  assert.equal(
    recordLabel({ ...base, quantity: "Energy", function: "instantaneous" }),
    "Energy",
  );
  assert.equal(
    recordLabel({
      ...base,
      quantity: "Volume flow",
      function: "maximum",
      storage: 2,
      tariff: 1,
      subunit: 1,
    }),
    "Volume flow · maximum · storage 2 · tariff 1 · subunit 1",
  );
  assert.equal(
    recordLabel({ ...base, quantity: "volume_flow" }),
    "Volume flow",
  );
  assert.equal(recordLabel({ ...base, quantity: "" }), "Record 0");
});

Deno.test("mediumName(), groupSecondary(), rssiText(), formatAge()", () => {
  assert.equal(mediumName(7), "Water");
  assert.equal(mediumName(0x42), "medium 0x42");
  assert.equal(mediumName(null), "–");
  assert.equal(groupSecondary("712345672D2C3504"), "71234567 2D2C 35 04");
  assert.equal(groupSecondary(null), "–");
  assert.equal(rssiText(-71), "-71 dBm");
  assert.equal(rssiText(97), "97");
  const now = Date.parse("2026-01-01T12:00:00Z");
  assert.equal(formatAge(now - 500, now), "just now");
  assert.equal(formatAge("2026-01-01T11:59:30Z", now), "30 s ago");
  assert.equal(formatAge(now - 600_000, now), "10 min ago");
  assert.equal(formatAge(now - 3 * 86_400_000, now), "3 d ago");
  assert.equal(formatAge(null, now), "never");
});

Deno.test("checkField() applies the schema's type, limits, pattern and enum; fieldValue() converts", () => {
  const frames = { type: "integer", minimum: 1, maximum: 255 };
  assert.equal(checkField("", frames), undefined);
  assert.equal(checkField("16", frames), undefined);
  assert.match(checkField("abc", frames) ?? "", /a number/);
  assert.match(checkField("1.5", frames) ?? "", /whole number/);
  assert.match(checkField("0", frames) ?? "", /at least 1/);
  assert.match(checkField("256", frames) ?? "", /at most 255/);
  const log = {
    anyOf: [{ enum: ["never", "update", "always"] }, {
      type: "integer",
      minimum: 1,
    }],
  };
  assert.equal(checkField("update", log), undefined);
  assert.equal(checkField("60000", log), undefined);
  assert.match(checkField("sometimes", log) ?? "", /never, update, always/);
  const key = { type: "string", pattern: "^[0-9A-Fa-f]{32}$" };
  assert.match(checkField("00", key) ?? "", /matching/);
  assert.equal(fieldValue("16", frames), 16);
  assert.equal(fieldValue("update", log), "update");
  assert.equal(fieldValue("", frames), undefined);
  assert.equal(fieldValue("true", { type: "boolean" }), true);
});

Deno.test("foundName() configures a found meter by primary address, by secondary when shared, by ID on air", () => {
  assert.equal(
    foundName({ primary: 4, secondary: "21948371..." }, "primary"),
    "4",
  );
  assert.equal(
    foundName(
      { primary: 4, secondary: "2194837142042002", collision: true },
      "primary",
    ),
    "2194837142042002",
  );
  assert.equal(
    foundName({ secondary: "2194837142042002" }, "secondary"),
    "2194837142042002",
  );
  assert.equal(foundName({ id: "31000004" }, "wireless"), "31000004");
});

Deno.test("parseHash() maps the console's routes", () => {
  assert.deepEqual(parseHash(""), { page: "instances" });
  assert.deepEqual(parseHash("#/i/heat"), {
    page: "instance",
    name: "heat",
    tab: "meters",
  });
  assert.deepEqual(parseHash("#/i/heat/commission"), {
    page: "instance",
    name: "heat",
    tab: "commission",
  });
  assert.deepEqual(parseHash("#/i/h%20x/m/12345678"), {
    page: "meter",
    name: "h x",
    meter: "12345678",
  });
  assert.deepEqual(parseHash("#/ports"), { page: "ports" });
});
