/**
 * The history log: values over time in SQLite (`node:sqlite`, WAL), with a retention
 * period. Rows are buffered and written in one transaction per {@link History.flush}: at the
 * latest `flushDelayMs` (1 s) after the first buffered row when a clock is given, so a crash
 * (kill -9, power cut) loses at most about a second of reads, however long a polling cycle
 * runs; also at the end of each cycle, before a query, and when the buffer is full. A flush
 * that fails (disk full, locked file) keeps its rows queued, up to `maxQueuedRows`; beyond
 * that the oldest are dropped and counted ({@link History.stats}). The file is checked at
 * start (`PRAGMA quick_check`); a damaged one is moved aside. The index is by meter and time, not by record:
 * a flush then touches one index leaf per meter instead of one per record, which keeps the
 * write volume of a large bus (and flash wear) about 8× lower; record filters apply on top.
 * Every statement is prepared once per store and reused (a query's filters take one of a
 * few SQL shapes, the limit is a parameter): under `node:sqlite` a statement's native
 * memory is only released when V8 collects its object in a full GC, so one fresh statement
 * per API request grew the process by a few hundred MB under unpaced load.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { type Clock, isAbortError, RealClock } from "../../util/mod.ts";
import { openHistoryDb } from "./_open_db.ts";
import { type PathKey, pathKey } from "./_paths.ts";
import {
  type HistoryQuery,
  type HistoryRow,
  historyRow,
  selectQuery,
} from "./_query.ts";
import { HISTORY_DEFAULTS } from "../config/mod.ts";

export type { HistoryPosition, HistoryQuery, HistoryRow } from "./_query.ts";

/** Options of {@link History}. */
export interface HistoryOptions {
  /** SQLite file, or ":memory:". @default HISTORY_DEFAULTS.path */
  path?: string;
  /** Rows older than this are deleted by {@link History.prune}. @default HISTORY_DEFAULTS.retentionDays */
  retentionDays?: number;
  /** Rows buffered before an automatic flush. @default 20000 */
  maxBuffered?: number;
  /**
   * Clock of the flush timer. An in-memory store without one has no timer (its rows wait for
   * the next cycle end, query or full buffer: nothing survives a crash anyway).
   * @default new RealClock() for a file, none for ":memory:"
   */
  clock?: Clock;
  /**
   * Longest time a buffered row waits for its commit, when a clock is given.
   * @default 1000
   */
  flushDelayMs?: number;
  /**
   * Rows kept while flushes fail; beyond it the oldest are dropped (counted).
   * @default 100000
   */
  maxQueuedRows?: number;
  /**
   * Receives one line per incident: a damaged file moved aside, a failing disk.
   * @default undefined
   */
  log?: (line: string) => void;
}

/** Counters of a {@link History} store's writer. */
export interface HistoryStats {
  /** Rows committed to the database. */
  writtenRows: number;
  /** Rows waiting for their commit now. */
  queuedRows: number;
  /** Rows dropped because flushes kept failing and the queue was full. */
  droppedRows: number;
  /** Flushes that failed (their rows stayed queued). */
  failedFlushes: number;
  /** Duration of the last flush, ms (a slow disk shows here). */
  lastFlushMs: number;
  /** Where a damaged database file was moved at start, if one was. */
  movedAside?: string;
}

const COLUMNS = 8;
const BATCH_ROWS = 100;
/** Most query shapes kept prepared (there are about a dozen: address forms × instance). */
const MAX_SELECTS = 32;

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

