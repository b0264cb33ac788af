/**
 * Drivers outside the seed corpus, on hand-made telegrams.
 */
import assert from "node:assert/strict";
import {
  createMeterState,
  decodeWithDriver,
} from "../../../src/wmbus/drivers/mod.ts";
import { telegram } from "./_telegram.ts";
import { aesCbcEncrypt } from "../../../src/wmbus/aes.ts";
import { mode5Iv } from "../../../src/wmbus/security.ts";
import { fromHex, toHex } from "../../../src/util/mod.ts";
import { crcWmbus } from "../../../src/wmbus/crc.ts";

Deno.test("mkradio3: volumes in 0.1 m3, current date year from the previous date", () => {
  // prev date 2018-12-31 (0x259F), prev 8.9 m3, current 04-27 (0x29B0), current 4.9 m3
  const t = telegram("06 9F25 5900 B029 3100", {
    manufacturer: "TCH",
    version: 0x74,
    deviceType: 0x62,
    ci: 0xa2,
  });
  const r = decodeWithDriver(t, { driver: "auto" });
  assert.equal(r.driver, "mkradio3");
  assert.deepEqual(
    [
      r.json.total_m3,
      r.json.target_m3,
      r.json.current_date,
      r.json.prev_date,
      r.json.media,
    ],
    [13.8, 8.9, "2019-04-27", "2018-12-31", "warm water"],
  );
});

Deno.test("apator172: the first four bytes count thirds of a cubic metre", () => {
  const r = decodeWithDriver(telegram("1D540000 0840", { ci: 0xa0 }), {
    driver: "apator172",
  });
  assert.equal(r.json.total_m3, 7177.666667);
  // Like the reference: a payload without the counter is a reading without a total.
  const short = decodeWithDriver(telegram("1D", { ci: 0xa0 }), {
    driver: "apator172",
  });
  assert.equal(short.ok, true);
  assert.equal(short.json.total_m3, undefined);
});

Deno.test("evo868: history values get month-end dates counted back from the reference date", () => {
  const r = decodeWithDriver(
    telegram("0413 06070000 82046C 9F2C 840413 C9040000 C40413 1B000000"),
    { driver: "evo868" },
  );
  assert.equal(r.json.history_reference_date, "2020-12-31");
  assert.equal(r.json.consumption_at_history_1_m3, 1.225);
  assert.equal(r.json.history_1_date, "2020-12-31");
  assert.equal(r.json.consumption_at_history_2_m3, 0.027);
  assert.equal(r.json.history_2_date, "2020-11-30");
});

Deno.test("kampress: a compact frame after a full frame of the same meter", () => {
  const head = { manufacturer: "KAM", version: 0x01, deviceType: 0x18 };
  const state = createMeterState();
  const full = telegram("2269 6600 1269 6700 0269 6600 02FD17 0800", {
    ...head,
    ci: 0x78,
  });
  assert.equal(
    decodeWithDriver(full, { driver: "kampress", state }).json.status,
    "LOW",
  );
  const sig = [...state.formats.keys()][0] ?? 0;
  const crc = crcWmbus(fromHex("22696500126966000269660002FD170000"));
  const hex = [sig & 0xff, sig >> 8, crc & 0xff, crc >> 8].map((b) =>
    b.toString(16).padStart(2, "0")
  ).join("");
  const r = decodeWithDriver(
    telegram(`${hex} 6500 6600 6600 0000`, { ...head, ci: 0x79 }),
    {
      driver: "kampress",
      state,
    },
  );
  assert.deepEqual([
    r.json.min_pressure_bar,
    r.json.max_pressure_bar,
    r.json.status,
  ], [1.01, 1.02, "OK"]);
});

Deno.test("detection falls back to the link-layer identity", () => {
  const t = {
    ...telegram("4315 A10000 426C BF2C", {
      manufacturer: "XYZ",
      version: 0xfe,
      deviceType: 0x07,
      ci: 0x72,
    }),
    dll: { manufacturer: "TCH", version: 0x95, deviceType: 0x37 },
  };
  const r = decodeWithDriver(t, { driver: "auto" });
  assert.equal(r.driver, "mkradio4a");
  assert.equal(r.json.target_m3, 16.1);
});

Deno.test("a meter keeps the values of earlier telegrams that a later one does not carry", () => {
  const state = createMeterState();
  decodeWithDriver(telegram("0413 10270000 4413 E8030000"), {
    driver: "iperl",
    state,
  });
  const r = decodeWithDriver(telegram("023B 0100"), { driver: "iperl", state });
  assert.equal(r.json.total_m3, 10);
  assert.equal(r.json.max_flow_m3h, 0.001);
  const fresh = decodeWithDriver(telegram("023B 0100"), {
    driver: "iperl",
    state: createMeterState(),
  });
  assert.equal(fresh.json.total_m3, undefined);
});

