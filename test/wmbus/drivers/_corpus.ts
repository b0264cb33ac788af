// deno-lint-ignore-file no-console
/**
 * Loads the wmbusmeters-derived corpus (../shared, read in place) and runs a case.
 *
 * @module
 */

import { parseTelegram } from "../../../src/wmbus/mod.ts";
import {
  createMeterState,
  decodeWithDriver,
  detectDriver,
  type DriverResult,
} from "../../../src/wmbus/drivers/mod.ts";
import { fromHex } from "../../../src/util/mod.ts";

/** One corpus case (the fields the tests use). */
export interface CorpusCase {
  driver: string;
  "meter_id": string;
  key: string | null;
  telegram: string;
  expected: Record<string, unknown>;
  name: string;
  "preceding_telegrams": string[];
}

const CORPUS_URL = new URL(
  "../../../../shared/corpus/wmbus/telegrams.json",
  import.meta.url,
);

/**
 * The corpus cases, or null (with a printed reason) when ../shared is absent.
 *
 * @returns Cases or null.
 */
export function loadCorpus(): CorpusCase[] | null {
  try {
    return JSON.parse(Deno.readTextFileSync(CORPUS_URL)) as CorpusCase[];
  } catch (e: unknown) {
    console.log(
      `wmbus driver corpus skipped: cannot read ${CORPUS_URL.pathname}: ${
        String(e)
      }`,
    );
    return null;
  }
}

/** Outcome of one case. */
export interface CaseRun {
  result: DriverResult | null;
  detected: string;
  parseError: string | null;
}

/**
 * Feeds the preceding telegrams and the telegram to one meter state.
 *
 * @param c The case.
 * @param driver Driver name to use (default: the case's).
 * @returns The last result and the auto-detected driver.
 */
export function runCase(c: CorpusCase, driver = c.driver): CaseRun {
  const key = c.key === null ? undefined : fromHex(c.key);
  const state = createMeterState();
  let result: DriverResult | null = null;
  let detected = "";
  let parseError: string | null = null;
  for (const hex of [...c.preceding_telegrams, c.telegram]) {
    const p = parseTelegram(fromHex(hex), key === undefined ? {} : { key });
    if (!p.ok) {
      parseError = `${p.error.code}: ${p.error.message}`;
      continue;
    }
    detected = detectDriver(p.value);
    result = decodeWithDriver(p.value, { driver, name: c.name, state });
  }
  return { result, detected, parseError };
}

/**
 * Differences between expected and actual JSON (timestamp ignored; numbers with a
 * relative tolerance of 1e-9; key sets must be equal).
 *
 * @param expected Expected object.
 * @param actual Actual object.
 * @returns One line per difference.
 */
export function diffJson(
  expected: Record<string, unknown>,
  actual: Record<string, unknown>,
): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  keys.delete("timestamp");
  for (const k of [...keys].sort()) {
    const a = expected[k];
    const b = actual[k];
    if (typeof a === "number" && typeof b === "number") {
      if (Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b))) {
        continue;
      }
    } else if (a === b) continue;
    out.push(`${k}: expected ${JSON.stringify(a)}, got ${JSON.stringify(b)}`);
  }
  return out;
}
