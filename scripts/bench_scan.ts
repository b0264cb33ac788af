// deno-lint-ignore-file no-console
/**
 * Secondary scan cost: our frugal tree search against the way libmbus scans, on the same
 * seeded virtual buses (N = 1, 10, 50, 250 at 2400 Bd, on a VirtualClock).
 *
 * Each generated bus gets a few meters that libmbus cannot find: IDs with hex digits A–E
 * and pairs of meters with the same ID but different manufacturers (N ≥ 10).
 *
 * The libmbus model (_libmbus_scan_model.ts) follows docs/libmbus-behaviour.md §1 and §3: SND_NKE to 253
 * and 255 with purges first; a depth-first walk over the 16 mask characters, most
 * significant ID digit first, digits 0–9 only (also in the manufacturer, version and
 * medium positions); each probe sent up to twice on silence (search retry 1); a receive
 * gives up after three empty reads of VTIME (0.3 s at 2400 Bd, so 0.9 s of silence); a
 * purge after every ACK, every RSP_UD and every invalid reply (each costing one more
 * silence); REQ_UD2 (C = 5B) to 253 after a single ACK.
 *
 * Run alone: `deno run -A scripts/bench_scan.ts`.
 *
 * @module
 */
import { Master } from "../src/master/mod.ts";
import { VirtualClock } from "../src/util/mod.ts";
import { createSimulation, generateBus, type Scenario } from "../sim/mod.ts";
import {
  LibmbusModel,
  meterKey,
  type ScanCost,
} from "./_libmbus_scan_model.ts";

/** A seeded bus with hex-ID meters and same-ID twins mixed in. */
function benchBus(
  n: number,
  seed: number,
): { scenario: Scenario; special: { hex: number; twins: number } } {
  const scenario = generateBus({ meters: n, seed });
  const meters = scenario.meters;
  let hex = 0;
  let twins = 0;
  if (n >= 10) {
    const k = Math.max(1, Math.round(n / 50));
    for (let i = 0; i < k; i++) {
      const m = meters[i * 3];
      if (m?.id) {
        // Hex in the leading digit (libmbus never tries it there) or in the middle.
        const at = i % 2 === 0 ? 0 : 5;
        m.id = m.id.slice(0, at) + "ABCDE".charAt(i % 5) + m.id.slice(at + 1);
        hex++;
      }
      const a = meters[i * 3 + 1];
      const b = meters[i * 3 + 2];
      if (a?.id && b) {
        b.id = a.id;
        b.manufacturer = a.manufacturer === "KAM" ? "EFE" : "KAM";
        twins += 2;
      }
    }
  }
  return { scenario, special: { hex, twins } };
}

async function ours(scenario: Scenario): Promise<ScanCost> {
  const clock = new VirtualClock();
  const bus = createSimulation(scenario);
  await using port = bus.connect({ clock });
  const master = new Master({ transport: port, clock });
  const start = clock.now();
  const meters = await clock.drive(master.scanSecondary());
  const s = master.lastScanStats;
  return {
    found: new Set(
      meters.map((m) => meterKey(m.id ?? "", m.manufacturer ?? "")),
    ),
    probes: s.probes,
    silent: s.silent,
    collisions: s.collisions,
    seconds: (clock.now() - start) / 1000,
  };
}

async function libmbus(scenario: Scenario): Promise<ScanCost> {
  const clock = new VirtualClock();
  const bus = createSimulation(scenario);
  await using port = bus.connect({ clock });
  const model = new LibmbusModel(port, clock);
  const start = clock.now();
  await clock.drive(model.scan(), 7 * 86_400_000);
  model.cost.seconds = (clock.now() - start) / 1000;
  return model.cost;
}

