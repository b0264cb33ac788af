import assert from "node:assert/strict";
import { fromHex } from "../../src/util/mod.ts";
import {
  encodeLinkFrame,
  encryptEllTelegram,
  encryptMode5Telegram,
  type ParseOptions,
  parseTelegram,
  WMBUS_ERRORS,
} from "../../src/wmbus/mod.ts";
import {
  createMeterState,
  decodeWithDriver,
  type MeterState,
} from "../../src/wmbus/drivers/mod.ts";
import { DRIVERS } from "../../src/wmbus/drivers/registry.ts";
import { splitRecords } from "../../src/wmbus/drivers/_records.ts";
import { decodeRecords, walkRecords } from "../../src/app/mod.ts";
import { toHex } from "../../src/util/mod.ts";
import { analyzeHex } from "../../src/wmbus/analyze.ts";
import { loadCorpus } from "./_corpus.ts";
import { seededRandom as prng } from "../_helpers/random.ts";

const ITERATIONS = 200_000;
const CODES = new Set<string>(Object.values(WMBUS_ERRORS));
const KEY = fromHex("00112233445566778899AABBCCDDEEFF");

/** Seeds, and the driver of each (the corpus case's, else `auto`). */
function seedsWithDrivers(): { bytes: Uint8Array; driver: string }[] {
  const out = seeds().map((bytes) => ({ bytes, driver: "auto" }));
  for (const c of loadCorpus() ?? []) {
    out.push({ bytes: fromHex(c.telegram), driver: c.driver });
  }
  return out;
}

function seeds(): Uint8Array[] {
  const base = [
    "2A442D2C998734761B168D2091D37CAC21E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24",
    "3A44A5113322332263078C0085900F002C256C160100A48FAD66CB025DA87ADF00310710" +
    "1F8DECC4B713AB8A1478EB897C19FA1E4A28FB9C8C618D22DCCA68FB2D75828A7F6E142FEDE8905296B970BE75AE143B",
    "1C44333003020100071B7A630020002F2F0265D2000242657E000165B5",
  ].map(fromHex);
  for (const c of loadCorpus() ?? []) base.push(fromHex(c.telegram));
  const out = [...base];
  for (const b of base) {
    if (b[0] === 0x68) continue;
    out.push(encodeLinkFrame(b, "A"));
    try {
      out.push(
        b[10] === 0x8d
          ? encryptEllTelegram(b, KEY)
          : encryptMode5Telegram(b, KEY),
      );
    } catch {
      // not a plain mode 0/5 or ELL II telegram: no encrypted twin
    }
  }
  return out;
}

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const kind = Math.floor(rnd() * 6);
  const b = src.slice();
  const at = Math.floor(rnd() * b.length);
  switch (kind) {
    case 0:
      return b.subarray(0, at);
    case 1: {
      const flips = 1 + Math.floor(rnd() * 4);
      for (let i = 0; i < flips; i++) {
        const p = Math.floor(rnd() * b.length);
        b[p] = (b[p] ?? 0) ^ (1 << Math.floor(rnd() * 8));
      }
      return b;
    }
    case 2:
      b[at] = Math.floor(rnd() * 256);
      return b;
    case 3:
      b[0] = Math.floor(rnd() * 256);
      return b;
    case 4:
      return new Uint8Array([
        ...b.subarray(0, at),
        Math.floor(rnd() * 256),
        ...b.subarray(at),
      ]);
    default:
      return new Uint8Array([...b.subarray(0, at), ...b.subarray(at + 1)]);
  }
}

Deno.test("parseTelegram() returns ok or a typed error for 200,000 mutated telegrams", () => {
  const rnd = prng(0x5eed);
  const base = seeds();
  const key = new Uint8Array(16);
  let errors = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const src = base[Math.floor(rnd() * base.length)] ?? new Uint8Array(0);
    const bytes = mutate(src, rnd);
    const options: ParseOptions = {};
    const k = rnd();
    if (k < 0.2) {
      for (let j = 0; j < 16; j++) key[j] = Math.floor(rnd() * 256);
      options.key = key;
    } else if (k < 0.3) options.key = KEY;
    if (rnd() < 0.1) options.crc = rnd() < 0.5 ? "present" : "absent";
    let r;
    try {
      r = parseTelegram(bytes, options);
    } catch (e) {
      assert.fail(
        `iteration ${i} threw ${String(e)} on ${Array.from(bytes).join(",")}`,
      );
    }
    if (!r.ok) {
      errors++;
      assert.ok(CODES.has(r.error.code), r.error.code);
      assert.ok(
        r.error.offset >= 0 && r.error.offset <= bytes.length + 2,
        `offset ${r.error.offset}`,
      );
    } else {
      assert.ok(r.value.payload.length <= bytes.length);
    }
  }
  assert.ok(errors > 0 && errors < ITERATIONS);
});

Deno.test("200,000 mutated telegrams through the record walker, every driver and the analyzer: no exception", () => {
  const rnd = prng(0xd21e);
  const base = seedsWithDrivers();
  const names = DRIVERS.map((d) => d.name);
  const states = new Map<string, MeterState>();
  const stateOf = (driver: string): MeterState => {
    let s = states.get(driver);
    if (s === undefined || rnd() < 0.01) {
      s = createMeterState();
      states.set(driver, s);
    }
    return s;
  };
  const perDriver = new Map<string, number>();
  let decoded = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const seed = base[Math.floor(rnd() * base.length)];
    if (seed === undefined) continue;
    const bytes = mutate(seed.bytes, rnd);
    const where = () => `iteration ${i} on ${toHex(bytes)}`;
    try {
      const r = parseTelegram(bytes, rnd() < 0.2 ? { key: KEY } : {});
      if (i % 20 === 0) analyzeHex(toHex(bytes));
      if (!r.ok) continue;
      const payload = r.value.payload;
      const walk = walkRecords(payload);
      const split = splitRecords(payload);
      assert.equal(split.entries.length, walk.spans.length, where());
      const app = decodeRecords(payload);
      assert.equal(app.records.length, walk.spans.length, where());
      // The seed's own driver, and every driver in turn.
      const turn = names[i % names.length] ?? "generic";
      for (const driver of [seed.driver, turn]) {
        const d = decodeWithDriver(r.value, { driver, state: stateOf(driver) });
        assert.ok(typeof d.ok === "boolean", where());
        assert.notEqual(
          d.error?.code,
          "DRIVER_FAILED",
          `${driver}: ${d.error?.message} ${where()}`,
        );
        perDriver.set(driver, (perDriver.get(driver) ?? 0) + 1);
        if (d.ok) decoded++;
      }
    } catch (e) {
      assert.fail(
        `${where()} threw ${e instanceof Error ? e.stack : String(e)}`,
      );
    }
  }
  // Every driver ran on mutated telegrams, and many decoded.
  for (const n of names) {
    assert.ok((perDriver.get(n) ?? 0) > 0, `${n} never ran`);
  }
  assert.ok(decoded > ITERATIONS / 10, `only ${decoded} decoded`);
});
