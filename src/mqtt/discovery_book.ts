/**
 * Which Home Assistant discovery configs are out there, per meter: queued again only when
 * they change, replaced when a meter's records change, removed (empty retained payloads)
 * when a meter leaves the configuration — also across restarts, since the topics are kept
 * in the outbox's file — and all sent again when Home Assistant says it restarted.
 *
 * @module
 */
import type { GatewayHost } from "../gateway/mod.ts";
import {
  type DiscoveryContext,
  gatewayNodeId,
  meterDiscovery,
  meterNodeId,
} from "./discovery.ts";
import type { NewMessage, Outbox } from "./outbox.ts";
import type { MeterReading } from "./payloads.ts";

const retained = (topic: string, payload: string): NewMessage => ({
  topic,
  payload,
  qos: 1,
  retain: true,
});

/** The discovery configs published by one gateway. */
export class DiscoveryBook {
  readonly #outbox: Outbox;
  readonly #ctx: DiscoveryContext;
  /** Configs last queued, per owner (meter node id). */
  readonly #current = new Map<string, NewMessage[]>();
  readonly #signatures = new Map<string, string>();

  /** @param outbox Where topics are remembered. @param ctx Topics, prefix, client id. */
  constructor(outbox: Outbox, ctx: DiscoveryContext) {
    this.#outbox = outbox;
    this.#ctx = ctx;
  }

  /**
   * The messages a reading makes necessary: none when the meter's configs are unchanged;
   * else its new configs, and empty payloads for configs of records it no longer has.
   *
   * @param m The reading.
   * @returns Messages to queue (before the state).
   */
  forReading(m: MeterReading): NewMessage[] {
    const configs = meterDiscovery(m, this.#ctx);
    const owner = meterNodeId(
      this.#ctx.topics.prefix,
      m.cluster,
      m.instance,
      m.meter,
    );
    const signature = configs.map((c) => c.payload).join("\n");
    if (this.#signatures.get(owner) === signature) return [];
    this.#signatures.set(owner, signature);
    const keep = new Set(configs.map((c) => c.topic));
    const out: NewMessage[] = [];
    for (const topic of this.#outbox.discoveryTopics(owner).keys()) {
      if (!keep.has(topic)) out.push(retained(topic, ""));
    }
    const fresh = configs.map((c) => retained(c.topic, c.payload));
    out.push(...fresh);
    this.#outbox.setDiscoveryTopics(owner, [...keep]);
    this.#current.set(owner, fresh);
    return out;
  }

  /** Every config queued since start (to send again when Home Assistant restarts). */
  all(): NewMessage[] {
    return [...this.#current.values()].flat();
  }

  /**
   * Removal messages for the configs of meters no longer in any instance's configuration.
   *
   * @param host The instances.
   * @returns Empty retained payloads, and how many meters they remove.
   */
  removed(host: GatewayHost): { messages: NewMessage[]; meters: number } {
    const prefix = this.#ctx.topics.prefix;
    const owners = new Set<string>([gatewayNodeId(prefix, this.#ctx.clientId)]);
    for (const g of host.instances) {
      for (const a of g.config.addresses) {
        owners.add(meterNodeId(prefix, g.cluster, g.name, a.name));
      }
    }
    const gone = new Map<string, string[]>();
    for (const [topic, owner] of this.#outbox.discoveryTopics()) {
      if (!owners.has(owner)) {
        gone.set(owner, [...(gone.get(owner) ?? []), topic]);
      }
    }
    const messages: NewMessage[] = [];
    for (const [owner, topics] of gone) {
      for (const topic of topics) messages.push(retained(topic, ""));
      this.#outbox.setDiscoveryTopics(owner, []);
      this.#current.delete(owner);
      this.#signatures.delete(owner);
    }
    return { messages, meters: gone.size };
  }
}
