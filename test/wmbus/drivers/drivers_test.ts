/**
 * Driver behaviour on hand-made telegrams: selection, status merging, compact frames,
 * manufacturer payloads and the generic fallback.
 */
import assert from "node:assert/strict";
import {
  createMeterState,
  decodeWithDriver,
  detectDriver,
  DRIVER_NAMES,
} from "../../../src/wmbus/drivers/mod.ts";
import { descramblePrios, priosXor } from "../../../src/wmbus/drivers/diehl.ts";
import { techemCurrentDate } from "../../../src/wmbus/drivers/techem.ts";
import { DRIVERS } from "../../../src/wmbus/drivers/registry.ts";
import {
  applyLookup,
  joinStatus,
  tplStatusWords,
} from "../../../src/wmbus/drivers/_status.ts";
import { bits, index } from "../../../src/wmbus/drivers/_build.ts";
import { DIEHL_PRIOS_KEYS } from "../../../src/wmbus/keys.ts";
import { fromHex } from "../../../src/util/mod.ts";
import { crcWmbus } from "../../../src/wmbus/crc.ts";
import { telegram } from "./_telegram.ts";

Deno.test("DRIVER_NAMES lists every driver of the brief, auto and generic", () => {
  const want =
    ("apator162 hydrus hydrodigit multical21 flowiq2200 flowiq3100 izar izar3 q400 ultrimis itron " +
      "minomess compact5 multical302 multical403 multical602 multical603 multical803 sharky774 ultraheat " +
      "sensostar vario451 elf microclima hydroclima ebzwmbe ehzp esyswm em24 omnipower amiplus gransystems " +
      "eurisii fhkvdataiii fhkvdataiv qcaloric sontex868 bfw240radio cma12w lansenth rfmamb munia piigth " +
      "unismart ei6500 lansensm tsd2 qsmoke lansenpu lansendw kamwater kamheat whe46x whe5x auto generic")
      .split(" ");
  assert.deepEqual(want.filter((n) => !DRIVER_NAMES.includes(n)), []);
});

Deno.test("decodeWithDriver() refuses an unknown driver with a typed error", () => {
  const r = decodeWithDriver(telegram("0413 01000000"), {
    driver: "nosuchmeter",
  });
  assert.equal(r.ok, false);
  assert.equal(r.error?.code, "UNKNOWN_DRIVER");
});

Deno.test("detectDriver() matches manufacturer, version and type; generic otherwise", () => {
  assert.equal(
    detectDriver(
      telegram("", { manufacturer: "KAM", version: 0x1b, deviceType: 0x16 }),
    ),
    "kamwater",
  );
  assert.equal(
    detectDriver(
      telegram("", { manufacturer: "SAP", version: 0x42, deviceType: 0x15 }),
    ),
    "izarv2",
  );
  assert.equal(detectDriver(telegram("", { manufacturer: "XYZ" })), "generic");
});

Deno.test("an alias prints the canonical meter name, and the common keys are set", () => {
  const t = telegram("0413 10270000", {
    manufacturer: "KAM",
    version: 0x1b,
    deviceType: 0x16,
    id: "00000042",
  });
  const r = decodeWithDriver(t, { driver: "multical21", name: "Tap" });
  assert.equal(r.ok, true);
  assert.deepEqual(
    {
      _: r.json._,
      media: r.json.media,
      meter: r.json.meter,
      name: r.json.name,
      id: r.json.id,
    },
    {
      _: "telegram",
      media: "cold water",
      meter: "kamwater",
      name: "Tap",
      id: "00000042",
    },
  );
  assert.equal(r.json.total_m3, 10);
});

Deno.test("status merges record flags with the TPL status byte, sorted, OK when clean", () => {
  const t = telegram("04FF22 20000000", {
    manufacturer: "KAM",
    version: 0x35,
    deviceType: 0x04,
    status: 0x14,
  });
  const r = decodeWithDriver(t, { driver: "kamheat" });
  assert.equal(
    r.json.status,
    "POWER_LOW SENSOR_T1_BELOW_MEASURING_RANGE TEMPORARY_ERROR",
  );
  const clean = decodeWithDriver(telegram("04FF22 00000000", { status: 0 }), {
    driver: "kamheat",
  });
  assert.equal(clean.json.status, "OK");
});

Deno.test("lookups: unknown bits and values print as NAME_HEX; TPL manufacturer bits as UNKNOWN_xx", () => {
  assert.deepEqual(
    applyLookup(bits("ERROR_FLAGS", 0xffff, [[0x01, "DRY"]]), 0x0801),
    ["DRY", "ERROR_FLAGS_800"],
  );
  assert.deepEqual(applyLookup(index("DUST", 0x1f, []), 0x1b), ["DUST_1B"]);
  assert.deepEqual(tplStatusWords(0xc0), ["UNKNOWN_C0"]);
  assert.deepEqual(
    tplStatusWords(0x48, bits("TPL", 0xe0, [[0x40, "SABOTAGE"]])),
    ["SABOTAGE", "PERMANENT_ERROR"],
  );
  assert.equal(joinStatus(["OK", "B A", "A"]), "A B");
});

