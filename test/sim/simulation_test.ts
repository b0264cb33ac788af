import assert from "node:assert/strict";
import { decodeUserData, type Telegram } from "../../src/app/mod.ts";
import { decodeFrame } from "../../src/link/mod.ts";
import { ConfigError, VirtualClock } from "../../src/util/mod.ts";
import {
  createSimulation,
  encodeTelegrams,
  generateBus,
  loadScenario,
  METERS,
  parseScenario,
  SCENARIOS,
  type VirtualBus,
} from "../../sim/mod.ts";
import { exchange, reqUd2, sndNke } from "./_helpers.ts";

async function readAll(bus: VirtualBus, address: number): Promise<Telegram[]> {
  const clock = new VirtualClock();
  await using port = bus.connect({ clock, paced: false });
  await exchange(port, clock, sndNke(address));
  const telegrams: Telegram[] = [];
  let fcb = true;
  for (let i = 0; i < 20; i++) {
    const f = decodeFrame(await exchange(port, clock, reqUd2(address, fcb)));
    assert.ok(
      f.ok && f.value.type === "long",
      `telegram ${i} decodes as a frame`,
    );
    const t = decodeUserData(f.value.ci, f.value.data);
    assert.ok(t.ok, `telegram ${i} decodes`);
    assert.equal(t.value.error, null, JSON.stringify(t.value.error));
    telegrams.push(t.value);
    if (!t.value.moreRecordsFollow) break;
    fcb = !fcb;
  }
  return telegrams;
}

Deno.test("METERS: at least 12 fixtures, of at least 5 media and 10 makers", () => {
  const all = Object.values(METERS);
  assert.ok(all.length >= 12);
  assert.ok(new Set(all.map((m) => m.medium)).size >= 5);
  assert.ok(new Set(all.map((m) => m.manufacturer)).size >= 10);
  for (const [name, m] of Object.entries(METERS)) assert.equal(m.name, name);
});

for (const [name, fixture] of Object.entries(METERS)) {
  Deno.test(`fixture ${name}: every telegram decodes with the project's decoder`, async () => {
    const bus = createSimulation({
      name: "one",
      meters: [{
        meter: name,
        primaryAddress: 1,
        failure: { mode: "noise", probability: 0 },
      }],
    });
    const telegrams = await readAll(bus, 1);
    assert.equal(telegrams.length, encodeTelegrams(fixture).length);
    const records = telegrams.flatMap((t) => t.records);
    const expected = fixture.records?.length ??
      (fixture.telegrams ?? []).reduce((n, t) => n + t.length, 0);
    assert.equal(records.length, expected);
    const inputs = fixture.records ?? (fixture.telegrams ?? []).flat();
    records.forEach((r, i) => {
      const want = inputs[i]?.raw;
      if (typeof want === "number") assert.equal(r.raw, want, `record ${i}`);
      else if (typeof want === "string") {
        assert.ok(
          String(r.raw).startsWith(want.replace(/:00Z$/, "")),
          `record ${i}: ${r.raw} vs ${want}`,
        );
      }
    });
    const header = telegrams[0]?.header;
    assert.equal(header?.id, fixture.id.toUpperCase());
    assert.equal(header?.manufacturer, fixture.manufacturer);
    assert.equal(header?.medium.code, fixture.medium);
  });
}

Deno.test("fixture siemens_rvd_controller: more than 150 data points over at least 5 telegrams", async () => {
  const telegrams = await readAll(createSimulation("rvd_multiframe"), 1);
  assert.ok(telegrams.length >= 5, `${telegrams.length} telegrams`);
  assert.ok(telegrams.flatMap((t) => t.records).length > 150);
  assert.ok(telegrams.slice(0, -1).every((t) => t.moreRecordsFollow));
});

for (const name of Object.keys(SCENARIOS)) {
  Deno.test(`scenario ${name} builds and lists its meters in stats`, () => {
    const s = SCENARIOS[name];
    assert.ok(s);
    assert.equal(s.name, name);
    parseScenario(s);
    const bus = createSimulation(s);
    const expected = s.meters.length + (s.generate?.meters ?? 0);
    assert.equal(bus.slaves.length, expected);
    assert.equal(bus.stats().meters.length, expected);
  });
}

