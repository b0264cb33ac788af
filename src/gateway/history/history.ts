/**
 * The history log: values over time in SQLite (`node:sqlite`, WAL), with a retention
 * period. Rows are buffered and written in one transaction per {@link History.flush} (the
 * gateway flushes after each polling cycle). The index is by meter and time, not by record:
 * a flush then touches one index leaf per meter instead of one per record, which keeps the
 * write volume of a large bus (and flash wear) about 8× lower; record filters apply on top.
 *
 * @module
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { parseMbusPath, parseMeterName } from "../tree/mod.ts";
import type { SourceValue } from "../source/mod.ts";
import { HISTORY_DEFAULTS } from "../config/mod.ts";

/** One logged value. */
export interface HistoryRow {
  /** Instance name. */
  instance: string;
  /** Canonical `%mbus:` path of the record, e.g. `%mbus:5/0` or `%mbus2:5/0`. */
  path: string;
  /** Time of the read, ms since the epoch. */
  t: number;
  /** The value as published (scaled). */
  value: SourceValue;
}

/** A history query. */
export interface HistoryQuery {
  /** A record path (`%mbus:5/0`), a meter path (`%mbus:5`, `%mbus:heat/5`) or a bare meter name (`5`, any instance). */
  address?: string;
  /** Instance name. */
  instance?: string;
  /** From this time (ms since the epoch, inclusive). @default 0 */
  from?: number;
  /** Up to this time (inclusive). @default no limit */
  to?: number;
  /** Most rows, oldest first. @default 10000 */
  limit?: number;
}

/** Options of {@link History}. */
export interface HistoryOptions {
  /** SQLite file, or ":memory:". @default HISTORY_DEFAULTS.path */
  path?: string;
  /** Rows older than this are deleted by {@link History.prune}. @default HISTORY_DEFAULTS.retentionDays */
  retentionDays?: number;
  /** Rows buffered before an automatic flush. @default 20000 */
  maxBuffered?: number;
}

const COLUMNS = 8;
const BATCH_ROWS = 100;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS history (
  instance TEXT NOT NULL,
  mpath TEXT NOT NULL,
  meter TEXT NOT NULL,
  rec INTEGER NOT NULL,
  path TEXT NOT NULL,
  t INTEGER NOT NULL,
  value REAL,
  text TEXT
);
CREATE INDEX IF NOT EXISTS history_mpath_t ON history (mpath, t);
CREATE INDEX IF NOT EXISTS history_t ON history (t);
`;

interface PathKey {
  mpath: string;
  meter: string;
  rec: number;
}

function meterPath(cluster: number | undefined, meter: string): string {
  return cluster ? `%mbus${cluster}:${meter}` : `%mbus:${meter}`;
}

function pathKey(path: string): PathKey {
  const r = parseMbusPath(path);
  if (!r.ok) return { mpath: path, meter: "", rec: -1 };
  const p = r.value;
  return {
    mpath: meterPath(p.cluster, p.meter),
    meter: p.meter,
    rec: p.record ?? -1,
  };
}

/** The history store. Close it when done. */
export class History implements Disposable {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #insertBatch: StatementSync;
  readonly #retentionMs: number;
  readonly #maxBuffered: number;
  readonly #keys = new Map<string, PathKey>();
  /** Pending rows, flattened: {@link COLUMNS} values per row. */
  #pending: (string | number | null)[] = [];
  #closed = false;

  /**
   * Opens (or creates) the store.
   *
   * @param options File, retention and buffering.
   */
  constructor(options: HistoryOptions = {}) {
    this.#db = new DatabaseSync(options.path ?? HISTORY_DEFAULTS.path);
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    this.#db.exec(SCHEMA);
    const one = `(${Array(COLUMNS).fill("?").join(", ")})`;
    const insert =
      "INSERT INTO history (instance, mpath, meter, rec, path, t, value, text) VALUES ";
    this.#insert = this.#db.prepare(insert + one);
    this.#insertBatch = this.#db.prepare(
      insert + Array(BATCH_ROWS).fill(one).join(", "),
    );
    this.#retentionMs =
      (options.retentionDays ?? HISTORY_DEFAULTS.retentionDays) * 86_400_000;
    this.#maxBuffered = options.maxBuffered ?? 20_000;
  }

  /**
   * Buffers rows (written at the next {@link flush}, query, or when the buffer is full).
   * The rows are copied: callers may reuse them.
   *
   * @param rows The rows.
   */
  append(rows: readonly HistoryRow[]): void {
    if (this.#closed || rows.length === 0) return;
    const p = this.#pending;
    for (const r of rows) {
      const k = this.#key(r.path);
      const isNumber = typeof r.value === "number";
      p.push(
        r.instance,
        k.mpath,
        k.meter,
        k.rec,
        r.path,
        r.t,
        isNumber ? r.value : null,
        isNumber || r.value === null ? null : String(r.value),
      );
    }
    if (p.length >= this.#maxBuffered * COLUMNS) this.flush();
  }

  #key(path: string): PathKey {
    let k = this.#keys.get(path);
    if (!k) {
      k = pathKey(path);
      if (this.#keys.size > 100_000) this.#keys.clear();
      this.#keys.set(path, k);
    }
    return k;
  }

  /** Writes buffered rows in one transaction, many rows per statement. */
  flush(): void {
    if (this.#closed || this.#pending.length === 0) return;
    const p = this.#pending;
    this.#pending = [];
    const batch = BATCH_ROWS * COLUMNS;
    this.#db.exec("BEGIN");
    try {
      let at = 0;
      for (; at + batch <= p.length; at += batch) {
        this.#insertBatch.run(...p.slice(at, at + batch));
      }
      for (; at < p.length; at += COLUMNS) {
        this.#insert.run(...p.slice(at, at + COLUMNS));
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
    this.flush();
    const where = ["t >= ?", "t <= ?"];
    const args: (string | number)[] = [
      query.from ?? 0,
      query.to ?? Number.MAX_SAFE_INTEGER,
    ];
    if (query.address !== undefined) {
      const filter = addressFilter(query.address);
      where.push(...filter.where);
      args.push(...filter.args);
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

  /** Number of rows (buffered ones included). */
  count(): number {
    if (this.#closed) return 0;
    this.flush();
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
    this.flush();
    const r = this.#db.prepare("DELETE FROM history WHERE t < ?").run(
      nowMs - this.#retentionMs,
    );
    return Number(r.changes);
  }

  /** Flushes and closes the database. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    this.#db.close();
  }

  /** Same as {@link close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

function addressFilter(
  address: string,
): { where: string[]; args: (string | number)[] } {
  if (!address.startsWith("%mbus")) {
    const m = parseMeterName(address);
    return { where: ["meter = ?"], args: [m?.text ?? address] };
  }
  const r = parseMbusPath(address);
  if (!r.ok) return { where: ["path = ?"], args: [address] };
  const p = r.value;
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (p.instance !== undefined) {
    where.push("instance = ?", "meter = ?");
    args.push(p.instance, p.meter);
  } else {
    where.push("mpath = ?");
    args.push(meterPath(p.cluster, p.meter));
  }
  if (p.record !== undefined) {
    where.push("rec = ?");
    args.push(p.record);
  }
  return { where, args };
}
