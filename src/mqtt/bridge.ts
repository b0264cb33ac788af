/**
 * The MQTT bridge: takes every reading of every instance (through a {@link ReadingTap}) and
 * publishes the meter's state, its records' plain values, its availability and its Home
 * Assistant discovery configs, through the on-disk {@link Outbox}; keeps the gateway's and
 * the instances' status topics (with the Last Will); answers commands.
 *
 * @module
 */
import { type Clock, RealClock } from "../util/mod.ts";
import type { GatewayHost, MqttConfig } from "../gateway/mod.ts";
import { AvailabilityTracker } from "./availability.ts";
import { CommandHandler } from "./commands.ts";
import {
  type MqttMessage,
  type MqttState,
  openConnection,
  type TlsFiles,
} from "./connection.ts";
import type { MqttConnection } from "./connection.ts";
import { gatewayDiscovery } from "./discovery.ts";
import { DiscoveryBook } from "./discovery_book.ts";
import { Forwarder } from "./forwarder.ts";
import {
  type NewMessage,
  openOutbox,
  type Outbox,
  type OutboxStats,
} from "./outbox.ts";
import { meterReadingOf, statePayload, valuePayload } from "./payloads.ts";
import type { ReadingTap, ReadOutcome } from "./reading_tap.ts";
import { Topics } from "./topics.ts";

/** Options of {@link MqttBridge.start}. */
export interface MqttBridgeOptions {
  /** The gateway instances. */
  host: GatewayHost;
  /** The tap the host's sources were opened through. */
  tap: ReadingTap;
  /** Time source (outbox ages, housekeeping). @default RealClock */
  clock?: Clock;
  /** Log line sink. */
  log?: (line: string) => void;
  /** Host name for the default client id. @default Deno.hostname() */
  hostname?: string;
  /** Milliseconds between housekeeping rounds (outbox ages, removed meters). @default 10000 */
  housekeepingMs?: number;
  /** The TLS files, read before the instances started (see {@link readTlsFiles}). */
  tls?: TlsFiles;
}

/** Counters of a {@link MqttBridge}. */
export interface MqttBridgeStats extends OutboxStats {
  /** Connection state. */
  state: MqttState;
  /** The last connection error ("" when fine). */
  lastError: string;
  /** Successful connections. */
  connects: number;
  /** Connection attempts (the first one included). */
  attempts: number;
  /** Readings turned into messages. */
  readings: number;
}

const HOUSEKEEPING_MS = 10_000;

/** Publishes the gateway to an MQTT broker. */
export class MqttBridge {
  readonly #config: MqttConfig;
  readonly #o: MqttBridgeOptions;
  readonly #clock: Clock;
  readonly #topics: Topics;
  readonly #clientId: string;
  readonly #outbox: Outbox;
  readonly #forwarder: Forwarder;
  readonly #availability: AvailabilityTracker;
  readonly #book: DiscoveryBook;
  readonly #stop = new AbortController();
  readonly #unsubscribes: (() => void)[] = [];
  #conn: MqttConnection | undefined;
  #commands: CommandHandler | undefined;
  #readings = 0;
  #lastStats = "";
  #housekeeping: Promise<void> = Promise.resolve();

