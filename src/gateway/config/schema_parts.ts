/**
 * Building blocks of the configuration schema: each validator carries the text of what is
 * allowed as its zod error, so that {@link toConfigError} can say "`<value>` is not allowed;
 * expected `<what>`" for any key, and the upper bounds of durations are named once here.
 *
 * @module
 */
import { z } from "zod";

/** Longest period of a polling interval, in ms (2^31 − 1, about 24.8 days; cron for longer). */
export const MAX_POLLING_MS = 2_147_483_647;
/** Longest re-emission or history-log period, in ms (one year). */
export const MAX_PERIOD_MS = 31_536_000_000;
/** Longest answer timeout and idle pause, in ms (10 minutes). */
export const MAX_TIMEOUT_MS = 600_000;
/** Longest bridge-client silence, in ms (one day). */
export const MAX_BRIDGE_IDLE_MS = 86_400_000;
/** Longest history retention, in days (100 years). */
export const MAX_RETENTION_DAYS = 36_500;
/** Longest free text (descriptions). */
export const MAX_TEXT = 4096;

/** Marks an issue whose message is complete (not "value is not allowed; expected …"). */
export const FULL = { full: true } as const;

/** A zod error parameter that answers with `allowed` for every failure. */
export function allow(allowed: string): { error: string } {
  return { error: allowed };
}

/**
 * An integer in `[min, max]`.
 *
 * @param min Smallest allowed.
 * @param max Largest allowed.
 * @param what Extra text after the range (e.g. the unit).
 * @returns The schema.
 */
export function int(min: number, max: number, what = ""): z.ZodInt {
  const e = allow(`an integer from ${min} to ${max}${what}`);
  return z.int(e).min(min, e).max(max, e);
}

/**
 * A duration in ms within `[min, max]`, the bound named in the error.
 *
 * @param min Smallest allowed.
 * @param max Largest allowed.
 * @returns The schema.
 */
export function ms(min: number, max: number): z.ZodInt {
  return int(min, max, ` (ms; at most ${humanMs(max)})`);
}

/** A string; `nonEmpty` adds a minimum length of 1 with the same message. */
export function text(
  allowed: string,
  options: { nonEmpty?: boolean; max?: number } = {},
): z.ZodString {
  const e = allow(allowed);
  const s = z.string(e).max(options.max ?? MAX_TEXT, e);
  return options.nonEmpty ? s.min(1, e) : s;
}

/** A boolean. */
export function bool(): z.ZodBoolean {
  return z.boolean(allow("true or false"));
}

/**
 * An object that rejects unknown keys; its error answers with the allowed keys (for an
 * unknown key) or `what` (for a value that is no object).
 *
 * @param shape The keys.
 * @param what What the value must be.
 * @returns The schema.
 */
export function strict<T extends z.core.$ZodLooseShape>(
  shape: T,
  what = "an object",
): z.ZodObject<T, z.core.$strict> {
  const keys = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (iss) => iss.code === "unrecognized_keys" ? keys : what,
  });
}

/**
 * A duration in words, for messages: `24.8 days`, `10 min`.
 *
 * @param value Milliseconds.
 * @returns Short text.
 */
export function humanMs(value: number): string {
  const units: [number, string][] = [
    [86_400_000, "days"],
    [3_600_000, "h"],
    [60_000, "min"],
    [1000, "s"],
  ];
  for (const [size, unit] of units) {
    if (value >= size) {
      const n = Math.round((value / size) * 10) / 10;
      return `${n} ${n === 1 && unit === "days" ? "day" : unit}`;
    }
  }
  return `${value} ms`;
}

/**
 * A schema with a default that the JSON Schema shows too: for a schema that transforms its
 * input, the default is given as input (zod's prefault) and parsed like a written value.
 *
 * @param schema The schema.
 * @param value The default, as it would be written in the file.
 * @returns The schema with the default.
 */
export function withDefault<T extends z.ZodType>(
  schema: T,
  value: z.input<T>,
): z.ZodPrefault<T> {
  return schema.prefault(value as never) as z.ZodPrefault<T>;
}
