/**
 * Apator (08, 172, E-ITN, NA-1), BMeters RFM-TX1 and waterstarm on hand-made telegrams
 * built from each meter's payload layout.
 */
import assert from "node:assert/strict";
import { decodeWithDriver } from "../../../src/wmbus/drivers/mod.ts";
import { telegram } from "./_telegram.ts";
import { fromHex, toHex } from "../../../src/util/mod.ts";
import { aesCbcEncrypt } from "../../../src/wmbus/aes.ts";
import { mode5Iv } from "../../../src/wmbus/security.ts";

Deno.test("apator08: thirds of a litre, a signed 32-bit counter; decrypted payloads without their 2F 2F", () => {
  const head = { manufacturer: "APT", version: 0x03, deviceType: 0x03 };
  // 0x00002EE0 = 12000 thirds of a litre = 4000 litres
  const a0 = decodeWithDriver(telegram("E02E0000 5566", { ...head, ci: 0xa0 }));
  assert.equal(a0.driver, "apator08");
  assert.equal(a0.json.total_m3, 4);
  // Bit 31 set: a negative count, as an M-Bus 32-bit integer reads.
  const neg = decodeWithDriver(
    telegram("FDFFFFFF", { ...head, ci: 0xa0 }),
    { driver: "apator08" },
  );
  assert.equal(neg.json.total_m3, -0.001);
  const t = telegram("2F2F E02E0000", head);
  const mode5 = { ...t, tpl: { ci: 0x7a, accessNumber: 1, config: 0x0510 } };
  assert.equal(decodeWithDriver(mode5).json.total_m3, 4);
  // Unencrypted, the payload is read as sent (2F 2F included).
  // (0x2EE02F2F = 786444079 thirds of a litre)
  assert.equal(decodeWithDriver(t).json.total_m3, 262148.026333);
  const short = decodeWithDriver(telegram("E02E", { ...head, ci: 0xa0 }));
  assert.equal(short.ok, true);
  assert.equal(short.json.total_m3, undefined);
});

/** An RFM-TX1 frame with the obscured total and the BCD date-time at their offsets. */
function rfmtx1Frame(access: number, litres: string, time: string): Uint8Array {
  // XOR vector of row (access & 15) = 3, bytes 2..5 (see the driver's table).
  const vector = [121, 7, 74, 22];
  const digits = fromHex(litres).reverse();
  const obscured = [...digits].map((d, i) => d ^ access ^ (vector[i] ?? 0));
  const body = [
    0x44,
    0xb4,
    0x09,
    0x78,
    0x56,
    0x34,
    0x12,
    0x05,
    0x07,
    0x7a,
    access,
    0,
    0,
    0,
    0x2f,
    0x2f,
    ...obscured,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    ...fromHex(time).reverse(),
    0x00,
  ];
  return Uint8Array.from([body.length, ...body]);
}

Deno.test("rfmtx1: the access number unlocks 8 BCD digits of litres; the date-time counts on past odd digits", () => {
  const raw = rfmtx1Frame(0x03, "12345678", "241231130405");
  assert.equal(raw.length, 35);
  const head = {
    manufacturer: "BMT",
    version: 0x05,
    deviceType: 0x07,
    raw,
  };
  const r = decodeWithDriver(telegram("", { ...head, ci: 0x7a }), {
    driver: "auto",
  });
  assert.equal(r.driver, "rfmtx1");
  assert.equal(r.json.total_m3, 12345.678);
  assert.equal(r.json.meter_datetime, "2024-12-31 13:04");
  // Day 00 of March is the last day of February; month 13 is January of the next year.
  const roll = rfmtx1Frame(0x03, "00000001", "240300000000");
  assert.equal(
    decodeWithDriver(telegram("", { ...head, raw: roll })).json.meter_datetime,
    "2024-02-29 00:00",
  );
  const roll13 = rfmtx1Frame(0x03, "00000001", "241301000000");
  assert.equal(
    decodeWithDriver(telegram("", { ...head, raw: roll13 })).json
      .meter_datetime,
    "2025-01-01 00:00",
  );
  const short = decodeWithDriver(
    telegram("", { ...head, raw: raw.subarray(0, 30) }),
  );
  assert.equal(short.error?.code, "TRUNCATED");
});

Deno.test("waterstarm: the error flags are the status (no second current_status)", () => {
  const r = decodeWithDriver(
    telegram("0413 10270000 02FD17 0500", {
      manufacturer: "DWZ",
      version: 0x02,
      deviceType: 0x06,
    }),
  );
  assert.equal(r.driver, "waterstarm");
  assert.equal(r.json.total_m3, 10);
  assert.equal(r.json.status, "SENSOR_ERROR SW_ERROR");
  assert.equal("current_status" in r.json, false);
});

