/**
 * Emission policies. Events: only changes, every cycle, or changes plus periodic
 * re-emission of the last value every N ms. History: never, on update (change), always
 * (every read), or at most once every N ms per record.
 *
 * @module
 */
import { type Clock, isAbortError } from "../../util/mod.ts";
import type { RecordUpdate, TreeEntry } from "../tree/mod.ts";
import type { EmitMode, LogMode } from "../config/mod.ts";
import type { EventHub } from "../events/mod.ts";
import type { HistoryRow } from "../history/mod.ts";

/** Options of {@link Emitter}. */
export interface EmitterOptions {
  /** Instance name. */
  instance: string;
  /** The policy. */
  mode: EmitMode;
  /** Time source (periodic re-emission). */
  clock: Clock;
  /** Where events go. */
  hub: EventHub;
}

/** Publishes `valueChanged` events according to the instance's `emitOnlyChanges`. */
export class Emitter {
  readonly #o: EmitterOptions;
  readonly #last = new Map<string, { entry: TreeEntry; at: number }>();
  #abort: AbortController | undefined;
  #loop: Promise<void> | undefined;
  #emitted = 0;

  /**
   * Creates an emitter.
   *
   * @param options Instance, mode, clock and hub.
   */
  constructor(options: EmitterOptions) {
    this.#o = options;
  }

  /** Events published so far. */
  get emitted(): number {
    return this.#emitted;
  }

  /**
   * Publishes what the mode asks for after a read.
   *
   * @param updates The read's record updates.
   */
  onUpdates(updates: readonly RecordUpdate[]): void {
    const mode = this.#o.mode;
    for (const u of updates) {
      if (u.changed) this.#emit(u.entry, u.previous, "change");
      else if (mode === "cycle") this.#emit(u.entry, u.previous, "cycle");
      else this.#remember(u.entry);
    }
  }

  #remember(entry: TreeEntry): void {
    const last = this.#last.get(entry.path);
    this.#last.set(entry.path, { entry, at: last?.at ?? this.#o.clock.now() });
  }

  #emit(
    entry: TreeEntry,
    previous: TreeEntry["value"] | undefined,
    reason: "change" | "cycle" | "periodic",
  ): void {
    this.#last.set(entry.path, { entry, at: this.#o.clock.now() });
    this.#emitted++;
    this.#o.hub.publish({
      type: "valueChanged",
      instance: this.#o.instance,
      path: entry.path,
      value: entry.value,
      previous,
      timestamp: entry.timestamp,
      reason,
    });
  }

  /** Starts periodic re-emission (numeric mode only). */
  start(): void {
    const period = this.#o.mode;
    if (typeof period !== "number" || this.#loop) return;
    const abort = new AbortController();
    this.#abort = abort;
    this.#loop = this.#run(period, abort.signal).catch((e) => {
      if (!isAbortError(e) && !abort.signal.aborted) throw e;
    });
  }

  async #run(period: number, signal: AbortSignal): Promise<void> {
    const clock = this.#o.clock;
    while (!signal.aborted) {
      const now = clock.now();
      let due = now + period;
      for (const { entry, at } of [...this.#last.values()]) {
        if (now - at >= period) this.#emit(entry, entry.value, "periodic");
        else due = Math.min(due, at + period);
      }
      await clock.sleep(due - now, signal);
    }
  }

  /** Stops periodic re-emission. */
  async stop(): Promise<void> {
    this.#abort?.abort(new DOMException("Emitter stopped", "AbortError"));
    await this.#loop;
    this.#loop = undefined;
    this.#abort = undefined;
  }
}

/**
 * Picks the history rows of a read according to each meter's `log` mode.
 */
export class LogPolicy {
  readonly #lastAt = new Map<string, number>();

  /**
   * Picks the rows to log.
   *
   * @param updates The read's record updates.
   * @param mode The meter's `log` mode.
   * @param nowMs Time of the read.
   * @returns Rows to append.
   */
  select(
    updates: readonly RecordUpdate[],
    mode: LogMode,
    nowMs: number,
  ): HistoryRow[] {
    if (mode === "never") return [];
    const rows: HistoryRow[] = [];
    for (const u of updates) {
      const last = this.#lastAt.get(u.entry.path);
      const take = mode === "always" ||
        (mode === "update" && u.changed) ||
        (typeof mode === "number" &&
          (last === undefined || nowMs - last >= mode));
      if (!take) continue;
      this.#lastAt.set(u.entry.path, nowMs);
      rows.push({
        instance: u.entry.instance,
        path: u.entry.path,
        t: nowMs,
        value: u.entry.value,
      });
    }
    return rows;
  }
}
