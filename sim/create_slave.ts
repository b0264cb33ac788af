/**
 * Turns a meter fixture (records as data) into a {@link VirtualSlave}: records are encoded
 * with the project's encoder and packed into telegrams that fit one long frame.
 *
 * @module
 */
import { encodeRecord, type RecordInput } from "../src/app/mod.ts";
import { ConfigError } from "../src/util/mod.ts";
import { METERS } from "./meter_fixtures.ts";
import type { MeterFixture, ScenarioMeter } from "./scenario.ts";
import { liveTelegrams } from "./live_values.ts";
import { VirtualSlave } from "./virtual_slave.ts";

/** Record bytes that fit one RSP_UD: 252 data bytes − 12 header bytes − the DIF 0x1F. */
export const TELEGRAM_RECORD_BYTES = 252 - 12 - 1;

/**
 * Groups a fixture's records into telegrams: its explicit `telegrams`, or `records`
 * packed in order while they fit one frame (and `recordsPerTelegram`).
 *
 * @param fixture The meter fixture.
 * @returns The records of each telegram (at least one, possibly empty, telegram).
 * @throws {ConfigError} When a record cannot be encoded.
 */
export function packTelegrams(fixture: MeterFixture): RecordInput[][] {
  if (fixture.telegrams) {
    return fixture.telegrams.length > 0 ? fixture.telegrams : [[]];
  }
  const perTelegram = fixture.recordsPerTelegram ?? Infinity;
  const telegrams: RecordInput[][] = [];
  let current: RecordInput[] = [];
  let size = 0;
  (fixture.records ?? []).forEach((record, i) => {
    const length = encodeOne(fixture, `records[${i}]`, record).length;
    if (
      current.length > 0 &&
      (size + length > TELEGRAM_RECORD_BYTES || current.length >= perTelegram)
    ) {
      telegrams.push(current);
      current = [];
      size = 0;
    }
    current.push(record);
    size += length;
  });
  if (current.length > 0 || telegrams.length === 0) telegrams.push(current);
  return telegrams;
}

/**
 * Encodes a fixture's records into telegrams ({@link packTelegrams}).
 *
 * @param fixture The meter fixture.
 * @returns The record bytes of each telegram.
 * @throws {ConfigError} When a record cannot be encoded.
 */
export function encodeTelegrams(fixture: MeterFixture): Uint8Array[] {
  return packTelegrams(fixture).map((records, t) =>
    concat(
      records.map((r, i) => encodeOne(fixture, `telegrams[${t}][${i}]`, r)),
    )
  );
}

function encodeOne(
  fixture: MeterFixture,
  path: string,
  record: RecordInput,
): Uint8Array {
  try {
    return encodeRecord(record);
  } catch (e) {
    throw new ConfigError(
      `${fixture.name}.${path}`,
      `Cannot encode meter "${fixture.name}" ${path}: ${
        e instanceof Error ? e.message : String(e)
      }`,
      { cause: e },
    );
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Options of {@link createSlave}. */
export interface CreateSlaveOptions {
  /** Baud rate when the entry names none. @default 2400 */
  baudRate?: number;
  /** Fixture registry. @default METERS */
  meters?: Readonly<Record<string, MeterFixture>>;
  /** Counters (energy, volume, mass, hours, HCA units) grow with each fresh reading. @default false */
  liveValues?: boolean;
}

/**
 * Builds a slave from a scenario entry.
 *
 * @param entry Fixture name and overrides.
 * @param options Default baud rate and registry.
 * @returns The slave.
 * @throws {ConfigError} For an unknown fixture or a bad record.
 */
export function createSlave(
  entry: ScenarioMeter,
  options: CreateSlaveOptions = {},
): VirtualSlave {
  const meters = options.meters ?? METERS;
  const fixture = Object.hasOwn(meters, entry.meter)
    ? meters[entry.meter]
    : undefined;
  if (!fixture) {
    throw new ConfigError(
      "meter",
      `Cannot create meter: no fixture named "${entry.meter}" (known: ${
        Object.keys(meters).sort().join(", ")
      })`,
    );
  }
  const id = entry.id ?? fixture.id;
  const answerDelayMs = entry.answerDelayMs ?? fixture.answerDelayMs;
  const failure = entry.failure ?? fixture.failure;
  try {
    return new VirtualSlave({
      name: entry.name ?? `${fixture.name}#${id.toUpperCase()}`,
      id,
      manufacturer: entry.manufacturer ?? fixture.manufacturer,
      version: entry.version ?? fixture.version,
      medium: entry.medium ?? fixture.medium,
      primaryAddress: entry.primaryAddress ?? 0,
      status: fixture.status ?? 0,
      telegrams: encodeTelegrams(fixture),
      ...(options.liveValues
        ? { refreshTelegram: liveTelegrams(packTelegrams(fixture)) }
        : {}),
      baudRate: entry.baudRate ?? options.baudRate ?? 2400,
      ...(answerDelayMs === undefined ? {} : { answerDelayMs }),
      ...(failure === undefined ? {} : { failure }),
      ...(fixture.fcbRepeat ? { fcbRepeat: true } : {}),
      ...(entry.seed === undefined ? {} : { seed: entry.seed }),
    });
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(
      "meter",
      `Cannot create meter "${entry.meter}": ${
        e instanceof Error ? e.message : String(e)
      }`,
      { cause: e },
    );
  }
}
