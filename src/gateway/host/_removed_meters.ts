/**
 * Event filtering for meters removed from the configuration while running: the emitter may
 * still re-emit their last values periodically; those re-emissions are dropped, everything
 * else passes through.
 *
 * @module
 */
import { EventHub } from "../events/mod.ts";

/** Sits between the emitter's hub and the instance's hub. */
export class RemovedMeters {
  /** Meter paths (`%mbus:5`) removed while running. */
  readonly #paths = new Set<string>();
  /** The hub the emitter publishes into. */
  readonly input: EventHub = new EventHub();

  /** @param out Where the events that pass go. */
  constructor(out: EventHub) {
    this.input.subscribe((e) => {
      if (e.type === "valueChanged" && e.reason === "periodic") {
        if (this.#paths.has(e.path.slice(0, e.path.lastIndexOf("/")))) return;
      }
      out.publish(e);
    });
  }

  /**
   * Notes a configuration change: meters no longer configured are removed, configured ones
   * (again) are not.
   *
   * @param before Meter paths configured before.
   * @param after Meter paths configured now.
   */
  update(before: Iterable<string>, after: Iterable<string>): void {
    const kept = new Set(after);
    for (const path of before) if (!kept.has(path)) this.#paths.add(path);
    for (const path of kept) this.#paths.delete(path);
  }
}
