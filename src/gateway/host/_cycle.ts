/**
 * One polling cycle: read and publish each meter in turn, through the arbiter. A failed read
 * is the publisher's to report; the cycle goes on with the next meter. It stops early when
 * cancelled or when the bus is paused (a scan or the bridge wants it).
 *
 * @module
 */
import { isAbortError } from "../../util/mod.ts";
import type { MeterPublisher } from "../polling/mod.ts";
import type { BusArbiter } from "../source/mod.ts";

/**
 * Runs one cycle.
 *
 * @param parts The instance's publisher and arbiter.
 * @param meters Meter names, in order.
 * @param signal Cancels the cycle.
 */
export async function pollCycle(
  parts: { publisher: MeterPublisher; arbiter: BusArbiter },
  meters: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  for (const meter of meters) {
    if (signal.aborted || parts.arbiter.isPaused) break;
    try {
      await parts.publisher.readAndPublish(
        meter,
        { kind: "poll", label: `polling of ${meter}` },
        { signal },
      );
    } catch (e) {
      if (signal.aborted || isAbortError(e)) break;
    }
  }
}