Deno.test("apatoreitn: the 15-byte block (CI A0, or B6 with a prefix) or the same values as records", () => {
  const head = { manufacturer: "APA", version: 0x04, deviceType: 0x08 };
  const block = "11 2233 4455 0000 6677 9E0C 0010 0014";
  const r = decodeWithDriver(telegram(block, { ...head, ci: 0xa0 }));
  assert.equal(r.driver, "apatoreitn");
  assert.deepEqual(
    [
      r.json.current_hca,
      r.json.previous_hca,
      r.json.current_date,
      r.json.season_start_date,
      r.json.esb_date,
      r.json.status,
      r.json.temp_room_avg_c,
      r.json.temp_room_prev_avg_c,
    ],
    [30566, 21828, "2006-04-30", "2015-12-17", null, "OK", 20, 16],
  );
  for (const form of [`A0 ${block}`, `02 AABB A0 ${block}`]) {
    const b6 = decodeWithDriver(telegram(form, { ...head, ci: 0xb6 }));
    assert.equal(b6.json.current_hca, 30566, form);
    assert.equal(b6.json.season_start_date, "2015-12-17", form);
  }
  // Words are unsigned; a seal date with day 0 is the last day of the month before;
  // temperatures count 1/256 °C (printed with six decimals, ties to even).
  const high = decodeWithDriver(
    telegram("FF 2233 0080 8000 00F0 9E8C B21E 0014", { ...head, ci: 0xa0 }),
  );
  assert.equal(high.json.current_hca, 61440);
  assert.equal(high.json.previous_hca, 32768);
  assert.equal(high.json.current_date, "2006-04-30");
  assert.equal(high.json.esb_date, "2000-03-31");
  assert.equal(high.json.status, "SEAL_BROKEN");
  assert.equal(high.json.season_start_date, "2016-07-31");
  assert.equal(high.json.temp_room_prev_avg_c, 30.695312);
  const records = decodeWithDriver(
    telegram("2F2F 026E 0100 02FD3A 9E0C 8200FD3A 0000 02FB01 0014", head),
  );
  assert.equal(records.json.current_hca, 1);
  assert.equal(records.json.current_date, "2006-04-30");
  assert.equal(records.json.status, "OK");
  assert.equal(records.json.temp_room_avg_c, 20);
  assert.equal(records.json.temp_room_prev_avg_c, null);
  assert.equal(records.json.season_start_date, null);
  // A payload of neither shape: the dates and temperatures are unknown (null).
  const odd = decodeWithDriver(telegram("11 2233 4455", { ...head, ci: 0xa0 }));
  assert.equal(odd.ok, true);
  assert.equal(odd.json.current_date, null);
  assert.equal(odd.json.current_hca, undefined);
});

Deno.test("apatorna1: the decrypted block gives total, clock and the last historic reading", () => {
  const raw = fromHex("1C44 0106 78563412 14 07 A0");
  // pad | packed total (x10, count 74565) | clock 0x40302010 s after 2000 | age low 0x10,
  // meta 0x04 (age high 1, delta bits 0), delta 0xFA -> 1000 counts | alarms 09 | historic 01
  const plain = fromHex("00 15341200 10203040 10 04 FA0000 09 01");
  const iv = mode5Iv(raw.subarray(2, 10), 0x42);
  const key = fromHex("000102030405060708090A0B0C0D0E0F");
  const block = aesCbcEncrypt(key, plain, iv);
  const t = telegram(`42 81 ${toHex(block)}`, {
    manufacturer: "APA",
    version: 0x14,
    deviceType: 0x07,
    ci: 0xa0,
    raw,
  });
  const r = decodeWithDriver(t, { key });
  assert.equal(r.driver, "apatorna1");
  assert.deepEqual(
    [
      r.json.total_m3,
      r.json.meter_datetime,
      r.json.historic_age_h,
      r.json.historic_m3,
      r.json.historic_datetime,
      r.json.frame_status,
      r.json.current_status,
      r.json.historic_status,
    ],
    [
      745.65,
      "2034-02-15 01:42",
      272,
      735.65,
      "2034-02-03 17:42",
      "SERVICE_EVENT SUMMER_TIME",
      "BATTERY_LOW LEAK",
      "BATTERY_LIFETIME_THRESHOLD_EXCEEDED",
    ],
  );
  // A wrong key gives other numbers, no key none; the plain frame status stays readable.
  const none = decodeWithDriver(t);
  assert.equal(none.json.total_m3, null);
  assert.equal(none.json.meter_datetime, null);
  assert.equal(none.json.frame_status, "SERVICE_EVENT SUMMER_TIME");
  assert.equal(none.json.current_status, undefined);
  // The same values as records (manufacturer VIFs FB 00..12) after a TPL header.
  const records = decodeWithDriver(
    telegram("2F2F 04FB00 15341200 01FB11 00", {
      manufacturer: "APA",
      version: 0x14,
      deviceType: 0x07,
    }),
  );
  assert.equal(records.json.total_m3, 745.65);
  assert.equal(records.json.current_status, "OK");
  assert.equal(records.json.historic_m3, null);
});
