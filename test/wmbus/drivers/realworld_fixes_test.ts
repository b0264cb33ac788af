/**
 * Fixes from real-world telegram shapes (public threads, never the posted bytes): each
 * test builds the record layout a posted telegram showed, with our own values.
 */
import assert from "node:assert/strict";
import {
  decodeWithDriver,
  detectDriver,
} from "../../../src/wmbus/drivers/mod.ts";
import { monthsBefore } from "../../../src/wmbus/drivers/months.ts";
import { telegram } from "./_telegram.ts";

/** Date type G (6C) of a day, as two hex bytes. */
function dateG(y: number, m: number, d: number): string {
  const yy = y - 2000;
  return [d | ((yy & 7) << 5), m | ((yy >> 3) << 4)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A record header (DIF, DIFE) of instantaneous storage `s`, 4-byte integer. */
function storage4(s: number): string {
  const dif = 0x84 | ((s & 1) << 6);
  return [dif, (s >> 1) & 0x0f].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

Deno.test("monthsBefore: a month's last day stays the last day, other days clamp", () => {
  assert.equal(monthsBefore("2024-11-30", 1), "2024-10-31");
  assert.equal(monthsBefore("2024-02-29", 2), "2023-12-31");
  assert.equal(monthsBefore("2024-03-30", 1), "2024-02-29");
  assert.equal(monthsBefore("2024-03-30", 2), "2024-01-30");
  assert.equal(monthsBefore("2024-05-15 10:00", 5), "2023-12-15");
  assert.equal(monthsBefore("2024-05-15", 0), "2024-05-15");
});

Deno.test("evo868: history dates count back from the reference date's month end", () => {
  const vols = [8, 9, 10, 11, 12].map((s) => `${storage4(s)}13D0070000`);
  const at = (y: number, m: number, d: number) =>
    decodeWithDriver(
      telegram(`0413E8030000 82046C${dateG(y, m, d)} ${vols.join(" ")}`, {
        manufacturer: "MAD",
        version: 0x50,
        deviceType: 0x16,
      }),
      { driver: "evo868" },
    ).json;
  const nov30 = at(2024, 11, 30);
  assert.equal(nov30.history_reference_date, "2024-11-30");
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((n) => nov30[`history_${n}_date`]),
    ["2024-11-30", "2024-10-31", "2024-09-30", "2024-08-31", "2024-07-31"],
  );
  const mar30 = at(2024, 3, 30);
  assert.deepEqual(
    [1, 2, 3].map((n) => mar30[`history_${n}_date`]),
    ["2024-03-30", "2024-02-29", "2024-01-30"],
  );
});

Deno.test("microclima: set dates from a month's last day stay on the last day", () => {
  const json = decodeWithDriver(
    telegram(
      `0406E8030000 426C${
        dateG(2024, 9, 30)
      } 4406D0070000 840106B80B0000 C40106A00F0000`,
      { manufacturer: "MAD", version: 0x00, deviceType: 0x04 },
    ),
    { driver: "microclima" },
  ).json;
  assert.equal(json.set_date_1_date, "2024-09-30");
  assert.equal(json.set_date_2_date, "2024-08-31");
  assert.equal(json.set_date_3_date, "2024-07-31");
  assert.equal(json.consumption_at_set_date_3_kwh, 4000);
});

/** A BFW 240 payload of `n` bytes (2F 2F included): prev 0x0144, current 0x0102, date at the end. */
function bfwPayload(n: number): string {
  const p = new Uint8Array(n);
  p.set([0x2f, 0x2f, 0x55], 0);
  p.set([0x01, 0x44, 0x01, 0x02], 4);
  for (let i = 10; i < n - 3; i++) p[i] = (i * 7) & 0xff;
  p.set([0x08, 0x10, 0x21], n - 3);
  return [...p].map((b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("bfw240radio: only a 40-byte payload is read; other lengths print null fields", () => {
  const head = { manufacturer: "BFW", version: 0x02, deviceType: 0x08 };
  const at = (n: number) =>
    decodeWithDriver(telegram(bfwPayload(n), head), { driver: "bfw240radio" });
  const ok = at(40);
  assert.equal(ok.ok, true);
  assert.equal(ok.json.current_hca, 0x0102);
  assert.equal(ok.json.prev_hca, 0x0144);
  assert.equal(ok.json.device_date, "2021-10-08");
  // One byte more (a receiver's trailing byte) or less: not the layout.
  for (const n of [39, 41, 44]) {
    const r = at(n);
    assert.equal(r.ok, true, `length ${n}`);
    assert.equal(r.json.current_hca, null, `length ${n}`);
    assert.equal(r.json.device_date, null, `length ${n}`);
    assert.equal(r.json.prev_01_hca, null, `length ${n}`);
    assert.equal(r.json.prev_18_hca, null, `length ${n}`);
  }
});

Deno.test("hydroclima is not auto-detected for BMP version 0x33 (only 0x53, as the reference)", () => {
  const base = telegram("2F2F", { manufacturer: "BMP", deviceType: 0x08 });
  assert.notEqual(detectDriver({ ...base, version: 0x33 }), "hydroclima");
  assert.match(detectDriver({ ...base, version: 0x53 }), /^hydroclima/);
});

Deno.test("aptmbusna: the TPL status joins the error flags in status", () => {
  const at = (records: string, status: number) =>
    decodeWithDriver(
      telegram(records, {
        manufacturer: "APA",
        version: 0x15,
        deviceType: 0x07,
        status,
      }),
      { driver: "aptmbusna" },
    ).json.status;
  assert.equal(
    at("0413E8030000 02FD170402", 0xe8),
    "PERMANENT_ERROR P_CLOCK_HAND_ERROR P_MBUS_DISCONNECTED UNKNOWN_E0",
  );
  assert.equal(at("0413E8030000", 0xe8), "PERMANENT_ERROR UNKNOWN_E0");
  assert.equal(at("0413E8030000", 0x04), "POWER_LOW");
  assert.equal(at("0413E8030000", 0), "OK");
});

/**
 * A Qundis walk-by record `0D FF 5F` (53 bytes, data set 0x82) with the quantity's VIF:
 * current 1234 (BCD), storage 1 2021-12-31 / 21, storage 17 2023-04-30 / 56, and the
 * monthly deltas 3, 6, … 36 (storages 2–13).
 */
function walkBy(vif: string): string {
  const deltas = Array.from(
    { length: 12 },
    (_, i) => ((i + 1) * 3).toString(16).padStart(2, "0") + "00",
  ).join("");
  return `0DFF5F35 0082220000 0F0007B0 ${vif} FFFF 34120000 BF2C 21000000 FE24 56000000 ${deltas} 2F`;
}

Deno.test("qcaloric: walk-by values survive a truncated record after the block", () => {
  const head = { manufacturer: "QDS", version: 0x35, deviceType: 0x08 };
  const json = decodeWithDriver(
    telegram(`${walkBy("6E")} 046D0C0A9E39 04D4`, head),
    { driver: "qcaloric" },
  ).json;
  assert.equal(json.current_consumption_hca, 1234);
  assert.equal(json.consumption_at_set_date_1_hca, 21);
  assert.equal(json.set_date, "2021-12-31");
  assert.equal(json.set_date_17, "2023-04-30");
  assert.equal(json.consumption_at_set_date_17_hca, 56);
  // Records after the block do not override its values (the block is read first).
  const later = decodeWithDriver(
    telegram(`${walkBy("6E")} 0B6E990000 4B6E880000`, head),
    { driver: "qcaloric" },
  ).json;
  assert.equal(later.current_consumption_hca, 1234);
  assert.equal(later.consumption_at_set_date_hca, 21);
});

Deno.test('qcaloric: an invalid set date is null in set_date and "" in set_date_1/_17', () => {
  const json = decodeWithDriver(
    telegram("0B6E000000 426CFFFF 4B6E000000 C2086CFFFF CB086E000000", {
      manufacturer: "QDS",
      version: 0x35,
      deviceType: 0x08,
    }),
    { driver: "qcaloric" },
  ).json;
  assert.equal(json.set_date, null);
  assert.equal(json.set_date_1, "");
  assert.equal(json.set_date_17, "");
});

Deno.test("qwaterv2 and qheatv2 read the walk-by block with its monthly deltas", () => {
  const water = decodeWithDriver(
    telegram(walkBy("13"), {
      manufacturer: "QDS",
      version: 0x16,
      deviceType: 0x07,
    }),
    { driver: "qwaterv2" },
  ).json;
  assert.equal(water.total_m3, 1.234);
  assert.equal(water.target_year_m3, 0.021);
  assert.equal(water.target_year_date, "2021-12-31");
  assert.equal(water.target_m3, 0.056);
  assert.equal(water.target_date, "2023-04-30");
  assert.equal(water.volume_delta_2_m3, 0.003);
  assert.equal(water.volume_delta_13_m3, 0.036);
  const heat = decodeWithDriver(
    telegram(walkBy("06"), {
      manufacturer: "QDS",
      version: 0x23,
      deviceType: 0x37,
    }),
    { driver: "qheatv2" },
  ).json;
  assert.equal(heat.total_kwh, 1234);
  assert.equal(heat.energy_delta_2_kwh, 3);
  assert.equal(heat.energy_delta_7_kwh, 18);
  assert.equal(heat.energy_delta_13_kwh, 36);
  // The older drivers do not print the deltas.
  const qwater = decodeWithDriver(
    telegram(walkBy("13"), {
      manufacturer: "QDS",
      version: 0x16,
      deviceType: 0x07,
    }),
    { driver: "qwater" },
  ).json;
  assert.equal(qwater.total_m3, 1.234);
  assert.equal(
    Object.keys(qwater).some((k) => k.includes("delta")),
    false,
  );
});

Deno.test("qheat: id and media from the 07 79 enhanced identification (the meter behind a converter)", () => {
  const head = {
    manufacturer: "QDS",
    version: 0x23,
    deviceType: 0x37,
    id: "12345678",
  };
  const json = decodeWithDriver(
    telegram("0413E8030000 0779 42526367 9344 3C 04 0406E8030000", head),
    { driver: "qheat" },
  ).json;
  assert.equal(json.id, "67635242");
  assert.equal(json.media, "heat");
  assert.equal(json.total_energy_consumption_kwh, 1000);
  // Without the record the link layer's id and media stay.
  const plain = decodeWithDriver(telegram("0406E8030000", head), {
    driver: "qheat",
  }).json;
  assert.equal(plain.id, "12345678");
  assert.equal(plain.media, "radio converter (meter side)");
  // qwater keeps the link layer's values with the same record.
  const qwater = decodeWithDriver(
    telegram("0779 42526367 9344 3C 07 0413E8030000", {
      ...head,
      version: 0x33,
    }),
    { driver: "qwater" },
  ).json;
  assert.equal(qwater.id, "12345678");
});
