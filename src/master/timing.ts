/**
 * Timing defaults by baud rate (mbus-wired.md §1.3): the answer timeout a scan probe
 * waits before it calls a mask silent, and the gap left between two frames.
 *
 * @module
 */
import { wireTimeMs } from "../transport/mod.ts";

/**
 * Answer timeout for scan probes: the slave answer window (330 + 11 bit times + 50 ms)
 * rounded up with margin for USB latency, the per-read values libmbus uses.
 *
 * @param baudRate Line speed.
 * @returns Milliseconds: 1300 at 300 Bd, 300 at 2400 Bd, 200 from 9600 Bd.
 */
export function probeTimeoutMs(baudRate: number): number {
  if (baudRate <= 300) return 1300;
  if (baudRate <= 600) return 800;
  if (baudRate <= 1200) return 500;
  if (baudRate <= 4800) return 300;
  return 200;
}

/**
 * Idle line between two frames of one operation: 33 bit times (FT1.2), at least 10 ms.
 *
 * @param baudRate Line speed.
 * @returns Milliseconds.
 */
export function frameGapMs(baudRate: number): number {
  return Math.max(10, Math.ceil(wireTimeMs(3, baudRate)));
}
