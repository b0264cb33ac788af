/**
 * Sees every read of every meter, whatever the emitter's change policy and `onlyValues`
 * say: a {@link MeterSource} wrapper installed where the host opens its sources. The MQTT
 * bridge needs the whole reading (header, units, the time it was read) and each failure
 * (for availability), which the gateway's public value events do not carry.
 *
 * @module
 */
import { isAbortError } from "../util/mod.ts";
import type {
  MeterSource,
  SourceFactory,
  SourceReading,
} from "../gateway/mod.ts";

/** The outcome of one read. */
export type ReadOutcome =
  | { ok: true; reading: SourceReading }
  | { ok: false; error: unknown };

/** A read listener: instance name, canonical meter name, outcome. */
export type ReadListener = (
  instance: string,
  meter: string,
  outcome: ReadOutcome,
) => void;

/** Wraps source factories and fans their reads out to listeners. */
export class ReadingTap {
  readonly #listeners = new Set<ReadListener>();

  /**
   * Adds a listener.
   *
   * @param fn Called after each read (synchronously; a throw is ignored).
   * @returns A function that removes it.
   */
  listen(fn: ReadListener): () => void {
    this.#listeners.add(fn);
    return () => {
      this.#listeners.delete(fn);
    };
  }

  #emit(instance: string, meter: string, outcome: ReadOutcome): void {
    for (const fn of [...this.#listeners]) {
      try {
        fn(instance, meter, outcome);
      } catch {
        // A listener's failure must not fail the read.
      }
    }
  }

  /**
   * Wraps a source factory: the sources it opens report every read to this tap.
   *
   * @param open The host's source factory.
   * @returns The same factory, tapped.
   */
  wrap(open: SourceFactory): SourceFactory {
    return async (config, clock) => {
      const source = await open(config, clock);
      return this.#tapped(config.name, source);
    };
  }

  #tapped(instance: string, source: MeterSource): MeterSource {
    const read: MeterSource["read"] = async (meter, options) => {
      try {
        const reading = await source.read(meter, options);
        this.#emit(instance, meter, { ok: true, reading });
        return reading;
      } catch (e) {
        if (!isAbortError(e) && !options?.signal?.aborted) {
          this.#emit(instance, meter, { ok: false, error: e });
        }
        throw e;
      }
    };
    // The source's own methods run on the source itself (private fields), only `read` is ours.
    return new Proxy(source, {
      get(target, prop) {
        if (prop === "read") return read;
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
  }
}