/** The history store. Close it when done. */
export class History implements Disposable {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #insertBatch: StatementSync;
  readonly #retentionMs: number;
  readonly #maxBuffered: number;
  readonly #keys = new Map<string, PathKey>();
  /** Prepared SELECTs by SQL text, reused (bounded by {@link MAX_SELECTS}). */
  readonly #selects = new Map<string, StatementSync>();
  #count: StatementSync | undefined;
  #prune: StatementSync | undefined;
  /** Pending rows, flattened: {@link COLUMNS} values per row. */
  #pending: (string | number | null)[] = [];
  #closed = false;
  readonly #clock: Clock | undefined;
  readonly #flushDelayMs: number;
  readonly #maxQueuedRows: number;
  readonly #log: ((line: string) => void) | undefined;
  #timer: AbortController | undefined;
  #failing = false;
  readonly #stats: HistoryStats = {
    writtenRows: 0,
    queuedRows: 0,
    droppedRows: 0,
    failedFlushes: 0,
    lastFlushMs: 0,
  };

  /**
   * Opens (or creates) the store.
   *
   * @param options File, retention and buffering.
   */
  constructor(options: HistoryOptions = {}) {
    const path = options.path ?? HISTORY_DEFAULTS.path;
    const inMemory = path === ":memory:" || path === "";
    this.#clock = options.clock ?? (inMemory ? undefined : new RealClock());
    this.#log = options.log;
    this.#flushDelayMs = Math.max(0, options.flushDelayMs ?? 1000);
    this.#maxQueuedRows = Math.max(1, options.maxQueuedRows ?? 100_000);
    const opened = openHistoryDb(
      path,
      this.#clock?.now() ?? Date.now(),
      this.#log,
    );
    this.#db = opened.db;
    if (opened.movedTo !== undefined) this.#stats.movedAside = opened.movedTo;
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
    else this.#armTimer();
  }

  /** Counters of the writer (a copy). */
  get stats(): HistoryStats {
    return { ...this.#stats, queuedRows: this.#pending.length / COLUMNS };
  }

  /** Starts the flush timer unless one runs or nothing waits. */
  #armTimer(): void {
    const clock = this.#clock;
    if (!clock || this.#timer || this.#pending.length === 0) return;
    const timer = new AbortController();
    this.#timer = timer;
    clock.sleep(this.#flushDelayMs, timer.signal).then(() => {
      if (this.#timer === timer) this.#timer = undefined;
      this.flush();
    }, (e: unknown) => {
      if (!isAbortError(e) && !timer.signal.aborted) throw e;
    });
  }

  #stopTimer(): void {
    this.#timer?.abort();
    this.#timer = undefined;
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

  /**
   * Writes buffered rows in one transaction, many rows per statement. Never throws: when the
   * write fails the rows stay queued (bounded by `maxQueuedRows`) for the next flush.
   */
  flush(): void {
    this.#stopTimer();
    if (this.#closed || this.#pending.length === 0) return;
    const p = this.#pending;
    this.#pending = [];
    const started = performance.now();
    try {
      this.#write(p);
      this.#stats.writtenRows += p.length / COLUMNS;
      if (this.#failing) this.#log?.("history: writing again");
      this.#failing = false;
    } catch (e) {
      this.#requeue(p, e);
    } finally {
      this.#stats.lastFlushMs = performance.now() - started;
    }
  }

  #write(p: (string | number | null)[]): void {
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
      try {
        this.#db.exec("ROLLBACK");
      } catch {
        // SQLite may have rolled back already (a full disk ends the transaction).
      }
      throw e;
    }
  }

  /** Puts failed rows back in front of newer ones, dropping the oldest beyond the bound. */
  #requeue(p: (string | number | null)[], e: unknown): void {
    this.#stats.failedFlushes++;
    if (!this.#failing) {
      this.#log?.(
        `history: cannot write rows (${
          e instanceof Error ? e.message : String(e)
        }); keeping up to ${this.#maxQueuedRows} rows queued`,
      );
    }
    this.#failing = true;
    const all = p.concat(this.#pending);
    const excess = all.length / COLUMNS - this.#maxQueuedRows;
    if (excess > 0) {
      all.splice(0, excess * COLUMNS);
      this.#stats.droppedRows += excess;
    }
    this.#pending = all;
    this.#armTimer();
  }

  /**
   * Rows in a time range, oldest first (by time, then by row number); `after` continues
   * from the last row of a page.
   *
   * @param query Filters.
   * @returns The rows.
   */
  query(query: HistoryQuery = {}): HistoryRow[] {
    if (this.#closed) return [];
    this.flush();
    const { sql, args } = selectQuery(query);
    return this.#select(sql).all(...args).map(historyRow);
  }

  /** The prepared statement of a SELECT, made on first use and kept. */
  #select(sql: string): StatementSync {
    let statement = this.#selects.get(sql);
    if (statement === undefined) {
      if (this.#selects.size >= MAX_SELECTS) this.#selects.clear();
      statement = this.#db.prepare(sql);
      this.#selects.set(sql, statement);
    }
    return statement;
  }

  /** Number of rows (buffered ones included). */
  count(): number {
    if (this.#closed) return 0;
    this.flush();
    this.#count ??= this.#db.prepare("SELECT count(*) AS n FROM history");
    const row = this.#count.get();
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
    this.#prune ??= this.#db.prepare("DELETE FROM history WHERE t < ?");
    const r = this.#prune.run(nowMs - this.#retentionMs);
    return Number(r.changes);
  }

  /** Flushes and closes the database. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#stopTimer();
    this.#closed = true;
    this.#db.close();
  }

  /** Same as {@link close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
