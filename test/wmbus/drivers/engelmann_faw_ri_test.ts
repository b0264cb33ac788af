/**
 * mbusgw_engelmann_faw_ri (a local driver, not the reference's): date-times to the minute
 * like its sibling engelmann_faw, history dates counted back from the meter's date.
 */
import assert from "node:assert/strict";
import { decodeWithDriver } from "../../../src/wmbus/drivers/mod.ts";
import { telegram } from "./_telegram.ts";

Deno.test("engelmann_faw_ri: meter_datetime to the minute; history dates from tariff 0 records", () => {
  // 04 13 total 1.234 m3; 06 6D a 6-byte (type I) date-time 2024-06-11 16:45:25, which
  // a "date" field would print with seconds; storage 2 volume (84 01 13), and a
  // storage 3 tariff 1 volume (C4 11 13).
  const r = decodeWithDriver(
    telegram(
      "0413D2040000 066D192D100B3600 8401133C000000 C4111300000000",
      { manufacturer: "EFE", version: 0x70, deviceType: 0x06 },
    ),
    { driver: "engelmann_faw_ri" },
  );
  assert.equal(r.driver, "mbusgw_engelmann_faw_ri");
  assert.equal(r.json.total_m3, 1.234);
  assert.equal(r.json.meter_datetime, "2024-06-11 16:45");
  // Storage 2 (one month back) from the date; the tariff 1 record names no history date.
  assert.equal(r.json.history_1_date, "2024-05-11");
  assert.equal(r.json.history_2_date, undefined);
});
