/**
 * The polling scheduler: groups of meters on their schedules (the instance's, and per-address
 * overrides), one cycle at a time on an injected {@link Clock}. A slow bus never runs
 * overlapping cycles: ticks that pass during a cycle (or while paused) are coalesced into
 * the next one and counted as missed.
 *
 * @module
 */
import { type Clock, isAbortError } from "../util/mod.ts";
import type { GatewayConfig } from "./config/keys.ts";
import {
  countTicks,
  nextTick,
  parseSchedule,
  type Schedule,
} from "./schedule.ts";

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

  /**
   * Creates a stopped scheduler.
   *
   * @param options Clock, groups and the cycle function.
   */
  constructor(options: SchedulerOptions) {
    this.#options = options;
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
    const states: GroupState[] = this.#options.groups
      .filter((g) => g.meters.length > 0)
      .map((group) => ({
        group,
        next: group.schedule.kind === "interval"
          ? this.#anchor
          : nextTick(group.schedule, this.#anchor, this.#anchor, opts),
        counters: new Map(),
      }));
    if (states.length === 0) return;
    while (!signal.aborted) {
      const dueAt = Math.min(...states.map((s) => s.next));
      if (!Number.isFinite(dueAt)) return;
      const wait = dueAt - clock.now();
      if (wait > 0) await clock.sleep(wait, signal);
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
