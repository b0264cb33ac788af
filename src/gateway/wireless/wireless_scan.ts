/**
 * The listening side of a wireless scan: how long, progress, and what a found meter says.
 *
 * @module
 */
import type { Clock } from "../../util/mod.ts";
import type { FoundMeter, SourceScanOptions } from "../source/mod.ts";
import type { HeardMeter } from "./meter_table.ts";

/** A meter found by a wireless scan: identity plus driver and reception details. */
export type FoundWirelessMeter = FoundMeter & {
  /** Detected (or configured) driver. */
  driver: string;
  /** In the instance's `addresses`. */
  configured: boolean;
  /** Telegrams heard during the scan. */
  telegrams: number;
  /** Signal level of the last telegram, when reported. */
  rssi?: number;
  /** Error of the last telegram (e.g. `NO_KEY`), or null. */
  error: { code: string; message: string } | null;
};

/**
 * Waits `durationMs` on the clock, reporting progress about once a second.
 *
 * @param clock Time source.
 * @param durationMs How long to listen.
 * @param seen Meters heard so far (filled by the caller's listener), for progress.
 * @param options Signal and progress callback.
 * @returns When the time is up; rejects with `signal.reason` when aborted.
 */
export async function listenFor(
  clock: Clock,
  durationMs: number,
  seen: Map<string, number>,
  options: SourceScanOptions,
): Promise<void> {
  const start = clock.now();
  for (;;) {
    const done = Math.min(durationMs, clock.now() - start);
    options.onProgress?.({
      kind: "wireless",
      done,
      total: durationMs,
      found: seen.size,
      current: "listening",
    });
    if (done >= durationMs) return;
    await clock.sleep(Math.min(1000, durationMs - done), options.signal);
  }
}

/**
 * A heard meter as a scan result.
 *
 * @param h What the table knows.
 * @param telegrams Telegrams heard during the scan.
 * @returns The scan row.
 */
export function foundMeter(
  h: HeardMeter,
  telegrams: number,
): FoundWirelessMeter {
  return {
    id: h.id,
    manufacturer: h.manufacturer,
    version: h.version,
    medium: h.medium,
    driver: h.driver,
    configured: h.configured,
    telegrams,
    ...(h.rssi === undefined ? {} : { rssi: h.rssi }),
    error: h.error,
  };
}