async function primaryCosts(
  scenario: Scenario,
): Promise<[ScanCost, ScanCost]> {
  const ours = await (async () => {
    const clock = new VirtualClock();
    const bus = createSimulation(scenario);
    await using port = bus.connect({ clock });
    const master = new Master({ transport: port, clock });
    const start = clock.now();
    const meters = await clock.drive(
      master.scanPrimary({ resolveCollisions: false }),
    );
    const s = master.stats;
    return {
      found: new Set(
        meters.filter((m) => !m.collision).map((m) => String(m.primary)),
      ),
      probes: s.requests,
      silent: s.timeouts,
      collisions: s.collisions + s.badFrames,
      seconds: (clock.now() - start) / 1000,
    };
  })();
  const clock = new VirtualClock();
  const bus = createSimulation(scenario);
  await using port = bus.connect({ clock });
  const model = new LibmbusModel(port, clock);
  const start = clock.now();
  await clock.drive(model.scanPrimary(), 7 * 86_400_000);
  model.cost.seconds = (clock.now() - start) / 1000;
  return [ours, model.cost];
}

function row(cells: (string | number)[]): string {
  return cells.map((c, i) => String(c).padStart(i === 0 ? 5 : 10)).join(" ");
}

/** Prints the comparison, one line per bus size. */
export async function benchScan(): Promise<void> {
  console.log(
    "secondary scan at 2400 Bd: ours vs libmbus model, same seeded buses",
  );
  console.log(
    row([
      "N",
      "who",
      "found",
      "hex",
      "twins",
      "probes",
      "silent",
      "collide",
      "bus s",
      "ratio",
    ]),
  );
  for (const n of [1, 10, 50, 250]) {
    const { scenario, special } = benchBus(n, 1000 + n);
    const all = new Set(
      scenario.meters.map((m) => meterKey(m.id ?? "", m.manufacturer ?? "")),
    );
    const hexKeys = [...all].filter((k) => /[A-F]/.test(k.slice(0, 8)));
    const ids = scenario.meters.map((m) => m.id ?? "");
    const twinKeys = [...all].filter((k) =>
      ids.filter((i) => i === k.slice(0, 8)).length > 1
    );
    const a = await ours(scenario);
    const b = await libmbus(scenario);
    for (const [who, c] of [["ours", a], ["libmbus", b]] as const) {
      console.log(row([
        n,
        who,
        `${c.found.size}/${all.size}`,
        `${hexKeys.filter((k) => c.found.has(k)).length}/${special.hex}`,
        `${twinKeys.filter((k) => c.found.has(k)).length}/${special.twins}`,
        c.probes,
        c.silent,
        c.collisions,
        c.seconds.toFixed(1),
        who === "ours" ? (a.seconds / b.seconds).toFixed(3) : "1",
      ]));
    }
  }
}

/**
 * Cross-check of the libmbus model against docs/libmbus-behaviour.md §3 (N = 250 plain
 * random IDs: about 1127 masks, 1892 select frames, 37 min at 2400 Bd), and ours on the
 * same plain bus.
 */
export async function benchScanPlain(): Promise<void> {
  const scenario = generateBus({ meters: 250, seed: 7 });
  const [a, b] = [await ours(scenario), await libmbus(scenario)];
  console.log(
    `plain 250-meter bus: libmbus model ${b.probes} masks, ${
      (b.seconds / 60).toFixed(1)
    } min; ours ${a.probes} probes, ${(a.seconds / 60).toFixed(1)} min (ratio ${
      (a.seconds / b.seconds).toFixed(3)
    }); found ${a.found.size} vs ${b.found.size}`,
  );
}

/** Prints the primary scan comparison (0..250; ours also reads each meter's header). */
export async function benchPrimaryScan(): Promise<void> {
  console.log(
    "primary scan 0..250 at 2400 Bd: ours (REQ_UD2) vs libmbus model (SND_NKE)",
  );
  console.log(
    row([
      "N",
      "who",
      "found",
      "requests",
      "silent",
      "collide",
      "bus s",
      "ratio",
    ]),
  );
  for (const n of [10, 250]) {
    const [a, b] = await primaryCosts(
      generateBus({ meters: n, seed: 2000 + n }),
    );
    for (const [who, c] of [["ours", a], ["libmbus", b]] as const) {
      console.log(row([
        n,
        who,
        c.found.size,
        c.probes,
        c.silent,
        c.collisions,
        c.seconds.toFixed(1),
        who === "ours" ? (a.seconds / b.seconds).toFixed(3) : "1",
      ]));
    }
  }
}

if (import.meta.main) {
  await benchScan();
  await benchScanPlain();
  await benchPrimaryScan();
}
