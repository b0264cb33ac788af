/**
 * The data shapes of `fixtures/`: meter definitions (identity plus records in the
 * encoder's {@link RecordInput} form) and scenarios (which meters at which addresses, the
 * bus baud rate, optionally a generated crowd), with validation of JSON read from a file.
 *
 * @module
 */
import type { RecordInput } from "../src/app/mod.ts";
import { ConfigError } from "../src/util/mod.ts";
import { FAILURE_MODES, type FailureMode } from "./failure_mode.ts";

/** A meter model in `fixtures/meters/*.json`. */
export interface MeterFixture {
  /** Registry name, equal to the file name without `.json`. */
  name: string;
  /** What the meter is. */
  description: string;
  /** Identification number, 8 digits (hex digits allowed). */
  id: string;
  /** Manufacturer letters. */
  manufacturer: string;
  /** Version byte. */
  version: number;
  /** Medium code. */
  medium: number;
  /** Status byte. @default 0 */
  status?: number;
  /** Answer delay, ms. @default derived from the ID */
  answerDelayMs?: number;
  /** Failure mode. */
  failure?: FailureMode;
  /** Records, packed into telegrams by size (and `recordsPerTelegram`). */
  records?: RecordInput[];
  /** Records per telegram at most, when packing `records`. @default as many as fit */
  recordsPerTelegram?: number;
  /** Explicit telegrams (instead of `records`). */
  telegrams?: RecordInput[][];
  /**
   * A single-telegram meter that repeats its last answer on an unchanged FCB (most ignore
   * FCB, as the standard says). @default false
   */
  fcbRepeat?: boolean;
}

/** One meter of a scenario: a fixture name plus overrides. */
export interface ScenarioMeter {
  /** Name of a meter fixture. */
  meter: string;
  /** Display name. @default fixture name and ID */
  name?: string;
  /** Primary address. @default 0 */
  primaryAddress?: number;
  /** Identification number override. */
  id?: string;
  /** Manufacturer override. */
  manufacturer?: string;
  /** Version override. */
  version?: number;
  /** Medium override. */
  medium?: number;
  /** Answer delay override, ms. */
  answerDelayMs?: number;
  /** The meter's baud rate. @default the scenario's */
  baudRate?: number;
  /** Failure mode override. */
  failure?: FailureMode;
  /** Seed of its failure dice. */
  seed?: number;
}

/** Options of a generated bus (see `generateBus`). */
export interface GenerateBusOptions {
  /** Number of meters (beyond 250, the rest stay at primary address 0). */
  meters: number;
  /** Seed: equal seeds give equal buses. @default 1 */
  seed?: number;
}

/** A bus setup in `fixtures/scenarios/*.json`. */
export interface Scenario {
  /** Registry name. */
  name: string;
  /** What it shows. */
  description?: string;
  /** Bus baud rate. @default 2400 */
  baudRate?: number;
  /** The meters. */
  meters: ScenarioMeter[];
  /** Also add a generated crowd. */
  generate?: GenerateBusOptions;
  /** Counters grow with each fresh reading (see `liveTelegrams`). @default false */
  liveValues?: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkNumber(path: string, v: unknown, min: number, max: number): void {
  if (v === undefined) return;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) {
    throw new ConfigError(
      path,
      `Cannot load scenario: ${path} must be a number ${min}..${max}`,
    );
  }
}

function checkString(path: string, v: unknown, required: boolean): void {
  if (v === undefined && !required) return;
  if (typeof v !== "string" || v.length === 0) {
    throw new ConfigError(
      path,
      `Cannot load scenario: ${path} must be a non-empty string`,
    );
  }
}

function checkFailure(path: string, v: unknown): void {
  if (v === undefined) return;
  if (!isObject(v) || !(FAILURE_MODES as readonly unknown[]).includes(v.mode)) {
    throw new ConfigError(
      path,
      `Cannot load scenario: ${path}.mode must be one of ${
        FAILURE_MODES.join(", ")
      }`,
    );
  }
  checkNumber(`${path}.probability`, v.probability, 0, 1);
  checkNumber(`${path}.lateDelayMs`, v.lateDelayMs, 0, 600_000);
  checkNumber(`${path}.noiseBytes`, v.noiseBytes, 0, 250);
}

function checkMeter(path: string, v: unknown): void {
  if (!isObject(v)) {
    throw new ConfigError(
      path,
      `Cannot load scenario: ${path} must be an object`,
    );
  }
  checkString(`${path}.meter`, v.meter, true);
  checkString(`${path}.name`, v.name, false);
  checkNumber(`${path}.primaryAddress`, v.primaryAddress, 0, 250);
  if (
    v.id !== undefined &&
    (typeof v.id !== "string" || !/^[0-9A-Fa-f]{8}$/.test(v.id))
  ) {
    throw new ConfigError(
      `${path}.id`,
      `Cannot load scenario: ${path}.id must be 8 hex digits`,
    );
  }
  if (
    v.manufacturer !== undefined &&
    (typeof v.manufacturer !== "string" ||
      !/^[A-Za-z]{3}$/.test(v.manufacturer))
  ) {
    throw new ConfigError(
      `${path}.manufacturer`,
      `Cannot load scenario: ${path}.manufacturer must be three letters`,
    );
  }
  checkNumber(`${path}.version`, v.version, 0, 255);
  checkNumber(`${path}.medium`, v.medium, 0, 255);
  checkNumber(`${path}.answerDelayMs`, v.answerDelayMs, 0, 600_000);
  checkNumber(`${path}.baudRate`, v.baudRate, 300, 38_400);
  checkNumber(`${path}.seed`, v.seed, 0, 2 ** 32);
  checkFailure(`${path}.failure`, v.failure);
}

/**
 * Checks a scenario read from JSON and returns it typed.
 *
 * @param value Parsed JSON.
 * @returns The scenario.
 * @throws {ConfigError} Naming the first bad key (`meters[2].primaryAddress`).
 */
export function parseScenario(value: unknown): Scenario {
  if (!isObject(value)) {
    throw new ConfigError("", "Cannot load scenario: expected a JSON object");
  }
  checkString("name", value.name, true);
  checkNumber("baudRate", value.baudRate, 300, 38_400);
  if (value.liveValues !== undefined && typeof value.liveValues !== "boolean") {
    throw new ConfigError(
      "liveValues",
      "Cannot load scenario: liveValues must be true or false",
    );
  }
  if (!Array.isArray(value.meters)) {
    throw new ConfigError(
      "meters",
      "Cannot load scenario: meters must be an array",
    );
  }
  value.meters.forEach((m, i) => checkMeter(`meters[${i}]`, m));
  if (value.generate !== undefined) {
    if (!isObject(value.generate)) {
      throw new ConfigError(
        "generate",
        "Cannot load scenario: generate must be an object",
      );
    }
    checkNumber("generate.meters", value.generate.meters, 0, 100_000);
    if (value.generate.meters === undefined) {
      throw new ConfigError(
        "generate.meters",
        "Cannot load scenario: generate.meters is required",
      );
    }
    checkNumber("generate.seed", value.generate.seed, 0, 2 ** 32);
  }
  return value as unknown as Scenario;
}
