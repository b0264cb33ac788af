/**
 * Converters that echo: some level converters hand the master its own bytes back before
 * the answer (libmbus discards a first frame with the master's direction bit for this).
 *
 * @module
 */
import { wireTimeMs } from "../../src/transport/mod.ts";
import type { TimedBytes } from "../wired_and.ts";

/**
 * Puts the master's bytes, timed as they cross the wire, in front of what it receives.
 *
 * @param request The master's bytes.
 * @param startMs When they start on the wire.
 * @param baudRate Line speed.
 * @param reply The answer bytes.
 * @returns Echo and answer, in time order.
 */
export function withEcho(
  request: Uint8Array,
  startMs: number,
  baudRate: number,
  reply: TimedBytes,
): TimedBytes {
  const bytes = new Uint8Array(request.length + reply.bytes.length);
  const times = new Float64Array(bytes.length);
  bytes.set(request);
  bytes.set(reply.bytes, request.length);
  for (let i = 0; i < request.length; i++) {
    times[i] = startMs + wireTimeMs(i + 1, baudRate);
  }
  times.set(reply.times, request.length);
  return { bytes, times };
}
