/**
 * From a scenario to a populated {@link VirtualBus}: `createSimulation` for the gateway's
 * `--simulate` and tests, `loadScenario` for the CLI (`--scenario NAME|FILE`).
 *
 * @module
 */
import { readTextBounded } from "../src/transport/mod.ts";
import { ConfigError } from "../src/util/mod.ts";
import { createSlave } from "./create_slave.ts";
import { generateBus } from "./generate_bus.ts";
import { parseScenario, type Scenario } from "./scenario.ts";
import { SCENARIOS } from "./scenarios.ts";
import { VirtualBus } from "./virtual_bus.ts";

/** Options of {@link createSimulation}. */
export interface SimulationOptions {
  /** Bus baud rate, overriding the scenario's. */
  baudRate?: number;
  /** Cap on one silent wait in the statistics, ms. @default 10000 */
  maxWaitMs?: number;
  /** Counters grow with each fresh reading. @default the scenario's `liveValues`, else false */
  liveValues?: boolean;
}

/**
 * Builds a bus with the scenario's meters (and its generated crowd).
 *
 * @example
 * ```ts
 * import { createSimulation } from "./mod.ts";
 * const bus = createSimulation("demo");
 * await using port = bus.connect(); // a Transport for the master
 * ```
 *
 * @param scenario A scenario, or the name of one in {@link SCENARIOS}.
 * @param options Baud rate and statistics cap.
 * @returns The bus.
 * @throws {ConfigError} For an unknown scenario or meter.
 */
export function createSimulation(
  scenario: Scenario | string,
  options: SimulationOptions = {},
): VirtualBus {
  const s = typeof scenario === "string" ? scenarioByName(scenario) : scenario;
  const baudRate = options.baudRate ?? s.baudRate ?? 2400;
  const liveValues = options.liveValues ?? s.liveValues ?? false;
  const bus = new VirtualBus({
    baudRate,
    ...(options.maxWaitMs === undefined
      ? {}
      : { maxWaitMs: options.maxWaitMs }),
  });
  const entries = [
    ...s.meters,
    ...(s.generate ? generateBus(s.generate).meters : []),
  ];
  entries.forEach((entry, i) => {
    try {
      bus.addSlave(createSlave(entry, { baudRate, liveValues }));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      throw new ConfigError(`meters[${i}].${e.path}`, e.message, { cause: e });
    }
  });
  return bus;
}

function scenarioByName(name: string): Scenario {
  const s = SCENARIOS[name];
  if (!s) {
    throw new ConfigError(
      "scenario",
      `Cannot find scenario "${name}": known are ${
        Object.keys(SCENARIOS).join(", ")
      }`,
    );
  }
  return s;
}

/** Largest scenario file read, bytes. */
export const MAX_SCENARIO_BYTES = 4 * 1024 * 1024;

/**
 * Finds a scenario by registry name, or reads and checks a JSON file.
 *
 * @param nameOrPath A name in {@link SCENARIOS} or a path to a `.json` file.
 * @returns The scenario.
 * @throws {ConfigError} When neither works.
 */
export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const known = SCENARIOS[nameOrPath];
  if (known) return known;
  let text: string;
  try {
    text = await readTextBounded(nameOrPath, MAX_SCENARIO_BYTES);
  } catch (e) {
    throw new ConfigError(
      "scenario",
      `Cannot load scenario "${nameOrPath}": ${
        e instanceof RangeError
          ? `the file is ${e.message}`
          : `not a known name (${
            Object.keys(SCENARIOS).join(", ")
          }) and not a readable file`
      }`,
      { cause: e },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(
      "scenario",
      `Cannot load scenario "${nameOrPath}": invalid JSON`,
      {
        cause: e,
      },
    );
  }
  return parseScenario(json);
}
