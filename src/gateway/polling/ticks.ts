/**
 * Polling schedules: a millisecond interval, or cron expressions (5 or 6 fields, the
 * `cron-parser` package) joined by `;` such as `0 * * * * ; 30 12 * * 6-7`.
 *
 * @module
 */
import { CronExpressionParser } from "cron-parser";
import { type DecodeResult, fail, ok } from "../../util/mod.ts";

/** Longest polling interval in ms (2^31 − 1); longer periods are written as cron. */
const MAX_INTERVAL_MS = 2_147_483_647;

/** A parsed polling schedule. */
export type Schedule =
  | { kind: "interval"; intervalMs: number }
  | { kind: "cron"; expressions: string[] };

/** Options of {@link nextTick} and {@link countTicks}. */
export interface ScheduleOptions {
  /** IANA time zone for cron expressions. @default the process's local zone */
  tz?: string;
}

/**
 * Parses a `polling` value.
 *
 * @param spec Milliseconds (number or digit string) or cron expressions joined by `;`.
 * @returns The schedule, or a `BAD_SCHEDULE` error naming the bad part.
 * @example
 * ```ts
 * parseSchedule("0 * * * * ; 30 12 * * 6-7"); // ok, two cron expressions
 * ```
 */
export function parseSchedule(spec: string | number): DecodeResult<Schedule> {
  if (typeof spec === "number" || /^\s*[0-9]+\s*$/.test(spec)) {
    const ms = Number(spec);
    if (!Number.isInteger(ms) || ms < 1 || ms > MAX_INTERVAL_MS) {
      return fail(
        "BAD_SCHEDULE",
        0,
        `an interval must be from 1 to ${MAX_INTERVAL_MS} ms (about 24.9 days; cron expressions for longer)`,
      );
    }
    return ok({ kind: "interval", intervalMs: ms });
  }
  const parts = spec.split(";").map((p) => p.trim());
  const expressions: string[] = [];
  for (const [i, part] of parts.entries()) {
    if (part === "") {
      return fail("BAD_SCHEDULE", i, `cron expression ${i + 1} is empty`);
    }
    const fields = part.split(/\s+/).length;
    if (fields < 5 || fields > 6) {
      return fail(
        "BAD_SCHEDULE",
        i,
        `cron expression "${part}" has ${fields} fields; expected 5 or 6`,
      );
    }
    try {
      CronExpressionParser.parse(part, { strict: false });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return fail("BAD_SCHEDULE", i, `cron expression "${part}": ${why}`);
    }
    expressions.push(part);
  }
  return ok({ kind: "cron", expressions });
}

/**
 * The first tick strictly after `afterMs`. Interval schedules tick at `anchorMs + k × interval`.
 *
 * @param schedule The schedule.
 * @param afterMs Time (ms since epoch) after which the tick must fall.
 * @param anchorMs Origin of interval ticks.
 * @param options Time zone.
 * @returns Milliseconds since the epoch.
 */
export function nextTick(
  schedule: Schedule,
  afterMs: number,
  anchorMs: number,
  options: ScheduleOptions = {},
): number {
  if (schedule.kind === "interval") {
    const k = Math.floor((afterMs - anchorMs) / schedule.intervalMs) + 1;
    return anchorMs + Math.max(k, 1) * schedule.intervalMs;
  }
  let best = Number.POSITIVE_INFINITY;
  for (const expr of schedule.expressions) {
    const it = CronExpressionParser.parse(expr, {
      currentDate: new Date(afterMs),
      ...(options.tz === undefined ? {} : { tz: options.tz }),
    });
    const t = it.next().getTime();
    if (t > afterMs && t < best) best = t;
  }
  return best;
}

/**
 * Counts ticks in the half-open range `(fromMs, toMs]` (missed ticks), at most `limit`.
 *
 * @param schedule The schedule.
 * @param range `fromMs`, `toMs`, `anchorMs` and an optional `limit` (default 10000).
 * @param options Time zone.
 * @returns The number of ticks.
 */
export function countTicks(
  schedule: Schedule,
  range: { fromMs: number; toMs: number; anchorMs: number; limit?: number },
  options: ScheduleOptions = {},
): number {
  const limit = range.limit ?? 10_000;
  if (schedule.kind === "interval") {
    const first = nextTick(schedule, range.fromMs, range.anchorMs);
    if (first > range.toMs) return 0;
    return Math.min(
      limit,
      Math.floor((range.toMs - first) / schedule.intervalMs) + 1,
    );
  }
  let n = 0;
  let t = range.fromMs;
  while (n < limit) {
    t = nextTick(schedule, t, range.anchorMs, options);
    if (t > range.toMs) break;
    n++;
  }
  return n;
}
