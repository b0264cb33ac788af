/**
 * The bus as an in-process endpoint sees it: the line speed, a transmission that returns
 * what the master receives, the end of a silent wait for the statistics, and registration
 * for bytes that monitors inject. {@link VirtualBus} implements it; the endpoint depends on
 * this shape only, so the bus can create endpoints without an import cycle.
 *
 * @module
 */
import type { InjectionTarget } from "./bus_monitor.ts";
import type { TimedBytes } from "./wired_and.ts";

/** What the master receives for bytes it sent, and what happened on the way. */
export interface BusReply extends TimedBytes {
  /** Set when a slave acknowledged a baud switch (the new rate of that slave). */
  baudSwitchTo?: number;
}

/** The side of a bus that an in-process endpoint uses. */
export interface BusPort {
  /** Line speed of the master side. */
  baudRate: number;
  /**
   * Puts the master's bytes on the bus.
   *
   * @param bytes Bytes from the master.
   * @param atMs When the first byte starts, on the bus clock.
   * @returns What comes back, with its timing.
   */
  transmit(bytes: Uint8Array, atMs: number): BusReply;
  /** Ends a silent wait in the statistics. @param atMs When it ended. */
  noteWaitEnd(atMs: number): void;
  /**
   * Registers an endpoint for bytes injected by monitors.
   *
   * @param target The endpoint.
   * @returns Unregisters it.
   */
  attachEndpoint(target: InjectionTarget): () => void;
}
