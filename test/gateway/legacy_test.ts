import assert from "node:assert/strict";
import {
  formatLegacyValue,
  legacyTiming,
  legacyUnit,
  toLegacyDataRecord,
  toLegacySlaveInformation,
} from "../../src/gateway/mod.ts";

Deno.test("legacyTiming() uses libmbus's 3 x VTIME on serial and 4 s over TCP, 3 retries", () => {
  assert.deepEqual(
    [300, 600, 1200, 2400, 4800, 9600, 38400].map((b) =>
      legacyTiming(b, false).requestTimeoutMs
    ),
    [3900, 2400, 1500, 900, 900, 600, 600],
  );
  assert.deepEqual(legacyTiming(2400, false), {
    requestTimeoutMs: 900,
    idleTimeoutMs: 0,
    retry: 3,
  });
  assert.deepEqual(legacyTiming(9600, false).requestTimeoutMs, 600);
  assert.deepEqual(legacyTiming(2400, true).requestTimeoutMs, 4000);
});

Deno.test("toLegacyDataRecord() and toLegacySlaveInformation() use libmbus's names", () => {
  const rec = {
    index: 3,
    function: "maximum",
    storage: 1,
    tariff: 2,
    subunit: 0,
    quantity: "Volume",
    unit: "m^3",
    value: 54.321,
    raw: 54321,
  };
  assert.deepEqual(
    toLegacyDataRecord(rec, 54.321, "2026-01-01T00:00:00.000Z"),
    {
      id: 3,
      Function: "Maximum value",
      StorageNumber: 1,
      Tariff: 2,
      Device: 0,
      Unit: "m^3",
      Quantity: "Volume",
      Value: "54.321000",
      Timestamp: "2026-01-01T00:00:00.000Z",
    },
  );
  assert.deepEqual(
    toLegacySlaveInformation({
      id: "11490378",
      manufacturer: "ACW",
      version: 14,
      medium: { code: 22, name: "Cold water" },
      accessNumber: 10,
      status: 0,
      signature: 0,
    }),
    {
      Id: "11490378",
      Manufacturer: "ACW",
      Version: 14,
      ProductName: "Itron BM +m",
      Medium: "Cold water",
      AccessNumber: 10,
      Status: "00",
      Signature: "0000",
    },
  );
});

Deno.test("formatLegacyValue() prints like C's %f: six decimals, half to even, signed zero", () => {
  assert.deepEqual(
    [54.321, 11490378, 0, -0, -1.5e-9, 0.0078125, 0.0234375, -12.25, 1e22]
      .map(formatLegacyValue),
    [
      "54.321000",
      "11490378.000000",
      "0.000000",
      "-0.000000",
      "-0.000000",
      "0.007812",
      "0.023438",
      "-12.250000",
      "10000000000000000000000.000000",
    ],
  );
  assert.equal(
    formatLegacyValue("2014-03-13T11:11:00Z"),
    "2014-03-13T11:11:00Z",
  );
  assert.equal(formatLegacyValue(null), "");
});

Deno.test("legacyUnit() prints '-' for time points and plain-text records, libmbus's H.C.A. text", () => {
  const base = {
    index: 0,
    function: "instantaneous",
    storage: 0,
    tariff: 0,
    subunit: 0,
    value: 1,
    raw: 1,
  };
  assert.equal(
    legacyUnit({ ...base, quantity: "Time point (date)", unit: "" }),
    "-",
  );
  assert.equal(
    legacyUnit({ ...base, quantity: "cust. ID", unit: "", vif: "fc" }),
    "-",
  );
  assert.equal(
    legacyUnit({ ...base, quantity: "H.C.A.", unit: "HCA" }),
    "Units for H.C.A.",
  );
  assert.equal(
    legacyUnit({ ...base, quantity: "Fabrication No", unit: "" }),
    "",
  );
  assert.equal(
    toLegacyDataRecord(
      { ...base, quantity: "Volume", unit: "m^3", dife: ["00"] },
      1,
      "t",
    )
      .Device,
    0,
  );
});