Deno.test("nzr: phases are storage numbers 2/4/6, energy is tariff 1, status from error flags and TPL", () => {
  // energy tariff 1 BCD 00001234 * 100 Wh; power 0x1000 * 0.01 W; phase 1 power 5000 * 0.01 W;
  // phase 2 voltage 230 V; phase 3 current 150 * 0.01 A
  const t = telegram(
    "8C1005 34120000 840029 00100000 840129 88130000 8202FD49 E600 8203FD5A 9600",
    { manufacturer: "NZR", version: 0x00, deviceType: 0x02, ci: 0x72 },
  );
  const r = decodeWithDriver(t);
  assert.equal(r.driver, "nzr");
  assert.equal(r.json.total_energy_consumption_kwh, 123.4);
  assert.equal(r.json.current_power_consumption_kw, 0.04096);
  assert.equal(r.json.current_power_consumption_1_kw, 0.05);
  assert.equal(r.json.voltage_at_phase_2_v, 230);
  assert.equal(r.json.current_at_phase_3_a, 1.5);
  assert.equal(r.json.voltage_at_phase_1_v, undefined);
  // The reference's nzr has a status field (error flags record and TPL status): OK here.
  assert.equal(r.json.status, "OK");
  assert.equal(r.json.media, "electricity");
});

Deno.test("apatorna1: one AES-CBC block under the meter's key, IV from the link address", () => {
  const raw = fromHex("1C44 0106 78563412 14 07 A0");
  // multiplier 10^1 (bits 4-5 of byte 1); count 0x12 << 12 | 0x34 << 4 | 5 = 74565 -> 745.65 m3
  const plain = fromHex("00 15 34 12 00 0000000000000000000000");
  const iv = mode5Iv(raw.subarray(2, 10), 0x42);
  const block = aesCbcEncrypt(new Uint8Array(16), plain, iv);
  const head = {
    manufacturer: "APA",
    version: 0x14,
    deviceType: 0x07,
    ci: 0xa0,
    raw,
  };
  const t = telegram(`42 00 ${toHex(block)}`, head);
  const r = decodeWithDriver(t, { key: new Uint8Array(16) });
  assert.equal(r.driver, "apatorna1");
  assert.equal(r.json.total_m3, 745.65);
  // Without the key the block stays closed: no volume, like the reference.
  assert.equal(decodeWithDriver(t).json.total_m3, null);
  assert.equal(r.json.media, "water");
  const short = decodeWithDriver(telegram("42 00 01", head), {
    driver: "apatorna1",
    key: new Uint8Array(16),
  });
  assert.equal(short.ok, true);
  assert.equal(short.json.total_m3, null);
  assert.equal(short.json.frame_status, "OK");
});

Deno.test("mkradio3a: early in the month the month sums use other byte pairs", () => {
  // 2025-03-05: day 5, month 3, year 25 -> 0x3265; total 0x000400 = 1024 -> 102.4 m3
  const months = Array.from(
    { length: 11 },
    (_, k) => `${(k + 1).toString(16).padStart(2, "0")} 00 01`,
  ).join(" ");
  const payload = `0C 00 6532 000400 00 07 ${months} 00 00`;
  const t = telegram(payload, {
    manufacturer: "TCH",
    version: 0x50,
    deviceType: 0x72,
    ci: 0xa2,
  });
  const r = decodeWithDriver(t);
  assert.equal(r.driver, "mkradio3a");
  assert.equal(r.json.total_m3, 102.4);
  assert.equal(r.json.target_m3, 0.7);
  assert.equal(r.json.last_mar_m3, 0.7);
  // one month back: bytes 9 and 11 -> (1 + 1) / 10; eleven back: (11 + 1) / 10
  assert.equal(r.json.last_feb_m3, 0.2);
  assert.equal(r.json.last_apr_m3, 1.2);
  assert.equal(r.json.target_date, "2025-03-05");
  assert.equal(r.json.media, "cold water");
  // Like the reference: a payload of another length than 44 bytes prints every field as null.
  const short = decodeWithDriver(telegram(payload.slice(0, -3), { ci: 0xa2 }), {
    driver: "mkradio3a",
  });
  assert.equal(short.ok, true);
  assert.equal(short.json.total_m3, null);
  assert.equal(short.json.last_mar_m3, null);
});

Deno.test("hydrocalm3: records with equal headers are told apart by their order", () => {
  // energies 7200 MJ and 36 MJ; volumes 1.000, 2.000, 3.000, 4.000 m3; TPL status 0x80
  const t = telegram(
    "0C0E 00720000 0C13 00100000 0C0E 36000000 0C13 00200000 0C13 00300000 0C13 00400000",
    { manufacturer: "BMT", version: 0x0b, deviceType: 0x0d, status: 0x80 },
  );
  const r = decodeWithDriver(t);
  assert.equal(r.driver, "hydrocalm3");
  assert.deepEqual(
    [
      r.json.total_heating_kwh,
      r.json.total_cooling_kwh,
      r.json.total_heating_m3,
      r.json.total_cooling_m3,
      r.json.c1_volume_m3,
      r.json.c2_volume_m3,
      r.json.status,
    ],
    [2000, 10, 1, 2, 3, 4, "SABOTAGE_ENCLOSURE"],
  );
});
