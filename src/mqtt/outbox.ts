/**
 * The bridge's store and forward: every message bound for the broker is first written to
 * an SQLite file (`node:sqlite`, WAL) and deleted only once the broker has it (the PUBACK at
 * QoS 1, the write at QoS 0). Readings taken while the broker is unreachable, or before a
 * restart, therefore go out after reconnecting, oldest first, with the timestamps they were
 * read at. The outbox is bounded by count and by age; what a bound drops is counted.
 * Also keeps which Home Assistant discovery topics were published, so that a meter that
 * left the configuration has its configs removed after a restart too.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { MqttConfig } from "../gateway/mod.ts";
import { ConfigError } from "../util/mod.ts";

/** One message waiting for the broker. */
export interface OutboxMessage {
  /** Row id: increasing, so id order is the order of writing. */
  id: number;
  /** Topic. */
  topic: string;
  /** Payload text. */
  payload: string;
  /** QoS 0 or 1. */
  qos: 0 | 1;
  /** Retain flag. */
  retain: boolean;
  /** When it was queued, ms since the epoch. */
  queuedAt: number;
}

/** A message to queue. */
export type NewMessage = Omit<OutboxMessage, "id" | "queuedAt">;

/** Options of {@link Outbox}. */
export interface OutboxOptions {
  /** SQLite file, or `:memory:`. */
  path: string;
  /** Most messages kept; the oldest go first. @default 100000 */
  maxMessages?: number;
  /** Messages older than this are dropped, ms. @default 7 days */
  maxAgeMs?: number;
}

