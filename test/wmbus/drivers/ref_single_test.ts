/**
 * Reference drivers with one open point each (hydrodigit, zenner0b, …), on hand-made
 * telegrams built from the meters' formats.
 */
import assert from "node:assert/strict";
import { decodeWithDriver } from "../../../src/wmbus/drivers/mod.ts";
import { telegram } from "./_telegram.ts";

const ZRI = { manufacturer: "ZRI", version: 0x0b, deviceType: 0x16 };

Deno.test("zenner0b: the block after 0F is status, month and total in 1/256000 m3", () => {
  const r = decodeWithDriver(
    telegram("0F 01000000 00100000 00200000", ZRI),
    { driver: "auto" },
  );
  assert.equal(r.driver, "zenner0b");
  assert.deepEqual(
    [r.json.status, r.json.target_m3, r.json.total_m3],
    ["STATUS_1", 0.016, 0.032],
  );
  // One byte after the block is allowed; a zero status is OK.
  const ok = decodeWithDriver(
    telegram("0F 00000000 00100000 00200000 FF", ZRI),
    { driver: "zenner0b" },
  );
  assert.equal(ok.json.status, "OK");
  assert.equal(ok.json.total_m3, 0.032);
});

Deno.test("zenner0b: volumes are unsigned; fill before the block is skipped", () => {
  // 0xF0000000 / 256000 = 15728.64 m3 (the reference reads it signed: negative).
  const r = decodeWithDriver(
    telegram("2F 2F 0F 00000000 000000F0 000000F0", ZRI),
    { driver: "zenner0b" },
  );
  assert.equal(r.json.target_m3, 15728.64);
  assert.equal(r.json.total_m3, 15728.64);
});

Deno.test("zenner0b: a block one byte short or two bytes long gives null volumes and no status", () => {
  for (
    const hex of [
      "0F 01000000 00100000 002000",
      "0F 01000000 00100000 00200000 FFFF",
      "",
    ]
  ) {
    const r = decodeWithDriver(telegram(hex, ZRI), { driver: "zenner0b" });
    assert.ok(r.ok, hex);
    assert.equal(r.json.target_m3, null, hex);
    assert.equal(r.json.total_m3, null, hex);
    assert.equal("status" in r.json, false, hex);
  }
});

const BMT = { manufacturer: "BMT", version: 0x13, deviceType: 0x07 };
const HEAD = "0C13 35670000 046D 172EEA28";

Deno.test("hydrodigit: a manufacturer block shorter than its contents byte announces is not read", () => {
  // Contents 0x81: battery (1 byte) and leak date (3 bytes); only 2 of the 3 date bytes.
  const cut = decodeWithDriver(telegram(`${HEAD} 0F 81 08 1313`, BMT), {
    driver: "hydrodigit",
  });
  assert.equal(cut.json.total_m3, 6.735);
  assert.equal(cut.json.contents, undefined);
  assert.equal(cut.json.voltage_v, undefined);
  // Whole, with a junk byte after it: read, the junk ignored.
  const whole = decodeWithDriver(
    telegram(`${HEAD} 0F 81 08 131203 FF`, BMT),
    { driver: "hydrodigit" },
  );
  assert.deepEqual(
    [whole.json.contents, whole.json.voltage_v, whole.json.leak_date],
    ["BATTERY_VOLTAGE LEAK_DATE", 2.8, "2013-12-03"],
  );
});

Deno.test("hydrodigit: dates with month or day 0 are null, larger ones roll over like mktime", () => {
  const r = decodeWithDriver(
    telegram(`${HEAD} 0F 83 0B 80 080016 1A1532`, BMT),
    { driver: "hydrodigit" },
  );
  // Fraud date: month nibble 0 → null. Leak date: month 15, day 32 → 2021-04-01.
  assert.equal(r.json.fraud_date, null);
  assert.equal(r.json.fraud_type, "MAGNETIC_FRAUD_ATTEMPT");
  assert.equal(r.json.leak_date, "2021-04-01");
  assert.equal(r.json.voltage_v, 3.2);
  // The same values as records (keys 03FB02, 03FB03).
  const rec = decodeWithDriver(
    telegram("03FB02 080016 03FB03 1A1300", BMT),
    { driver: "hydrodigit" },
  );
  assert.equal(rec.json.fraud_date, null);
  assert.equal(rec.json.leak_date, null);
  const roll = decodeWithDriver(telegram("03FB02 081F16", BMT), {
    driver: "hydrodigit",
  });
  assert.equal(roll.json.fraud_date, "2009-03-16");
});

Deno.test("ime: the transformer ratios print as hex in transmission order", () => {
  const r = decodeWithDriver(
    telegram("02FF922B C72C 02FF9329 372A", {
      manufacturer: "IME",
      version: 0x66,
      deviceType: 0x02,
    }),
    { driver: "auto" },
  );
  assert.equal(r.driver, "ime");
  assert.deepEqual([r.json.kta, r.json.ktv], ["C72C", "372A"]);
});

const SEC = { manufacturer: "SEC", version: 0x13, deviceType: 0x02 };

Deno.test("iem3000: flags print and join status; the 07FFA600 error flags replace the standard ones", () => {
  const both = decodeWithDriver(
    telegram(
      "02FD17 CC13 07FFA600 330F060C00000000 07FFA900 0100000000000000",
      SEC,
    ),
    { driver: "iem3000" },
  );
  assert.equal(both.json.error_flags, "ERROR_FLAGS_C060F33");
  assert.equal(both.json.alarm_flags, "ALARM_FLAGS_1");
  assert.equal(both.json.status, "ALARM_FLAGS_1 ERROR_FLAGS_C060F33");
  const std = decodeWithDriver(telegram("02FD17 3000", SEC), {
    driver: "iem3000",
  });
  assert.equal(std.json.error_flags, "CODE_202_PHASE_SEQUENCE_REVERSED");
  assert.equal(std.json.status, "CODE_202_PHASE_SEQUENCE_REVERSED");
  // The product number (LVAR under a manufacturer VIF) as hex in transmission order.
  const p = decodeWithDriver(telegram("0DFFAA00 04 45494546", SEC), {
    driver: "iem3000",
  });
  assert.equal(p.json.product_no, "45494546");
});

