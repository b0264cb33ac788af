/**
 * The counters of one instance, gathered from its source, scheduler, publisher, emitter
 * and scan jobs (the API turns them into Prometheus metrics).
 *
 * @module
 */
import type { LinkStatus } from "../../transport/mod.ts";
import type { BridgeState } from "../bridge/mod.ts";
import type { PublisherCounts, SchedulerStats } from "../polling/mod.ts";
import type { SourceStats } from "../source/mod.ts";

/** Counters of an instance. */
export interface GatewayMetrics {
  /** Requests sent on the bus. */
  requests: number;
  /** Answers received. */
  answers: number;
  /** Requests without answer. */
  timeouts: number;
  /** Collisions seen. */
  collisions: number;
  /** Retries. */
  retries: number;
  /** Time the bus was busy, ms. */
  busBusyMs: number;
  /** Polling cycles. */
  cycles: number;
  /** Ticks coalesced because a cycle or a pause overran them. */
  missedTicks: number;
  /** Meter polls skipped by `skipLoops`. */
  skippedPolls: number;
  /** Polling cycles that failed unexpectedly (the scheduler carried on). */
  failedCycles: number;
  /** Meter reads that succeeded. */
  reads: number;
  /** Meter reads that failed. */
  readFailures: number;
  /** Multi-telegram polls stopped between telegrams for a bridge client (read again later). */
  yieldedReads: number;
  /** Value events published. */
  emitted: number;
  /** History rows written. */
  historyRows: number;
  /** Scans started. */
  scans: number;
  /** TCP bridge sessions served (0 without `tcpServer`). */
  bridgeSessions: number;
  /** TCP bridge connections refused because another client had the bus. */
  bridgeRefused: number;
  /** Bytes the bridge carried from clients to the bus. */
  bridgeBytesToBus: number;
  /** Bytes the bridge carried from the bus to clients. */
  bridgeBytesToClient: number;
  /** Connections to the bus made. */
  linkConnects: number;
  /** Connections to the bus lost. */
  linkDisconnects: number;
  /** Attempts to connect, the first one included. */
  linkAttempts: number;
  /** Time the bus was not reachable, ms. */
  linkOfflineMs: number;
  /** 1 while the bus is reachable, else 0. */
  linkUp: number;
}

/**
 * Gathers the counters of an instance.
 *
 * @param parts The parts' counters.
 * @returns The instance's metrics.
 */
export function gatewayMetrics(parts: {
  source: SourceStats;
  scheduler: SchedulerStats;
  publisher: PublisherCounts;
  emitted: number;
  scans: number;
  bridge: BridgeState | null;
  link?: LinkStatus | undefined;
}): GatewayMetrics {
  const { source: s, scheduler: sch, publisher: c } = parts;
  return {
    requests: s.requests,
    answers: s.answers,
    timeouts: s.timeouts,
    collisions: s.collisions,
    retries: s.retries,
    busBusyMs: s.busyMs,
    cycles: sch.cycles,
    missedTicks: sch.missedTicks,
    skippedPolls: sch.skippedPolls,
    failedCycles: sch.failedCycles,
    reads: c.reads,
    readFailures: c.readFailures,
    yieldedReads: c.yielded,
    emitted: parts.emitted,
    historyRows: c.historyRows,
    scans: parts.scans,
    bridgeSessions: parts.bridge?.sessions ?? 0,
    bridgeRefused: parts.bridge?.refused ?? 0,
    bridgeBytesToBus: parts.bridge?.bytesToBus ?? 0,
    bridgeBytesToClient: parts.bridge?.bytesToClient ?? 0,
    linkConnects: parts.link?.connects ?? 0,
    linkDisconnects: parts.link?.disconnects ?? 0,
    linkAttempts: parts.link?.attempts ?? 0,
    linkOfflineMs: parts.link?.offlineMs ?? 0,
    linkUp: parts.link === undefined || parts.link.state === "online" ? 1 : 0,
  };
}
