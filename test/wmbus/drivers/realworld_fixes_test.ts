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
