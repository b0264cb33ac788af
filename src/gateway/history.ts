/**
 * The history log: values over time in SQLite (`node:sqlite`, WAL), indexed by path and
 * time, with a retention period. Numbers go in `value`, anything else in `text`.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { SourceValue } from "./meter_source.ts";

/** One logged value. */
export interface HistoryRow {
  /** Instance name. */
  instance: string;
  /** `%mbus:` path of the record. */
  path: string;
  /** Time of the read, ms since the epoch. */
  t: number;
  /** The value as published (scaled). */
  value: SourceValue;
}

/** A history query. */
export interface HistoryQuery {
  /** Exact record path, or a meter path (`%mbus:5`) for all its records. */
  address?: string;
  /** Instance name. */
  instance?: string;
  /** From this time (ms since the epoch, inclusive). @default 0 */
  from?: number;
  /** Up to this time (inclusive). @default now */
  to?: number;
  /** Most rows, oldest first. @default 10000 */
  limit?: number;
}

/** Options of {@link History}. */
export interface HistoryOptions {
  /** SQLite file, or ":memory:". @default ":memory:" */
  path?: string;
  /** Rows older than this are pruned by {@link History.prune}. @default 30 */
  retentionDays?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS history (
  instance TEXT NOT NULL,
  path TEXT NOT NULL,
  t INTEGER NOT NULL,
  value REAL,
  text TEXT
);
CREATE INDEX IF NOT EXISTS history_path_t ON history (path, t);
CREATE INDEX IF NOT EXISTS history_t ON history (t);
`;

/** The history store. Close it when done. */
export class History implements Disposable {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #retentionMs: number;
  #closed = false;

  /** @param options File and retention. */
  constructor(options: HistoryOptions = {}) {
    this.#db = new DatabaseSync(options.path ?? ":memory:");
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    this.#db.exec(SCHEMA);
    this.#insert = this.#db.prepare(
      "INSERT INTO history (instance, path, t, value, text) VALUES (?, ?, ?, ?, ?)",
    );
    this.#retentionMs = (options.retentionDays ?? 30) * 86_400_000;
  }

  /**
   * Appends rows in one transaction.
   *
   * @param rows The rows.
   */
  append(rows: readonly HistoryRow[]): void {
    if (this.#closed || rows.length === 0) return;
    this.#db.exec("BEGIN");
    try {
      for (const r of rows) {
        const isNumber = typeof r.value === "number";
        this.#insert.run(
          r.instance,
          r.path,
          r.t,
          isNumber ? r.value : null,
          isNumber || r.value === null ? null : String(r.value),
        );
      }
      this.#db.exec("COMMIT");
    } catch (e) {
      this.#db.exec("ROLLBACK");
      throw e;
    }
  }

  /**
   * Rows in a time range, oldest first.
   *
   * @param query Filters.
   * @returns The rows.
   */
  query(query: HistoryQuery = {}): HistoryRow[] {
    if (this.#closed) return [];
    const where = ["t >= ?", "t <= ?"];
    const args: (string | number)[] = [
      query.from ?? 0,
      query.to ?? Number.MAX_SAFE_INTEGER,
    ];
    if (query.address !== undefined) {
      where.push("(path = ? OR (path >= ? AND path < ?))");
      args.push(query.address, `${query.address}/`, `${query.address}0`);
    }
    if (query.instance !== undefined) {
      where.push("instance = ?");
      args.push(query.instance);
    }
    const limit = Math.max(1, Math.min(query.limit ?? 10_000, 1_000_000));
    const sql = `SELECT instance, path, t, value, text FROM history WHERE ${
      where.join(" AND ")
    } ORDER BY t, rowid LIMIT ${limit}`;
    return this.#db.prepare(sql).all(...args).map((r) => ({
      instance: String(r.instance),
      path: String(r.path),
      t: Number(r.t),
      value: typeof r.value === "number"
        ? r.value
        : typeof r.text === "string"
        ? r.text
        : null,
    }));
  }

  /** Number of rows. */
  count(): number {
    if (this.#closed) return 0;
    const row = this.#db.prepare("SELECT count(*) AS n FROM history").get();
    return Number(row?.n ?? 0);
  }

  /**
   * Deletes rows older than the retention period.
   *
   * @param nowMs Current time.
   * @returns Rows deleted.
   */
  prune(nowMs: number): number {
    if (this.#closed) return 0;
    const r = this.#db.prepare("DELETE FROM history WHERE t < ?").run(
      nowMs - this.#retentionMs,
    );
    return Number(r.changes);
  }

  /** Closes the database. Idempotent. */
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
