// deno-lint-ignore-file no-console
/**
 * An integrator's own captures against the reference decoder: `deno task conformance
 * --telegrams FILE`. FILE is a JSON array in the dev corpus's form, one object per case:
 * `driver` (a reference driver name or `auto`), `key` (32 hex digits or null),
 * `telegram` (hex from the L-field, or a wired long frame; `|`, `_`, `:` and blanks are
 * ignored), optional `preceding_telegrams` (fed to the same meter first), `meter_id` and
 * `source` (shown with a difference). At most 16 MiB, 10,000 cases, 512 bytes a telegram.
 *
 * @module
 */

import {
  addReport,
  compareJson,
  type DriverReport,
  emptyReport,
  reportHeader,
  reportLine,
  runOurs,
  runReference,
} from "./_wmbus_reference.ts";

/** Largest file read, in bytes. */
export const MAX_USER_FILE_BYTES = 16 * 1024 * 1024;
/** Most cases in one file. */
export const MAX_USER_CASES = 10_000;
/** Largest telegram, in bytes. */
export const MAX_USER_TELEGRAM_BYTES = 512;

/** One user-supplied case, normalised. */
export interface UserCase {
  readonly driver: string;
  readonly key: string | null;
  readonly telegram: string;
  readonly precedingTelegrams: readonly string[];
  readonly source: string;
}

function hexOf(v: unknown, where: string): string {
  if (typeof v !== "string") throw new Error(`${where}: not a hex string`);
  const hex = v.replace(/[\s_|:]/g, "").toUpperCase();
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9A-F]+$/.test(hex)) {
    throw new Error(`${where}: not an even number of hex digits`);
  }
  if (hex.length / 2 > MAX_USER_TELEGRAM_BYTES) {
    throw new Error(`${where}: longer than ${MAX_USER_TELEGRAM_BYTES} bytes`);
  }
  return hex;
}

/**
 * Reads and checks a file of cases.
 *
 * @param text The file's text.
 * @returns The cases, or one line naming the first problem.
 */
export function parseUserTelegrams(text: string): UserCase[] | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e: unknown) {
    return `not JSON: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (!Array.isArray(data)) return "not a JSON array of cases";
  if (data.length > MAX_USER_CASES) {
    return `${data.length} cases, at most ${MAX_USER_CASES}`;
  }
  const out: UserCase[] = [];
  try {
    for (const [i, c] of data.entries()) {
      const at = `case ${i}`;
      if (typeof c !== "object" || c === null) {
        throw new Error(`${at}: not an object`);
      }
      const o = c as Record<string, unknown>;
      if (typeof o.driver !== "string" || !/^[a-z0-9_]+$/.test(o.driver)) {
        throw new Error(`${at}.driver: not a driver name`);
      }
      let key: string | null = null;
      if (o.key !== null && o.key !== undefined) {
        key = hexOf(o.key, `${at}.key`);
        if (key.length !== 32) throw new Error(`${at}.key: not 32 hex digits`);
      }
      const before = o.preceding_telegrams ?? [];
      if (!Array.isArray(before)) {
        throw new Error(`${at}.preceding_telegrams: not an array`);
      }
      out.push({
        driver: o.driver,
        key,
        telegram: hexOf(o.telegram, `${at}.telegram`),
        precedingTelegrams: before.map((t, j) =>
          hexOf(t, `${at}.preceding_telegrams[${j}]`)
        ),
        source: typeof o.source === "string" ? o.source : `case ${i}`,
      });
    }
  } catch (e: unknown) {
    return e instanceof Error ? e.message : String(e);
  }
  return out;
}

/** The outcome: per driver (for `auto`, the driver the reference named) and the differences. */
export interface UserRun {
  readonly reports: Map<string, DriverReport>;
  /** One block per case with a difference: source, hex and field lines. */
  readonly differences: string[];
}

/**
 * Decodes every case with both decoders and compares the last telegram's fields.
 *
 * @param cases The cases.
 * @returns Reports and differences.
 */
export async function diffUserCases(
  cases: readonly UserCase[],
): Promise<UserRun> {
  const reports = new Map<string, DriverReport>();
  const differences: string[] = [];
  for (const c of cases) {
    const hexes = [...c.precedingTelegrams, c.telegram];
    const refs = await runReference(hexes, c.driver, c.key);
    const ours = runOurs(hexes, c.driver, c.key);
    const ref = refs.length === hexes.length
      ? refs[refs.length - 1]
      : undefined;
    const mine = ours[ours.length - 1] ?? null;
    const named = c.driver === "auto"
      ? `auto:${String(ref?.meter ?? mine?.meter ?? "none")}`
      : c.driver;
    let r = reports.get(named);
    if (r === undefined) reports.set(named, r = emptyReport(named));
    r.telegrams++;
    if (ref === undefined) {
      if (mine !== null) {
        differences.push(
          `${named} ${c.source}\n  ${c.telegram}\n  reference printed nothing, mbusgw decoded it`,
        );
      }
      continue;
    }
    r.referenceDecoded++;
    if (mine !== null) r.oursDecoded++;
    const lines = compareJson(ref, mine, r.counts);
    if (lines.length > 0) {
      differences.push(
        `${named} ${c.source}\n  ${c.telegram}\n  ${lines.join("\n  ")}`,
      );
    }
  }
  return { reports, differences };
}

/**
 * Runs `--telegrams FILE`: reads it (bounded), compares and prints per-driver counts and
 * every differing field. A bad file prints one line naming the problem.
 *
 * @param path The file.
 * @returns The exit code: 0, or 2 for a bad file.
 */
export async function runUserTelegrams(path: string): Promise<number> {
  let text: string;
  try {
    const info = await Deno.stat(path);
    if (info.size > MAX_USER_FILE_BYTES) {
      console.log(
        `--telegrams ${path}: larger than ${MAX_USER_FILE_BYTES} bytes`,
      );
      return 2;
    }
    text = await Deno.readTextFile(path);
  } catch (e: unknown) {
    console.log(
      `--telegrams ${path}: cannot read: ${
        e instanceof Error ? e.message : String(e)
      }`,
    );
    return 2;
  }
  const cases = parseUserTelegrams(text);
  if (typeof cases === "string") {
    console.log(`--telegrams ${path}: ${cases}`);
    return 2;
  }
  const run = await diffUserCases(cases);
  console.log(reportHeader(22));
  const total = emptyReport("total");
  const rows = [...run.reports.values()].sort((a, b) =>
    a.driver.localeCompare(b.driver)
  );
  for (const r of [...rows, total]) {
    if (r !== total) {
      addReport(total, r);
    }
    console.log(reportLine(r, 22));
  }
  for (const d of run.differences) console.log(d);
  const clean = rows.filter((r) =>
    r.referenceDecoded > 0 &&
    r.counts.differ + r.counts.referenceOnly + r.counts.oursOnly === 0
  ).length;
  console.log(
    `${cases.length} telegrams: ${clean}/${rows.length} drivers in full agreement, ${run.differences.length} telegrams with differences`,
  );
  return 0;
}
