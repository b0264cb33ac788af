/**
 * Schemas of the values several config keys share: polling schedules, emit and log modes,
 * instance names and meter keys. Each normalises what it accepts (`"5000"` → 5000,
 * `true` → `"changes"`, keys upper case).
 *
 * @module
 */
import { z } from "zod";
import { parseSchedule } from "../polling/ticks.ts";
import {
  allow,
  FULL,
  humanMs,
  MAX_PERIOD_MS,
  MAX_POLLING_MS,
} from "./schema_parts.ts";

/** What `polling` may be. */
export const POLLING_ALLOWED =
  `milliseconds (1 ms to ${MAX_POLLING_MS} ms, about ${
    humanMs(MAX_POLLING_MS)
  }) or cron expressions joined by ';'`;

/** A polling schedule: ms (number or digit string), or cron expressions joined by `;`. */
export const pollingSchema = z.union([
  z.int(allow(POLLING_ALLOWED)).min(1, allow(POLLING_ALLOWED)).max(
    MAX_POLLING_MS,
    allow(POLLING_ALLOWED),
  ),
  z.string(allow(POLLING_ALLOWED)).max(1000, allow(POLLING_ALLOWED)),
], allow(POLLING_ALLOWED)).transform((v, ctx): string | number => {
  const r = parseSchedule(v);
  if (!r.ok) {
    ctx.addIssue({
      code: "custom",
      params: FULL,
      message: `${
        JSON.stringify(v)
      } is not allowed: ${r.error.message}; expected ${POLLING_ALLOWED}`,
    });
    return z.NEVER;
  }
  return typeof v === "string" && r.value.kind === "interval"
    ? r.value.intervalMs
    : v;
});

const EMIT_ALLOWED =
  `"changes" (or true), "cycle" (or false) or a re-emission period in ms (integer ≥ 1, at most ${MAX_PERIOD_MS}, ${
    humanMs(MAX_PERIOD_MS)
  })`;

/** How values are emitted: on change, every cycle, or changes plus re-emission every N ms. */
export const emitSchema = z.union([
  z.enum(["changes", "cycle"]),
  z.boolean(),
  z.int(allow(EMIT_ALLOWED)).min(1, allow(EMIT_ALLOWED)).max(
    MAX_PERIOD_MS,
    allow(EMIT_ALLOWED),
  ),
], allow(EMIT_ALLOWED)).transform((v): "changes" | "cycle" | number =>
  v === true ? "changes" : v === false ? "cycle" : v
);

const LOG_ALLOWED =
  `"never", "update", "always" or a period in ms (integer ≥ 1, at most ${MAX_PERIOD_MS}, ${
    humanMs(MAX_PERIOD_MS)
  })`;

/** When history rows are written: never, on change, every read, or at most once per N ms. */
export const logSchema = z.union([
  z.enum(["never", "update", "always"]),
  z.int(allow(LOG_ALLOWED)).min(1, allow(LOG_ALLOWED)).max(
    MAX_PERIOD_MS,
    allow(LOG_ALLOWED),
  ),
], allow(LOG_ALLOWED));

const NAME_ALLOWED =
  "a letter followed by up to 63 letters, digits, '_', '-' or '.', not an 8- or 16-hex-digit meter address";

/** An instance name: a letter, then letters, digits, `_`, `-`, `.`; never a meter ID. */
export const instanceNameSchema = z.string(allow(NAME_ALLOWED))
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, allow(NAME_ALLOWED))
  .refine(
    (s) => !/^[0-9A-Fa-f]{8}([0-9A-Fa-f]{8})?$/.test(s),
    allow(NAME_ALLOWED),
  );

const KEY_ALLOWED =
  "an AES-128 key of 32 hex digits (or a DES key of 16 for security modes 2 and 3)";

/** An AES-128 key (32 hex digits) or a DES key (16), upper-cased; errors never show it. */
export const meterKeySchema = z.string(allow(KEY_ALLOWED))
  .regex(/^(?:[0-9A-Fa-f]{32}|[0-9A-Fa-f]{16})$/, allow(KEY_ALLOWED))
  .transform((s) => s.toUpperCase());

/** Loopback listen addresses (no token needed). */
export const LOOPBACK_HOSTS: readonly string[] = [
  "127.0.0.1",
  "localhost",
  "::1",
  "[::1]",
];