Deno.test("SCENARIOS cover the issue's cases", () => {
  for (
    const n of [
      "demo",
      "duplicate_primary",
      "secondary_collisions",
      "hex_id",
      "faulty_meters",
      "large_250",
    ]
  ) {
    assert.ok(SCENARIOS[n], n);
  }
});

Deno.test("generateBus() is deterministic per seed, unique IDs, 1..250 then 0", () => {
  const a = generateBus({ meters: 300, seed: 5 });
  const b = generateBus({ meters: 300, seed: 5 });
  const c = generateBus({ meters: 300, seed: 6 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.meters.map((m) => m.id), c.meters.map((m) => m.id));
  assert.equal(new Set(a.meters.map((m) => m.id)).size, 300);
  assert.deepEqual(
    a.meters.slice(0, 250).map((m) => m.primaryAddress),
    Array.from({ length: 250 }, (_, i) => i + 1),
  );
  assert.ok(a.meters.slice(250).every((m) => m.primaryAddress === 0));
  assert.ok(new Set(a.meters.map((m) => m.manufacturer)).size >= 10);
  assert.ok(new Set(a.meters.map((m) => m.medium)).size >= 6);
  assert.throws(() => generateBus({ meters: -1 }), RangeError);
});

Deno.test("parseScenario() names the bad key", () => {
  assert.throws(
    () =>
      parseScenario({
        name: "x",
        meters: [{ meter: "a", primaryAddress: 300 }],
      }),
    (e) => e instanceof ConfigError && e.path === "meters[0].primaryAddress",
  );
  assert.throws(
    () =>
      parseScenario({
        name: "x",
        meters: [{ meter: "a", failure: { mode: "weird" } }],
      }),
    (e) => e instanceof ConfigError && e.path === "meters[0].failure",
  );
  assert.throws(() => parseScenario([]), ConfigError);
});

Deno.test("createSimulation() rejects an unknown scenario or meter with ConfigError", () => {
  assert.throws(() => createSimulation("nope"), ConfigError);
  assert.throws(
    () => createSimulation({ name: "x", meters: [{ meter: "nope" }] }),
    (e) => e instanceof ConfigError && e.path.startsWith("meters[0]"),
  );
});

Deno.test("loadScenario() finds names and reads files", async () => {
  assert.equal((await loadScenario("demo")).name, "demo");
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/s.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({ name: "file", meters: [{ meter: "gwf_mtkd_water" }] }),
    );
    assert.equal((await loadScenario(path)).name, "file");
    await Deno.writeTextFile(path, "{");
    await assert.rejects(loadScenario(path), ConfigError);
    await assert.rejects(loadScenario(`${dir}/missing.json`), ConfigError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createSimulation({ liveValues }) grows counters on fresh answers only", async () => {
  const bus = createSimulation("demo", { liveValues: true });
  const clock = new VirtualClock();
  await using port = bus.connect({ clock, paced: false });
  const energy = async (fcb: boolean) => {
    const f = decodeFrame(await exchange(port, clock, reqUd2(1, fcb)));
    assert.ok(f.ok && f.value.type === "long");
    const t = decodeUserData(f.value.ci, f.value.data);
    assert.ok(t.ok);
    const r = t.value.records;
    return { energy: r[0]?.raw, history: r[8]?.raw, date: r[10]?.raw };
  };
  // Address 1 has one telegram: it ignores FCB (mbus-wired.md §2.4), so every REQ_UD2,
  // toggled or not, is a fresh answer.
  const a = await energy(true);
  const b = await energy(true);
  const c = await energy(false);
  assert.ok(typeof a.energy === "number" && typeof b.energy === "number");
  assert.ok(b.energy > a.energy, `${a.energy} -> ${b.energy}`);
  assert.ok(Number(c.energy) > b.energy, `${b.energy} -> ${c.energy}`);
  assert.equal(b.history, a.history, "stored values stay");
  assert.equal(b.date, a.date);
  assert.equal(createSimulation("demo").slaves.length, 7);
});

Deno.test("parseScenario() checks liveValues", () => {
  assert.throws(
    () => parseScenario({ name: "x", meters: [], liveValues: "yes" }),
    (e) => e instanceof ConfigError && e.path === "liveValues",
  );
});

Deno.test("loadScenario() stops reading a file at its limit (/dev/zero) with a ConfigError", async () => {
  await assert.rejects(
    () => loadScenario("/dev/zero"),
    (e: unknown) =>
      e instanceof ConfigError && /larger than the limit/.test(e.message),
  );
});