Deno.test("kamwater: a compact frame uses the format learned from a full frame of the meter", () => {
  const head = { manufacturer: "KAM", version: 0x1b, deviceType: 0x16 };
  const state = createMeterState();
  const full = telegram("02FF20 0000 0413 10270000 4413 E8030000 615B 0A", {
    ...head,
    ci: 0x78,
  });
  assert.equal(decodeWithDriver(full, { driver: "kamwater", state }).ok, true);
  // Signature CRC of 02FF20 0413 4413 615B, then the CRC of the full records, then data.
  const sig = [...state.formats.keys()][0] ?? 0;
  const crc = crcWmbus(fromHex("02FF2001000413202700004413E8030000615B0B"));
  const compact = telegram(
    [sig & 0xff, sig >> 8, crc & 0xff, crc >> 8].map((b) =>
      b.toString(16).padStart(2, "0")
    ).join("") + "0100 20270000 E8030000 0B",
    { ...head, ci: 0x79 },
  );
  const r = decodeWithDriver(compact, { driver: "kamwater", state });
  assert.equal(r.ok, true);
  assert.equal(r.json.total_m3, 10.016);
  assert.equal(r.json.target_m3, 1);
  assert.equal(r.json.status, "DRY");
});

Deno.test("kamwater: a compact frame with an unknown format is a typed error", () => {
  const t = telegram("3412 0000 0100", {
    manufacturer: "KAM",
    version: 0x1b,
    deviceType: 0x16,
    ci: 0x79,
  });
  const r = decodeWithDriver(t, {
    driver: "kamwater",
    state: createMeterState(),
  });
  assert.equal(r.ok, false);
  assert.equal(r.error?.code, "UNKNOWN_COMPACT_FORMAT");
  const short = decodeWithDriver(telegram("34", { ci: 0x79 }), {
    driver: "kamheat",
  });
  assert.equal(short.error?.code, "TRUNCATED");
});

Deno.test("izar: PRIOS descrambling is its own inverse and checks the 4B marker", () => {
  const key = DIEHL_PRIOS_KEYS[1] ?? new Uint8Array(8);
  const header = fromHex("1944 304C 11223344 0007 A2 01 3D 40 13");
  const plain = fromHex("4B A00D0000 9E0D0000 7E29");
  const scrambled = priosXor(Uint8Array.from([...header, ...plain]), key);
  const raw = Uint8Array.from([...header, ...scrambled]);
  assert.deepEqual(descramblePrios(raw, key), plain);
  const t = telegram("", {
    manufacturer: "DME",
    version: 0x78,
    deviceType: 0x07,
    ci: 0xa2,
    raw,
  });
  const r = decodeWithDriver(t, { driver: "izar" });
  assert.equal(r.ok, true);
  assert.equal(r.json.total_m3, 3.488);
  assert.equal(r.json.last_month_measure_date, "2019-09-30");
  assert.equal(r.json.current_alarms, "meter_blocked,underflow");
  assert.equal(r.json.transmit_period_s, 8);
  const bad = decodeWithDriver(telegram("", { raw: header, ci: 0xa2 }), {
    driver: "izar",
  });
  assert.equal(bad.error?.code, "DESCRAMBLE_FAILED");
});

Deno.test("apator162: tag 10 is the total in litres; unknown tags are typed errors", () => {
  const ok = decodeWithDriver(
    telegram("2F2F 0F 00000000000000 4312 34 10 E8030000 FFFF"),
    { driver: "apator162" },
  );
  assert.equal(ok.json.total_m3, 1);
  const bad = decodeWithDriver(telegram("2F2F 0F 00000000000000 03 11223344"), {
    driver: "apator162",
  });
  assert.equal(bad.ok, false);
  assert.equal(bad.error?.code, "UNKNOWN_FIELD");
});

Deno.test("techem current date takes the next year when it does not follow the previous date", () => {
  assert.equal(
    techemCurrentDate((2 << 9) | (8 << 4), { year: 2019, month: 12, day: 31 }),
    "2020-02-08",
  );
  assert.equal(
    techemCurrentDate((6 << 9) | (1 << 4), { year: 2020, month: 5, day: 31 }),
    "2020-06-01",
  );
});

Deno.test("generic: every record is printed with a name from its VIF range and storage", () => {
  const r = decodeWithDriver(
    telegram("0413 10270000 4413 E8030000 426C 9F2C 02FD17 0000 0F 01"),
    {
      driver: "generic",
    },
  );
  assert.equal(r.ok, true);
  assert.equal(r.json.volume_m3, 10);
  assert.equal(r.json.volume_storage_1_m3, 1);
  assert.equal(r.json.date_storage_1, "2020-12-31");
  assert.equal(r.json.status, "OK");
});

Deno.test("registry: names and aliases are unique; a triple repeats only where the reference lists it twice", () => {
  assert.equal(new Set(DRIVER_NAMES).size, DRIVER_NAMES.length);
  // The reference lists these triples under an older and a newer driver; auto picks the newer.
  const shared = new Set([
    "izar",
    "qheat",
    "qheat5us",
    "qwater",
    "hydroclima",
    "ultrimis",
  ]);
  const rows = new Map<string, string>();
  for (const d of DRIVERS) {
    for (const [m, v, t] of d.detect) {
      const key = `${m}/${v}/${t}`;
      const before = rows.get(key);
      if (before !== undefined) {
        assert.ok(
          shared.has(before) || shared.has(d.name),
          `${key} claimed by ${before} and ${d.name}`,
        );
      }
      rows.set(key, d.name);
    }
  }
});

Deno.test("lookups: decimal status codes split largest first", () => {
  const codes = {
    type: "decimals",
    name: "E",
    mask: 0xffff,
    default: "OK",
    map: [[30, "REVERSE"], [6, "SUPPLY"]],
  } as const;
  assert.deepEqual(applyLookup(codes, 36), ["REVERSE", "SUPPLY"]);
  assert.deepEqual(applyLookup(codes, 37), ["REVERSE", "SUPPLY", "E_1"]);
  assert.deepEqual(applyLookup(codes, 0), ["OK"]);
});
