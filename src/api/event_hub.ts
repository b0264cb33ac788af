/**
 * Fans the events of every instance out to the server-sent-event clients: each event gets
 * the instance name and a sequence id, and the last few are kept so that a client that
 * reconnects with `Last-Event-ID` misses nothing.
 *
 * @module
 */
import type { ApiBackend, ApiGatewayEvent } from "./backend.ts";
import { type Json, toJson } from "./json.ts";

/** An event as the API publishes it. */
export interface HubEvent {
  /** Sequence number, from 1, increasing by one. */
  readonly id: number;
  /** Instance that emitted it. */
  readonly instance: string;
  /** Event type (`valueChanged`, `scanProgress`, …). */
  readonly type: string;
  /** The event as JSON (secrets redacted), with `instance` added. */
  readonly data: Json;
}

/** Options of an {@link EventHub}. */
export interface EventHubOptions {
  /**
   * Events kept for replay to reconnecting clients.
   * @default 512
   */
  replaySize?: number;
}

/** Collects the events of all instances and delivers them to listeners. */
export class EventHub implements Disposable {
  #nextId = 1;
  #buffer: HubEvent[] = [];
  #replaySize: number;
  #listeners = new Set<(e: HubEvent) => void>();
  #unsubscribes: (() => void)[] = [];

  /**
   * Subscribes to every instance of the backend.
   *
   * @param backend The gateway host.
   * @param options Replay buffer size.
   */
  constructor(backend: ApiBackend, options: EventHubOptions = {}) {
    this.#replaySize = Math.max(0, options.replaySize ?? 512);
    for (const gw of backend.instances) {
      const name = gw.name;
      this.#unsubscribes.push(
        gw.events.subscribe((e) => this.#publish(name, e)),
      );
    }
  }

  /** Id of the last event published (0 when none). */
  get lastId(): number {
    return this.#nextId - 1;
  }

  /** Number of listeners attached. */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  #publish(instance: string, event: ApiGatewayEvent): void {
    const converted = toJson(event);
    const data: Json = converted !== null && typeof converted === "object" &&
        !Array.isArray(converted)
      ? { ...converted, instance }
      : { instance, value: converted };
    const e: HubEvent = {
      id: this.#nextId++,
      instance,
      type: typeof event.type === "string" ? event.type : "event",
      data,
    };
    if (this.#replaySize > 0) {
      this.#buffer.push(e);
      if (this.#buffer.length > this.#replaySize) this.#buffer.shift();
    }
    for (const listener of [...this.#listeners]) {
      try {
        listener(e);
      } catch {
        // A failing client must not break the gateway's emit loop.
      }
    }
  }

  /**
   * Events after `lastId` still in the replay buffer.
   *
   * @param lastId The last id a client saw.
   * @returns The events it missed (oldest first).
   */
  since(lastId: number): HubEvent[] {
    return this.#buffer.filter((e) => e.id > lastId);
  }

  /**
   * Adds a listener.
   *
   * @param listener Called for every event.
   * @returns A function that removes it.
   */
  listen(listener: (e: HubEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Unsubscribes from every instance and drops all listeners. */
  close(): void {
    for (const u of this.#unsubscribes.splice(0)) u();
    this.#listeners.clear();
  }

  /** Same as {@link close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
