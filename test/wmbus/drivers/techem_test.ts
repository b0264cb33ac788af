/**
 * Techem drivers on hand-made telegrams: the payload layouts, the same values sent as
 * standard records, and which of the two a field takes.
 */
import assert from "node:assert/strict";
import {
  createMeterState,
  decodeWithDriver,
} from "../../../src/wmbus/drivers/mod.ts";
import { crcWmbus } from "../../../src/wmbus/crc.ts";
import { fromHex, toHex } from "../../../src/util/mod.ts";
import { techemCurrentDate } from "../../../src/wmbus/drivers/techem.ts";
import { techemDate } from "../../../src/wmbus/drivers/techem_layout.ts";
import { telegram } from "./_telegram.ts";

const TCH = { manufacturer: "TCH" };

Deno.test("mkradio4: volumes are unsigned counts of 0.1 m3", () => {
  // previous 0xEA60 = 60000 -> 6000 m3 (the reference prints -553.6), current 1.6 m3
  const r = decodeWithDriver(
    telegram("00 0000 60EA 0000 1000", {
      ...TCH,
      version: 0x95,
      deviceType: 0x62,
      ci: 0xa2,
    }),
  );
  assert.equal(r.driver, "mkradio4");
  assert.deepEqual([r.json.target_m3, r.json.total_m3], [6000, 6001.6]);
  // Too short for the layout: both values null, not an error.
  const short = decodeWithDriver(telegram("00 0000 60", { ci: 0xa2 }), {
    driver: "mkradio4",
  });
  assert.equal(short.ok, true);
  assert.deepEqual([short.json.target_m3, short.json.total_m3], [null, null]);
});

Deno.test("techem layout: a decrypted payload is read after its 2F 2F check bytes", () => {
  const t = telegram("2F2F 00 0000 1027 0000 6400", {
    version: 0x95,
    deviceType: 0x62,
  });
  const plain = decodeWithDriver(t, { driver: "mkradio4" });
  // Plain: the 2F 2F bytes are part of the payload the layout is read from.
  assert.equal(plain.json.target_m3, 0);
  const decrypted = decodeWithDriver(
    { ...t, tpl: { ci: 0x7a, accessNumber: 1, status: 0, config: 0x0510 } },
    { driver: "mkradio4" },
  );
  assert.deepEqual([decrypted.json.target_m3, decrypted.json.total_m3], [
    1000,
    1010,
  ]);
});

Deno.test("techem layout: a layout value replaces a record with the same header", () => {
  // Records 4215 (0x1111) and 0215 (0x2222) at the start; the layout reads bytes 3-4
  // (0x0211 = 52.9 m3) and 7-8 (0x3322 = 1309 m3) of the same bytes.
  const r = decodeWithDriver(telegram("4215 1111 0215 2222 3333"), {
    driver: "mkradio4",
  });
  assert.deepEqual([r.json.target_m3, r.json.total_m3], [52.9, 1361.9]);
});

Deno.test("mkradio3: a field matched by kind takes the value that starts first", () => {
  // 4C15 (BCD 1111111.1 m3, storage 1) starts at byte 2, before the layout's previous
  // volume (bytes 3-4 = 0x1111): the record wins. The current volume (layout bytes 7-8 =
  // 0x2215) starts before the record 0215 and replaces it (same header).
  const atStart = decodeWithDriver(
    telegram("4C15 11111111 0215 2222", { version: 0x74, deviceType: 0x62 }),
    { driver: "mkradio3" },
  );
  assert.equal(atStart.json.target_m3, 1111111.1);
  assert.equal(atStart.json.total_m3, 1111983.6);
  // One filler byte first: the record's value starts at byte 3 with the layout's, which wins.
  const later = decodeWithDriver(
    telegram("2F 4C15 11111111 0215 2222", { version: 0x74, deviceType: 0x62 }),
    { driver: "mkradio3" },
  );
  assert.equal(later.json.target_m3, 436.9);
});

