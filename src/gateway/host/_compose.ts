/**
 * Composition of one instance from the rooms: the arbiter, scan runner, address tree,
 * emitter (behind the removed-meter filter), publisher, scheduler, live configuration and
 * history upkeep, wired to one event hub.
 *
 * @module
 */
import type { Clock } from "../../util/mod.ts";
import { AddressTree } from "../tree/mod.ts";
import { BusArbiter, type MeterSource } from "../source/mod.ts";
import type { GatewayConfig } from "../config/mod.ts";
import {
  Emitter,
  MeterPublisher,
  pollGroups,
  Scheduler,
} from "../polling/mod.ts";
import { EventHub } from "../events/mod.ts";
import type { History } from "../history/mod.ts";
import { ScanRunner } from "../scans/mod.ts";
import { LiveConfig } from "./_live_config.ts";
import { RemovedMeters } from "./_removed_meters.ts";
import { HistoryUpkeep } from "./_history_upkeep.ts";

/** Options of {@link Gateway}. */
export interface GatewayOptions {
  /** The bus. The gateway closes it on {@link Gateway.stop}. */
  source: MeterSource;
  /** Time source. */
  clock: Clock;
  /** History store (shared by the host). */
  history?: History;
  /** Time zone of cron expressions. @default local */
  tz?: string;
}

/** The parts of one instance. */
export interface InstanceParts {
  /** Where every event of the instance goes. */
  hub: EventHub;
  /** The configuration in force and its pending change. */
  live: LiveConfig;
  /** One owner of the bus at a time. */
  arbiter: BusArbiter;
  /** Scan jobs. */
  scans: ScanRunner;
  /** Meters, records, values. */
  tree: AddressTree;
  /** Emission policy. */
  emitter: Emitter;
  /** One read of one meter, end to end. */
  publisher: MeterPublisher;
  /** Polling groups on their schedules. */
  scheduler: Scheduler;
  /** History flush and prune after each cycle. */
  upkeep: HistoryUpkeep;
}

/** What the instance hands to its parts. */
export interface InstanceHooks {
  /** The bus state may have changed. */
  onChange(): void;
  /** Runs one polling cycle. */
  runCycle(meters: string[], signal: AbortSignal): Promise<void>;
}

/**
 * Builds the parts of an instance.
 *
 * @param config The instance's validated configuration.
 * @param options Source, clock, history, time zone.
 * @param hooks State changes and the polling cycle.
 * @returns The parts, not started.
 */
export function composeInstance(
  config: GatewayConfig,
  options: GatewayOptions,
  hooks: InstanceHooks,
): InstanceParts {
  const { source, clock, history } = options;
  const instance = config.name;
  const hub = new EventHub();
  const live = new LiveConfig(config);
  const arbiter = new BusArbiter({ onChange: hooks.onChange });
  const scans = new ScanRunner({
    instance,
    source,
    arbiter,
    hub,
    clock,
    onChange: hooks.onChange,
  });
  const prefix = config.cluster === 0 ? "%mbus:" : `%mbus${config.cluster}:`;
  const tree = new AddressTree({
    instance,
    prefix,
    onlyValues: config.onlyValues,
    legacy: config.legacyDriver,
  }, config.addresses);
  const removed = new RemovedMeters(hub);
  const emitter = new Emitter({
    instance,
    mode: config.emitOnlyChanges,
    clock,
    hub: removed.input,
  });
  const publisher = new MeterPublisher({
    instance,
    source,
    arbiter,
    tree,
    emitter,
    hub,
    clock,
    history,
    addresses: live.byMeter,
  });
  const scheduler = new Scheduler({
    clock,
    groups: pollGroups(config),
    runCycle: hooks.runCycle,
    isPaused: () => arbiter.isPaused,
    ...(options.tz === undefined ? {} : { tz: options.tz }),
  });
  live.attach({ tree, scheduler, removed, source: options.source });
  const upkeep = new HistoryUpkeep(history, clock);
  return {
    hub,
    live,
    arbiter,
    scans,
    tree,
    emitter,
    publisher,
    scheduler,
    upkeep,
  };
}