Deno.test("abbb23: energies and powers carry the VIFE 00; the product number reads in order", () => {
  const abb = { manufacturer: "ABB", version: 0x20, deviceType: 0x02 };
  const r = decodeWithDriver(
    telegram(
      "0483 00 01000000 04AB 00 02000000 0403 05000000 0DFFAA00 05 484F445455",
      abb,
    ),
    { driver: "abbb23" },
  );
  assert.equal(r.json.total_energy_consumption_kwh, 0.001);
  assert.equal(r.json.active_consumption_kw, 0.002);
  assert.equal(r.json.product_no, "HODTU");
  // Without the VIFE 00 the record is not the total.
  const plain = decodeWithDriver(telegram("0403 05000000", abb), {
    driver: "abbb23",
  });
  assert.equal(plain.json.total_energy_consumption_kwh, undefined);
});

const ZRI_HCA = { manufacturer: "ZRI", version: 0xfc, deviceType: 0x08 };

Deno.test("caltose: a compact profile in storage 8 becomes monthly history after the base date", () => {
  // Base date 2025-04-01 (storage 8), profile VIFE 1F: monthly (32 FE), 16-bit 10..13.
  const r = decodeWithDriver(
    telegram("82046C 2134 8D04EE1F 0A 32FE 0A00 0B00 0C00 0D00", ZRI_HCA),
    { driver: "caltose" },
  );
  assert.equal(r.json.base_date, "2025-04-01");
  // The last element is the first month after the base.
  assert.deepEqual(
    [1, 2, 3, 4].map((
      k,
    ) => [r.json[`consumption_${k}_hca`], r.json[`consumption_${k}`]]),
    [[13, "2025-05-01"], [12, "2025-06-01"], [11, "2025-07-01"], [
      10,
      "2025-08-01",
    ]],
  );
  // VIFE 1E keeps the order; an all-ones element carries no value and is not counted.
  const inOrder = decodeWithDriver(
    telegram("82046C 2134 8D04EE1E 0A 32FE 0A00 FFFF 0C00 0D00", ZRI_HCA),
    { driver: "caltose" },
  );
  assert.deepEqual(
    [1, 2, 3, 4].map((k) => inOrder.json[`consumption_${k}_hca`]),
    [10, 12, 13, undefined],
  );
});

Deno.test("caltose: profile dates by spacing: month ends, half months, days; unknown spacing gives none", () => {
  const dates = (base: string, spacing: string): unknown[] => {
    const r = decodeWithDriver(
      telegram(`82046C ${base} 8D04EE1F 06 ${spacing} 0A00 0B00`, ZRI_HCA),
      { driver: "caltose" },
    );
    return [r.json.consumption_1, r.json.consumption_2];
  };
  // 2025-12-31 (the month's last day) + 1, 2 months stay on the last day.
  assert.deepEqual(dates("3F3C", "32FE"), ["2026-01-31", "2026-02-28"]);
  // Half months fall on the 1st and the 16th.
  assert.deepEqual(dates("2134", "32FD"), ["2025-04-16", "2025-05-01"]);
  // 24 days; quarters (unit hours, FE).
  assert.deepEqual(dates("2134", "3218"), ["2025-04-25", "2025-05-19"]);
  assert.deepEqual(dates("2134", "22FE"), ["2025-07-01", "2025-10-01"]);
  // FF is no spacing the profile knows: no history at all.
  assert.deepEqual(dates("2134", "32FF"), [undefined, undefined]);
});

Deno.test("uiws: a compact profile of volumes in storage 30; 0x80000000 is no value", () => {
  const r = decodeWithDriver(
    telegram("820F6C 3C32 8D0F931F 0A 34FE 01020304 00000080", {
      manufacturer: "ZRI",
      version: 0x99,
      deviceType: 0x07,
    }),
    { driver: "uiws" },
  );
  assert.equal(r.json.target_date, "2025-02-28");
  assert.deepEqual(
    [
      r.json.target_1_m3,
      r.json.target_1_date,
      r.json.target_2_m3,
      r.json.target_2_date,
    ],
    [null, "2025-03-31", 67305.985, "2025-04-30"],
  );
});

Deno.test("c5isf: status codes are BCD-coded decimals taken largest first", () => {
  const head = { manufacturer: "ZRI", version: 0x88, deviceType: 0x0d };
  const status = (hex: string): unknown =>
    decodeWithDriver(telegram(`02FD17 ${hex}`, head), { driver: "c5isf" }).json
      .status;
  assert.equal(status("2100"), "DRY TEMP_BELOW_RANGE"); // 0x21: 20 + 1
  assert.equal(status("0A00"), "HARDWARE_ERROR2 TEMP_BELOW_RANGE"); // 0x0A = 9 + 1
  assert.equal(
    status("6400"),
    "ERROR_MEASURING RETURN_SENSOR_INTERRUPTED VALUE_OVERLOAD",
  );
  assert.equal(status("0028"), "VERIFICATION_EXPIRED WIRELESS_ERROR"); // 0x2800
  assert.equal(status("0000"), "OK");
  // 0x0572 holds 0x100, 0x50 … 1 and leaves 853.
  assert.match(String(status("7205")), /ERROR_FLAGS_853/);
});