/** Counters of an {@link Outbox}. */
export interface OutboxStats {
  /** Messages waiting. */
  queued: number;
  /** Messages dropped by the count or age bound since start. */
  dropped: number;
  /** Messages delivered since start. */
  delivered: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  payload TEXT NOT NULL,
  qos INTEGER NOT NULL,
  retain INTEGER NOT NULL,
  queued_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS discovery (
  topic TEXT PRIMARY KEY,
  owner TEXT NOT NULL
);`;

/** The on-disk queue of messages for the broker. */
export class Outbox implements Disposable {
  readonly #db: DatabaseSync;
  readonly #maxMessages: number;
  readonly #maxAgeMs: number;
  readonly #insert: StatementSync;
  readonly #after: StatementSync;
  readonly #delete: StatementSync;
  /** Every other statement, prepared on first use and reused (a statement's native memory is freed only by a full GC). */
  readonly #statements = new Map<string, StatementSync>();
  #queued: number;
  #dropped = 0;
  #delivered = 0;
  #closed = false;

  /**
   * Opens (or creates) the outbox file.
   *
   * @param options File and bounds.
   */
  constructor(options: OutboxOptions) {
    this.#maxMessages = Math.max(1, options.maxMessages ?? 100_000);
    this.#maxAgeMs = Math.max(1, options.maxAgeMs ?? 7 * 86_400_000);
    this.#db = new DatabaseSync(options.path);
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    this.#db.exec(SCHEMA);
    this.#insert = this.#db.prepare(
      "INSERT INTO outbox (topic, payload, qos, retain, queued_at) VALUES (?, ?, ?, ?, ?)",
    );
    this.#after = this.#db.prepare(
      "SELECT id, topic, payload, qos, retain, queued_at FROM outbox WHERE id > ? ORDER BY id LIMIT ?",
    );
    this.#delete = this.#db.prepare(
      "DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))",
    );
    this.#queued = this.#count();
  }

  #sql(text: string): StatementSync {
    let s = this.#statements.get(text);
    if (s === undefined) this.#statements.set(text, s = this.#db.prepare(text));
    return s;
  }

  #count(): number {
    const row = this.#sql("SELECT count(*) AS n FROM outbox").get();
    return Number(row?.n ?? 0);
  }

  /** Counters (a copy). */
  get stats(): OutboxStats {
    return {
      queued: this.#queued,
      dropped: this.#dropped,
      delivered: this.#delivered,
    };
  }

  /**
   * Queues messages in one transaction, then applies the count bound.
   *
   * @param messages The messages, in order.
   * @param now The queueing time, ms.
   * @returns How many old messages the count bound dropped.
   */
  append(messages: readonly NewMessage[], now: number): number {
    if (messages.length === 0 || this.#closed) return 0;
    this.#transaction(() => {
      for (const m of messages) {
        this.#insert.run(m.topic, m.payload, m.qos, m.retain ? 1 : 0, now);
      }
    });
    this.#queued += messages.length;
    const over = this.#queued - this.#maxMessages;
    if (over <= 0) return 0;
    const r = this.#sql(
      "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT ?)",
    ).run(over);
    return this.#countDropped(Number(r.changes));
  }

  /**
   * Drops messages older than the age bound.
   *
   * @param now Current time, ms.
   * @returns How many were dropped.
   */
  expire(now: number): number {
    if (this.#closed) return 0;
    const r = this.#sql("DELETE FROM outbox WHERE queued_at < ?").run(
      now - this.#maxAgeMs,
    );
    return this.#countDropped(Number(r.changes));
  }

  #countDropped(n: number): number {
    this.#queued -= n;
    this.#dropped += n;
    return n;
  }

  /**
   * Messages after an id, oldest first.
   *
   * @param afterId Last id already handed out (0 for the start).
   * @param limit Most messages.
   * @returns The messages.
   */
  after(afterId: number, limit: number): OutboxMessage[] {
    if (this.#closed) return [];
    return this.#after.all(afterId, limit).map((r) => ({
      id: Number(r.id),
      topic: String(r.topic),
      payload: String(r.payload),
      qos: Number(r.qos) === 1 ? 1 : 0,
      retain: Number(r.retain) === 1,
      queuedAt: Number(r.queued_at),
    }));
  }

  /**
   * Deletes delivered messages (ids already gone are ignored).
   *
   * @param ids Delivered ids.
   */
  delivered(ids: readonly number[]): void {
    if (ids.length === 0 || this.#closed) return;
    const n = Number(this.#delete.run(JSON.stringify(ids)).changes);
    this.#queued -= n;
    this.#delivered += n;
  }

  /**
   * Deletes messages that cannot be delivered, counting them as dropped.
   *
   * @param ids The messages.
   */
  discard(ids: readonly number[]): void {
    if (ids.length === 0 || this.#closed) return;
    this.#countDropped(Number(this.#delete.run(JSON.stringify(ids)).changes));
  }

  /**
   * Discovery topics published for an owner (a meter key), or for every owner.
   *
   * @param owner The owner; undefined for all.
   * @returns Topic → owner.
   */
  discoveryTopics(owner?: string): Map<string, string> {
    const rows = owner === undefined
      ? this.#sql("SELECT topic, owner FROM discovery").all()
      : this.#sql("SELECT topic, owner FROM discovery WHERE owner = ?")
        .all(owner);
    return new Map(rows.map((r) => [String(r.topic), String(r.owner)]));
  }

  /**
   * Records the discovery topics of an owner (replacing its previous set).
   *
   * @param owner The owner.
   * @param topics Its topics now.
   */
  setDiscoveryTopics(owner: string, topics: readonly string[]): void {
    if (this.#closed) return;
    this.#transaction(() => {
      this.#sql("DELETE FROM discovery WHERE owner = ?").run(owner);
      const ins = this.#sql(
        "INSERT OR REPLACE INTO discovery (topic, owner) VALUES (?, ?)",
      );
      for (const t of topics) ins.run(t, owner);
    });
  }

  #transaction(fn: () => void): void {
    this.#db.exec("BEGIN");
    try {
      fn();
      this.#db.exec("COMMIT");
    } catch (e) {
      this.#db.exec("ROLLBACK");
      throw e;
    }
  }

  /** Closes the file. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  /** Same as {@link close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * Opens the outbox of an `mqtt` section.
 *
 * @param config The section.
 * @returns The outbox.
 * @throws {ConfigError} `mqtt.storeAndForward.path` when the file cannot be opened.
 */
export function openOutbox(config: MqttConfig): Outbox {
  const o = config.storeAndForward;
  try {
    return new Outbox({
      path: o.path,
      maxMessages: o.maxMessages,
      maxAgeMs: o.maxAgeHours * 3_600_000,
    });
  } catch (e) {
    throw new ConfigError(
      "mqtt.storeAndForward.path",
      `Cannot open the MQTT outbox "${o.path}": ${
        e instanceof Error ? e.message : String(e)
      }`,
      { cause: e },
    );
  }
}
