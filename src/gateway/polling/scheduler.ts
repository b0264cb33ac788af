/**
 * The polling scheduler: groups of meters on their schedules (the instance's, and per-address
 * overrides), one cycle at a time on an injected {@link Clock}. A slow bus never runs
 * overlapping cycles: ticks that pass during a cycle (or while paused) are coalesced into
 * the next one and counted as missed. {@link Scheduler.setGroups} swaps the groups live,
 * between cycles.
 *
 * @module
 */
import { type Clock, isAbortError } from "../../util/mod.ts";
import type { GatewayConfig } from "../config/mod.ts";
import { countTicks, nextTick, parseSchedule, type Schedule } from "./ticks.ts";

/** Longest single wait of the loop; a later tick is approached in steps of this length. */
const RECHECK_MS = 3_600_000;

/** A meter on a schedule. */
export interface ScheduledMeter {
  /** Canonical meter name. */
  meter: string;
  /** Poll only every (skipLoops + 1)-th due tick. */
  skipLoops: number;
}

/** Meters that share one schedule. */
export interface PollGroup {
  /** The schedule. */
  schedule: Schedule;
  /** Its meters, in poll order. */
  meters: ScheduledMeter[];
}

/** Options of {@link Scheduler}. */
export interface SchedulerOptions {
  /** Time source. */
  clock: Clock;
  /** The groups. */
  groups: PollGroup[];
  /** Polls the given meters; resolves when the cycle is over. */
  runCycle: (meters: string[], signal: AbortSignal) => Promise<void>;
  /** True while polling is paused (ticks are then counted as missed). */
  isPaused?: () => boolean;
  /** Time zone of cron expressions. @default local */
  tz?: string;
  /** Called when a cycle throws (the scheduler carries on). */
  onError?: (error: unknown) => void;
}

/** Counters of a {@link Scheduler}. */
export interface SchedulerStats {
  /** Cycles run. */
  cycles: number;
  /** Ticks that fell during a cycle or a pause and were coalesced. */
  missedTicks: number;
  /** Meter polls skipped by `skipLoops`. */
  skippedPolls: number;
  /** Cycles that threw. */
  failedCycles: number;
}

interface GroupState {
  group: PollGroup;
  next: number;
  counters: Map<string, number>;
}