Deno.test("mkradio3: an impossible current day rolls over like a calendar", () => {
  // previous 2038-01-15 (0x4C2F); current month 12 day 0 -> 2038-11-30
  const r = decodeWithDriver(
    telegram("00 2F4C 0000 0018 0000", {
      ...TCH,
      version: 0x74,
      deviceType: 0x62,
      ci: 0xa2,
    }),
  );
  assert.equal(r.json.prev_date, "2038-01-15");
  assert.equal(r.json.current_date, "2038-11-30");
  assert.equal(
    techemCurrentDate((3 << 9) | (0 << 4), { year: 2020, month: 1, day: 1 }),
    "2020-02-29",
  );
  assert.equal(techemDate(21, 0, 19), "2020-12-19");
  assert.equal(techemDate(30, 13, 16), "2031-01-16");
});

Deno.test("mkradio3a: a month outside 1-12 names no month; history words from records", () => {
  // Records: date 2030, month 13, day 16 (0x3DB0); history word 0 = 0x1209 (day > 15:
  // 0x09 + 0x12 = 2.7 m3); total 0x3FCE60 -> 418160 m3.
  const hist = Array.from(
    { length: 12 },
    (_, k) => `82${k.toString(16).padStart(2, "0")}FD3A 0912`,
  ).join(" ");
  const r = decodeWithDriver(
    telegram(`2F2F 02FD3A B03D 03FD3A 60CE3F ${hist}`, {
      version: 0x50,
      deviceType: 0x72,
    }),
    { driver: "mkradio3a" },
  );
  assert.equal(r.json.total_m3, 418160);
  assert.equal(r.json.target_m3, 2.7);
  assert.equal(r.json.target_date, "2031-01-16");
  assert.equal(r.json.last_jan_m3, 0);
  assert.equal(r.json.last_dec_m3, 0);
});

Deno.test("vario451 and compact5: short payloads print null energies", () => {
  for (
    const [driver, version, hex] of [["vario451", 0x27, "00 1122 33"], [
      "compact5",
      0x45,
      "00",
    ]] as const
  ) {
    const r = decodeWithDriver(
      telegram(hex, { ...TCH, version, deviceType: 0x04, ci: 0xa2 }),
      { driver },
    );
    assert.equal(r.ok, true, driver);
    assert.deepEqual(
      [r.json.total_kwh, r.json.current_kwh, r.json.previous_kwh],
      [null, null, null],
    );
  }
});

Deno.test("fhkvdataiii: an unknown format byte reads no layout; short payloads print null dates", () => {
  const r = decodeWithDriver(
    telegram("22 9F27 1000 8004 2000 0A08 F0FD", {
      ...TCH,
      version: 0x69,
      deviceType: 0x80,
      ci: 0xa0,
    }),
  );
  assert.equal(r.ok, true);
  assert.equal(r.json.current_hca, undefined);
  assert.equal(r.json.previous_date, null);
  // Temperatures are signed (0xFDF0 is -5.28 °C).
  const known = decodeWithDriver(
    telegram("11 9F27 1000 8004 2000 0A08 F0FD", {
      ...TCH,
      version: 0x69,
      deviceType: 0x80,
      ci: 0xa0,
    }),
  );
  assert.deepEqual(
    [
      known.json.previous_date,
      known.json.previous_hca,
      known.json.current_date,
      known.json.current_hca,
      known.json.temp_room_c,
      known.json.temp_radiator_c,
    ],
    ["2019-12-31", 16, "2020-02-08", 32, 20.58, -5.28],
  );
});

Deno.test("tsd2: the detector state joins the TPL status; standard records are read too", () => {
  // Layout: state byte 01 (SMOKE), date word 0x2C9F: day 31, month 4, year 22; April
  // has 30 days, so the date rolls over to 2022-05-01 as the reference's does.
  const r = decodeWithDriver(
    telegram("01 9F2C", { ...TCH, version: 0x76, deviceType: 0xf0, ci: 0xa0 }),
  );
  assert.equal(r.driver, "tsd2");
  assert.deepEqual([r.json.status, r.json.prev_date], ["SMOKE", "2022-05-01"]);
  // A decrypted payload: 2F 2F, then state 00 at byte 0 and the date word at 1-2
  // (01 02 -> 0x0201: day 1, month 0 -> December 2000); TPL status 0x04 (power low).
  const t = telegram("2F2F 0001 02FD3A 9F2C", {
    version: 0x76,
    deviceType: 0xf0,
    status: 0x04,
  });
  const d = decodeWithDriver(
    { ...t, tpl: { ci: 0x7a, accessNumber: 1, status: 0x04, config: 0x0510 } },
    { driver: "tsd2" },
  );
  assert.deepEqual([d.json.status, d.json.prev_date], [
    "POWER_LOW",
    "2000-12-01",
  ]);
  assert.equal(
    decodeWithDriver(telegram("01", { ci: 0xa0 }), { driver: "tsd2" }).error
      ?.code,
    "TRUNCATED",
  );
});

