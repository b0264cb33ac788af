/**
 * Gateway events and a small synchronous hub to publish them.
 *
 * @module
 */
import type { BridgeState } from "../bridge/mod.ts";
import type { FoundMeter, ScanProgress, SourceValue } from "../source/mod.ts";

/** Why a value was emitted. */
export type EmitReason = "change" | "cycle" | "periodic";

/** The bus state of an instance. */
export type GatewayState =
  | "connecting"
  | "offline"
  | "idle"
  | "polling"
  | "scanning"
  | "bridged"
  | "stopped";

/** Everything a gateway reports. */
export type GatewayEvent =
  | {
    type: "valueChanged";
    instance: string;
    path: string;
    value: SourceValue;
    previous: SourceValue | undefined;
    timestamp: string;
    reason: EmitReason;
  }
  | {
    type: "scanProgress";
    instance: string;
    scanId: string;
    progress: ScanProgress;
  }
  | {
    type: "scanFinished";
    instance: string;
    scanId: string;
    status: "done" | "cancelled" | "failed";
    result: FoundMeter[] | null;
    error: { code: string; message: string } | null;
  }
  | {
    type: "busState";
    instance: string;
    state: GatewayState;
    owner: string | null;
  }
  | {
    type: "bridgeState";
    instance: string;
    bridge: BridgeState;
  }
  | {
    type: "readFailed";
    instance: string;
    meter: string;
    path: string;
    error: { code: string; message: string };
    timestamp: string;
  };

/** A listener. */
export type GatewayListener = (event: GatewayEvent) => void;

/** Fans events out to listeners; a throwing listener does not stop the others. */
export class EventHub {
  readonly #listeners = new Set<GatewayListener>();

  /**
   * Adds a listener.
   *
   * @param fn Called for each event, synchronously.
   * @returns A function that removes the listener.
   */
  subscribe(fn: GatewayListener): () => void {
    this.#listeners.add(fn);
    return () => {
      this.#listeners.delete(fn);
    };
  }

  /** Number of listeners. */
  get size(): number {
    return this.#listeners.size;
  }

  /** Publishes an event. @param event The event. */
  publish(event: GatewayEvent): void {
    for (const fn of [...this.#listeners]) {
      try {
        fn(event);
      } catch {
        // A listener's failure is its own; the gateway goes on.
      }
    }
  }
}