/** Runs polling cycles until stopped. */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #stats: SchedulerStats = {
    cycles: 0,
    missedTicks: 0,
    skippedPolls: 0,
    failedCycles: 0,
  };
  #abort: AbortController | undefined;
  #loop: Promise<void> | undefined;
  #anchor = 0;
  #groups: PollGroup[];
  #pending: PollGroup[] | undefined;
  #wake: AbortController | undefined;

  /**
   * Creates a stopped scheduler.
   *
   * @param options Clock, groups and the cycle function.
   */
  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#groups = options.groups;
  }

  /**
   * Replaces the groups. A running loop takes them between cycles (a cycle in progress
   * finishes with its meters): a group whose schedule is unchanged keeps its next tick and
   * its `skipLoops` counters; a new interval group is due at once, a new cron group at its
   * next tick.
   *
   * @param groups The new groups.
   */
  setGroups(groups: PollGroup[]): void {
    this.#groups = groups;
    this.#pending = groups;
    this.#wake?.abort();
  }

  /** Counters (a copy). */
  get stats(): SchedulerStats {
    return { ...this.#stats };
  }

  /** True between start and stop. */
  get isRunning(): boolean {
    return this.#loop !== undefined;
  }

  /** Starts the loop: interval groups are due at once, cron groups at their next tick. */
  start(): void {
    if (this.#loop) return;
    const abort = new AbortController();
    this.#abort = abort;
    this.#loop = this.#run(abort.signal).catch((e) => {
      if (!isAbortError(e) && !abort.signal.aborted) throw e;
    });
  }

  /** Stops after aborting the current cycle; resolves when the loop has ended. */
  async stop(): Promise<void> {
    const loop = this.#loop;
    if (!loop) return;
    this.#abort?.abort(new DOMException("Scheduler stopped", "AbortError"));
    await loop;
    this.#loop = undefined;
    this.#abort = undefined;
  }

  async #run(signal: AbortSignal): Promise<void> {
    const { clock, tz } = this.#options;
    const opts = tz === undefined ? {} : { tz };
    this.#anchor = clock.now();
    this.#pending = undefined;
    let states = this.#states(this.#groups, [], opts);
    while (!signal.aborted) {
      if (this.#pending) {
        states = this.#states(this.#pending, states, opts);
        this.#pending = undefined;
      }
      const dueAt = Math.min(...states.map((s) => s.next));
      if (!(await this.#sleepUntil(dueAt, signal))) continue;
      const now = clock.now();
      const due = states.filter((s) => s.next <= now);
      if (this.#options.isPaused?.()) {
        for (const s of due) this.#advance(s, now, opts, true);
        continue;
      }
      const meters = this.#pick(due);
      if (meters.length > 0) {
        this.#stats.cycles++;
        try {
          await this.#options.runCycle(meters, signal);
        } catch (e) {
          if (signal.aborted) throw e;
          this.#stats.failedCycles++;
          this.#options.onError?.(e);
        }
      }
      const end = clock.now();
      for (const s of due) this.#advance(s, end, opts, false);
    }
  }

  /** Group states for `groups`, keeping the tick and counters of unchanged schedules. */
  #states(
    groups: PollGroup[],
    previous: GroupState[],
    opts: { tz?: string },
  ): GroupState[] {
    const now = this.#options.clock.now();
    const old = new Map(previous.map((s) => [scheduleKey(s.group), s]));
    return groups.filter((g) => g.meters.length > 0).map((group) => {
      const kept = old.get(scheduleKey(group));
      if (kept) {
        const names = new Set(group.meters.map((m) => m.meter));
        for (const m of kept.counters.keys()) {
          if (!names.has(m)) kept.counters.delete(m);
        }
        return { group, next: kept.next, counters: kept.counters };
      }
      const next = group.schedule.kind === "interval"
        ? now
        : nextTick(group.schedule, now, this.#anchor, opts);
      return { group, next, counters: new Map() };
    });
  }

  /**
   * Sleeps until `dueAt` (forever when not finite) unless {@link setGroups} wakes it.
   *
   * @returns True when the time came; false when woken for new groups.
   */
  async #sleepUntil(dueAt: number, signal: AbortSignal): Promise<boolean> {
    const left = dueAt - this.#options.clock.now();
    if (left <= 0) return true;
    // Long waits (a yearly cron) re-read the clock every hour, so a wall-clock step (NTP
    // setting the time after boot) moves the next tick by at most an hour.
    const wait = Math.min(left, RECHECK_MS);
    const wake = new AbortController();
    this.#wake = wake;
    const both = AbortSignal.any([signal, wake.signal]);
    try {
      if (Number.isFinite(left)) await this.#options.clock.sleep(wait, both);
      else await untilAborted(both);
      return true;
    } catch (e) {
      if (signal.aborted || !wake.signal.aborted) throw e;
      return false;
    } finally {
      this.#wake = undefined;
    }
  }

  #pick(due: GroupState[]): string[] {
    const picked = new Set<string>();
    for (const s of due) {
      for (const m of s.group.meters) {
        const n = s.counters.get(m.meter) ?? 0;
        s.counters.set(m.meter, n + 1);
        if (n % (m.skipLoops + 1) === 0) picked.add(m.meter);
        else this.#stats.skippedPolls++;
      }
    }
    return [...picked];
  }

  /** Moves a group past `t`, counting ticks strictly between its due time and `t` as missed. */
  #advance(
    s: GroupState,
    t: number,
    opts: { tz?: string },
    paused: boolean,
  ): void {
    const sched = s.group.schedule;
    const missed = countTicks(sched, {
      fromMs: s.next,
      toMs: t - 1,
      anchorMs: this.#anchor,
    }, opts);
    this.#stats.missedTicks += missed + (paused ? 1 : 0);
    s.next = nextTick(sched, Math.max(t - 1, s.next), this.#anchor, opts);
  }
}

function scheduleKey(group: PollGroup): string {
  return JSON.stringify(group.schedule);
}

/** Rejects with the signal's reason once it aborts. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else {signal.addEventListener("abort", () => reject(signal.reason), {
        once: true,
      });}
  });
}

/**
 * Groups an instance's meters by schedule: the instance's `polling`, and each distinct
 * per-address override.
 *
 * @param config A validated instance configuration.
 * @returns The groups, meters in config order.
 */
export function pollGroups(config: GatewayConfig): PollGroup[] {
  const groups = new Map<string, PollGroup>();
  for (const a of config.addresses) {
    const spec = a.polling ?? config.polling;
    const key = String(spec);
    let g = groups.get(key);
    if (!g) {
      const r = parseSchedule(spec);
      if (!r.ok) continue; // validated by parseConfig
      g = { schedule: r.value, meters: [] };
      groups.set(key, g);
    }
    g.meters.push({ meter: a.name, skipLoops: a.skipLoops });
  }
  return [...groups.values()];
}