Deno.test("tsd2 and fhkvdataiii: unknown states unpadded, layouts in TPL and compact frames", () => {
  const smoke = { ...TCH, version: 0x76, deviceType: 0xf0 };
  // An unknown detector state prints in hex without padding, like every index lookup.
  const s = decodeWithDriver(telegram("02 9F2C", { ...smoke, ci: 0xa0 }));
  assert.equal(s.json.status, "STATUS_2");
  // Compact frame (CI 79) after its full frame: signature and data CRC first, then the
  // layout (the signature and CRC are not the state byte and date word).
  const state = createMeterState();
  const full = decodeWithDriver(
    telegram("0101 00 02FD3A 0000 02FD3A 0000", { ...smoke, ci: 0x78 }),
    { state },
  );
  assert.equal(full.ok, true);
  const le = (v: number) => toHex(Uint8Array.of(v & 0xff, v >> 8));
  const sig = le(crcWmbus(fromHex("0101 02FD3A 02FD3A")));
  const crc = le(crcWmbus(fromHex("0101FD 02FD3A7B4B 02FD3A7B4B")));
  const c = decodeWithDriver(
    telegram(`${sig} ${crc} FD 7B4B 7B4B`, { ...smoke, ci: 0x79 }),
    { state },
  );
  assert.deepEqual([c.json.status, c.json.prev_date], [
    "STATUS_FD",
    "2037-11-27",
  ]);
  // fhkvdataiii: a decrypted TPL payload starting with format byte 01 is the layout
  // (previous HCA 0x6E43 = 28227 at byte 3, temperatures at 9 and 11), ahead of the
  // storage-1 HCA record (43 6E D9AA13) whose value starts later.
  const hca = { ...TCH, version: 0x69, deviceType: 0x80 };
  const t = telegram("2F2F 016E90 436ED9AA13 C6106E66425CC17214", hca);
  const d = decodeWithDriver(
    { ...t, tpl: { ci: 0x7a, accessNumber: 1, status: 0, config: 0x0510 } },
    { driver: "fhkvdataiii" },
  );
  assert.deepEqual(
    [d.json.previous_hca, d.json.temp_room_c, d.json.temp_radiator_c],
    [28227, 281.76, 169.98],
  );
  // Plain (no security), the payload starts 2F 2F: no layout, the records count.
  const plain = decodeWithDriver(t, { driver: "fhkvdataiii" });
  assert.equal(plain.json.previous_hca, 1288921);
});

Deno.test("mkradio3 compact frame: layout values and expanded records ordered by where their values start", () => {
  const mk3 = { ...TCH, version: 0x74, deviceType: 0x72 };
  const state = createMeterState();
  const full = decodeWithDriver(
    telegram("291700 42FD3A0000 02FD3A0000 491000 041300000000", {
      ...mk3,
      ci: 0x78,
    }),
    { state },
  );
  assert.equal(full.ok, true);
  const le = (v: number) => toHex(Uint8Array.of(v & 0xff, v >> 8));
  const sig = le(crcWmbus(fromHex("2917 42FD3A 02FD3A 4910 0413")));
  const crc = le(
    crcWmbus(fromHex("291741 42FD3A0D1F 02FD3A4B6D 491019 0413B170193C")),
  );
  // Data 41 | 0D1F | 4B6D | 19 | B170193C. The layout's previous volume (0x6D4B, byte 3)
  // starts before the storage-1 volume record's value (byte 5): target 2797.9 m3. The
  // layout's current volume (byte 7) starts after the 0413 record's value (byte 6): that
  // record is the current volume (1008300.209 m3).
  const c = decodeWithDriver(
    telegram(`${sig} ${crc} 41 0D1F 4B6D 19 B170193C`, { ...mk3, ci: 0x79 }),
    { state },
  );
  assert.deepEqual([c.json.target_m3, c.json.total_m3, c.json.prev_date], [
    2797.9,
    1011098.109,
    "2015-08-13",
  ]);
});
