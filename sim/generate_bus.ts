/**
 * A seeded generator of large buses: N meters with random unique IDs, makers, media and
 * versions, built on the fixture models. Up to 250 meters get primary addresses 1..N;
 * beyond that the rest stay unconfigured at 0 (reachable by secondary address only).
 *
 * @module
 */
import { createRandom, type Random } from "./_random.ts";
import type {
  GenerateBusOptions,
  Scenario,
  ScenarioMeter,
} from "./scenario.ts";

/** Fixture models and the makers that plausibly build such a meter. */
const MODELS: readonly {
  meter: string;
  makers: readonly string[];
  media: readonly number[];
}[] = [
  {
    meter: "kamstrup_multical_403",
    makers: ["KAM", "EFE", "LUG", "SON", "HYD"],
    media: [4, 12],
  },
  {
    meter: "engelmann_sensostar_u",
    makers: ["EFE", "KAM", "SEN", "ZRI"],
    media: [4, 13],
  },
  {
    meter: "sensus_620_water",
    makers: ["SEN", "GWF", "ZRI", "APA", "SAP"],
    media: [7, 22],
  },
  {
    meter: "apator_warm_water",
    makers: ["APA", "SEN", "DME", "ZRI"],
    media: [6, 21],
  },
  { meter: "elster_bkg4_gas", makers: ["ELS", "ITG", "APA"], media: [3] },
  {
    meter: "abb_a43_electricity",
    makers: ["ABB", "EMH", "LUG", "ISK"],
    media: [2],
  },
  {
    meter: "qundis_qcaloric_hca",
    makers: ["QDS", "TCH", "BMT", "SON"],
    media: [8],
  },
  {
    meter: "sontex_supercal_cooling",
    makers: ["SON", "KAM", "EFE"],
    media: [10, 11],
  },
  { meter: "relay_padpuls_m2", makers: ["REL", "ZRI"], media: [0, 15] },
];

function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) {
    throw new RangeError("Cannot pick from an empty list");
  }
  return item;
}

/**
 * Generates a bus scenario.
 *
 * @example
 * ```ts
 * import { createSimulation, generateBus } from "./mod.ts";
 * const bus = createSimulation(generateBus({ meters: 250, seed: 7 }));
 * bus.slaves.length; // 250
 * ```
 *
 * @param options Number of meters and seed.
 * @returns A scenario whose meters are fixture models with generated identities.
 * @throws {RangeError} For a negative or fractional count.
 */
export function generateBus(options: GenerateBusOptions): Scenario {
  const count = options.meters;
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`Cannot generate a bus of ${count} meters`);
  }
  const seed = options.seed ?? 1;
  const random = createRandom(seed);
  const ids = new Set<string>();
  const meters: ScenarioMeter[] = [];
  for (let i = 0; i < count; i++) {
    let id: string;
    do {
      id = String(Math.floor(random() * 100_000_000)).padStart(8, "0");
    } while (ids.has(id));
    ids.add(id);
    const model = pick(random, MODELS);
    meters.push({
      meter: model.meter,
      name: `gen${String(i + 1).padStart(4, "0")}#${id}`,
      id,
      manufacturer: pick(random, model.makers),
      version: Math.floor(random() * 256),
      medium: pick(random, model.media),
      primaryAddress: i < 250 ? i + 1 : 0,
      answerDelayMs: 5 + Math.round(random() * 40_000) / 1000,
      seed: Math.floor(random() * 2 ** 32),
    });
  }
  return {
    name: `generated_${count}_${seed}`,
    description: `${count} generated meters (seed ${seed})`,
    meters,
  };
}