  private constructor(config: MqttConfig, options: MqttBridgeOptions) {
    this.#config = config;
    this.#o = options;
    this.#clock = options.clock ?? new RealClock();
    this.#clientId = config.clientId ||
      `mbusgw-${options.hostname ?? Deno.hostname()}`;
    this.#topics = new Topics(config.topicPrefix, this.#clientId);
    this.#availability = new AvailabilityTracker(config.missedReads);
    this.#outbox = openOutbox(config);
    this.#book = new DiscoveryBook(this.#outbox, this.#discoveryContext());
    this.#forwarder = new Forwarder(this.#outbox, {
      publish: (m) =>
        this.#conn
          ? this.#conn.publish(m.topic, m.payload, m)
          : Promise.reject(new Error("not connected")),
      isOnline: () => this.#conn?.state === "online",
      onDiscard: (m, reason) => {
        this.#o.log?.(
          `mqtt: discarded a message to ${m.topic} that the client refused 3 times: ${reason}`,
        );
        this.#publishStats(false);
      },
    });
  }

  /**
   * Opens the outbox, connects (in the background) and starts publishing readings.
   *
   * @param config The `mqtt` section.
   * @param options Host, tap, clock, log.
   * @returns The running bridge.
   * @throws {ConfigError} when a TLS file cannot be read; an error when the outbox cannot be opened.
   */
  static async start(
    config: MqttConfig,
    options: MqttBridgeOptions,
  ): Promise<MqttBridge> {
    const bridge = new MqttBridge(config, options);
    try {
      await bridge.#connect();
    } catch (e) {
      for (const u of bridge.#unsubscribes.splice(0)) u();
      bridge.#outbox.close();
      throw e;
    }
    return bridge;
  }

  async #connect(): Promise<void> {
    const host = this.#o.host;
    this.#commands = new CommandHandler({
      host,
      topics: this.#topics,
      enabled: this.#config.commands,
      log: (line) => this.#o.log?.(line),
      reply: (topic, payload, correlationData) =>
        this.#conn?.publish(topic, payload, {
          qos: 1,
          retain: false,
          ...(correlationData === undefined ? {} : { correlationData }),
        }) ?? Promise.resolve(),
    });
    this.#unsubscribes.push(
      this.#o.tap.listen((i, m, outcome) => this.#onRead(i, m, outcome)),
      host.events.subscribe((e) => this.#commands?.onEvent(e)),
    );
    this.#conn = await openConnection(this.#config, {
      ...(this.#o.tls === undefined ? {} : { tls: this.#o.tls }),
      clientId: this.#clientId,
      willTopic: this.#topics.gatewayStatus(),
      ...(this.#o.log ? { log: this.#o.log } : {}),
      onConnect: () => this.#onConnect(),
      onMessage: (m) => this.#onMessage(m),
    });
    this.#pruneRemoved();
    this.#housekeeping = this.#housekeep();
  }

  /** The client id in use. */
  get clientId(): string {
    return this.#clientId;
  }
  /** The topic builder. */
  get topics(): Topics {
    return this.#topics;
  }
  /** Counters. */
  get stats(): MqttBridgeStats {
    return {
      ...this.#outbox.stats,
      state: this.#conn?.state ?? "connecting",
      lastError: this.#conn?.lastError ?? "",
      connects: this.#conn?.connects ?? 0,
      attempts: this.#conn?.attempts ?? 0,
      readings: this.#readings,
    };
  }

  #onConnect(): void {
    const conn = this.#conn;
    if (!conn) return;
    const direct = (topic: string, payload: string) =>
      conn.publish(topic, payload, { qos: 1, retain: true }).catch(() => {});
    void direct(this.#topics.gatewayStatus(), "online");
    for (const g of this.#o.host.instances) {
      void direct(this.#topics.instanceStatus(g.cluster, g.name), "online");
    }
    if (this.#config.discovery.enabled) {
      const d = gatewayDiscovery(this.#discoveryContext());
      void direct(d.topic, d.payload);
    }
    const subs = this.#o.host.instances.map((g) =>
      this.#topics.command(g.cluster, g.name)
    );
    if (this.#config.discovery.enabled) {
      subs.push(`${this.#config.discovery.prefix}/status`);
    }
    conn.subscribe(subs).catch((e) =>
      this.#o.log?.(`mqtt: cannot subscribe: ${(e as Error).message}`)
    );
    this.#publishStats(true);
    this.#forwarder.kick();
  }

  #onMessage(m: MqttMessage): void {
    if (m.topic === `${this.#config.discovery.prefix}/status`) {
      // Home Assistant restarted: send every meter's configs again.
      if (m.payload === "online") {
        this.#enqueue(this.#book.all());
      }
      return;
    }
    void this.#commands?.handle(m);
  }

  #discoveryContext() {
    return {
      topics: this.#topics,
      prefix: this.#config.discovery.prefix,
      clientId: this.#clientId,
    };
  }

  #enqueue(messages: NewMessage[]): void {
    const dropped = this.#outbox.append(messages, this.#clock.now());
    if (dropped > 0) this.#logDropped(dropped, "full");
    this.#forwarder.kick();
  }

  #logDropped(n: number, why: "full" | "too old"): void {
    this.#o.log?.(
      `mqtt: outbox ${why}, dropped ${n} message(s) (${this.#outbox.stats.dropped} since start)`,
    );
    this.#publishStats(false);
  }

  #onRead(instance: string, meter: string, outcome: ReadOutcome): void {
    const gateway = this.#o.host.get(instance);
    if (!gateway) return;
    const key = `${instance}\u0000${meter}`;
    const base = this.#topics.meter(gateway.cluster, instance, meter);
    const messages: NewMessage[] = [];
    const u = this.#availability.update(key, outcome, this.#clock.now());
    if (u.change === "offline") {
      messages.push(this.#availabilityMessage(base, "offline"));
    }
    if (!u.fresh || !outcome.ok) {
      this.#enqueue(messages);
      return;
    }
    const m = meterReadingOf(gateway, meter, outcome.reading);
    if (this.#config.discovery.enabled) {
      messages.push(...this.#book.forReading(m));
    }
    if (u.change === "online") {
      messages.push(this.#availabilityMessage(base, "online"));
    }
    messages.push(this.#data(`${base}/state`, JSON.stringify(statePayload(m))));
    if (this.#config.valueTopics) {
      for (const r of m.reading.records) {
        messages.push(
          this.#data(`${base}/${r.index}/value`, valuePayload(r.value)),
        );
      }
    }
    this.#readings++;
    this.#enqueue(messages);
  }

  #availabilityMessage(base: string, payload: string): NewMessage {
    return { topic: `${base}/availability`, payload, qos: 1, retain: true };
  }

  /** A reading's message: retained per `mqtt.retain`. */
  #data(topic: string, payload: string): NewMessage {
    return {
      topic,
      payload,
      qos: this.#config.qos,
      retain: this.#config.retain,
    };
  }

  /** Removes the discovery configs of meters no longer in any instance's configuration. */
  #pruneRemoved(): void {
    if (!this.#config.discovery.enabled) return;
    const { messages, meters } = this.#book.removed(this.#o.host);
    if (meters === 0) return;
    this.#o.log?.(
      `mqtt: removed the discovery configs of ${meters} meter(s) no longer configured`,
    );
    this.#enqueue(messages);
  }

  async #housekeep(): Promise<void> {
    const every = this.#o.housekeepingMs ?? HOUSEKEEPING_MS;
    while (!this.#stop.signal.aborted) {
      try {
        await this.#clock.sleep(every, this.#stop.signal);
      } catch {
        return;
      }
      const dropped = this.#outbox.expire(this.#clock.now());
      if (dropped > 0) this.#logDropped(dropped, "too old");
      this.#pruneRemoved();
      this.#publishStats(false);
    }
  }

  #publishStats(force: boolean): void {
    const conn = this.#conn;
    if (conn?.state !== "online") return;
    const s = this.#outbox.stats;
    const text = JSON.stringify({
      ...s,
      readings: this.#readings,
      connects: conn.connects,
    });
    if (!force && text === this.#lastStats) return;
    this.#lastStats = text;
    conn.publish(this.#topics.gatewayStats(), text, { qos: 0, retain: true })
      .catch(() => {});
  }

  /**
   * Waits until every queued message has been delivered.
   *
   * @param timeoutMs Give up after this long (real time).
   * @throws {MbusError} `TIMEOUT` when messages are still queued.
   */
  flush(timeoutMs = 10_000): Promise<void> {
    return this.#forwarder.idle(timeoutMs);
  }

  /**
   * Stops: the instances' and the gateway's status go `offline` (unless `offline` is false,
   * as for a killed process), the connection closes, the outbox keeps what was not sent.
   *
   * @param options `offline` false skips the status messages.
   */
  async stop(options: { offline?: boolean } = {}): Promise<void> {
    if (this.#stop.signal.aborted) return;
    this.#stop.abort();
    for (const u of this.#unsubscribes.splice(0)) u();
    await this.#housekeeping;
    const conn = this.#conn;
    if (conn?.state === "online" && options.offline !== false) {
      await Promise.all(
        this.#o.host.instances.map((g) =>
          conn.publish(
            this.#topics.instanceStatus(g.cluster, g.name),
            "offline",
            {
              qos: 1,
              retain: true,
            },
          ).catch(() => {})
        ),
      );
    }
    await conn?.close(options);
    this.#outbox.close();
  }
}
