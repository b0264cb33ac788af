/**
 * Live reconfiguration of one instance's meters: added meters join polling and the tree,
 * removed ones leave both (their periodic re-emissions are dropped, their history rows stay),
 * changed per-address settings apply from the next read. A change offered during a polling
 * cycle waits until the cycle ends, so a cycle runs with the meters and settings it started
 * with.
 *
 * @module
 */
import type { AddressConfig, GatewayConfig } from "../config/mod.ts";
import { pollGroups, type Scheduler } from "../polling/mod.ts";
import type { AddressTree } from "../tree/mod.ts";
import type { MeterSource } from "../source/mod.ts";
import type { RemovedMeters } from "./_removed_meters.ts";

/** The parts a configuration change updates. */
export interface LiveConfigParts {
  /** The instance's address tree. */
  tree: AddressTree;
  /** The instance's scheduler. */
  scheduler: Scheduler;
  /** The filter of removed meters' events. */
  removed: RemovedMeters;
  /** The bus (a wireless receiver takes keys and drivers live). */
  source?: MeterSource;
}

/** The running configuration of one instance, and its pending change. */
export class LiveConfig {
  #config: GatewayConfig;
  #pending: GatewayConfig | undefined;
  #parts: LiveConfigParts | undefined;
  /** Per-address settings by meter name, as the publisher reads them. */
  readonly byMeter: Map<string, AddressConfig> = new Map();

  /** @param config The instance's validated configuration. */
  constructor(config: GatewayConfig) {
    this.#config = config;
    for (const a of config.addresses) this.byMeter.set(a.name, a);
  }

  /** The configuration in force. */
  get current(): GatewayConfig {
    return this.#config;
  }

  /** @param parts What a change updates (given once the instance is composed). */
  attach(parts: LiveConfigParts): void {
    this.#parts = parts;
  }

  /**
   * Takes a new configuration: applied now, or when the running cycle ends.
   *
   * @param config The instance's new validated configuration (same name).
   * @param inCycle Whether a polling cycle is running.
   */
  offer(config: GatewayConfig, inCycle: boolean): void {
    if (inCycle) this.#pending = config;
    else this.#apply(config);
  }

  /** Applies the change that waited for the cycle to end, if any. */
  settle(): void {
    if (this.#pending) this.#apply(this.#pending);
  }

  #apply(config: GatewayConfig): void {
    this.#pending = undefined;
    const parts = this.#parts;
    if (parts) {
      const path = (name: string) => parts.tree.meterPath(name);
      parts.removed.update(
        [...this.byMeter.keys()].map(path),
        config.addresses.map((a) => path(a.name)),
      );
    }
    this.#config = config;
    this.byMeter.clear();
    for (const a of config.addresses) this.byMeter.set(a.name, a);
    parts?.tree.setAddresses(config.addresses);
    parts?.source?.setAddresses?.(config.addresses);
    parts?.scheduler.setGroups(pollGroups(config));
  }
}
