/**
 * The history store's query: row and query shapes, and the SQL of a query (a few shapes,
 * each prepared once by the store; values and the limit are parameters). Rows come in
 * (t, rowid) order; `after` continues from a row, so a long range is read page by page
 * with an index seek per page.
 *
 * @module
 */
import type { SourceValue } from "../source/mod.ts";
import { addressFilter } from "./_paths.ts";

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
  /** The row's number in the store (set by queries; ignored when appending). */
  id?: number;
}

/** Where a page ends: the time and number of its last row. */
export interface HistoryPosition {
  /** Time of the row, ms since the epoch. */
  t: number;
  /** The row's number ({@link HistoryRow.id}). */
  id: number;
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
  /** Only rows after this one (the last row of the previous page). @default none */
  after?: HistoryPosition;
  /** Most rows, oldest first (1 to 1,000,000). @default 10000 */
  limit?: number;
}

/**
 * The SQL and arguments of a query (the limit is the last argument).
 *
 * @param query Filters, range, position and limit.
 * @returns SQL text (one of a few shapes) and its arguments.
 */
export function selectQuery(
  query: HistoryQuery,
): { sql: string; args: (string | number)[] } {
  const after = query.after;
  const from = Math.max(query.from ?? 0, after?.t ?? 0);
  const where = ["t >= ?", "t <= ?"];
  const args: (string | number)[] = [
    from,
    query.to ?? Number.MAX_SAFE_INTEGER,
  ];
  if (after !== undefined) {
    // Rows at the same time as the last one are ordered by rowid.
    where.push("(t > ? OR rowid > ?)");
    args.push(after.t, after.id);
  }
  if (query.address !== undefined) {
    const filter = addressFilter(query.address);
    where.push(...filter.where);
    args.push(...filter.args);
  }
  if (query.instance !== undefined) {
    where.push("instance = ?");
    args.push(query.instance);
  }
  args.push(Math.max(1, Math.min(query.limit ?? 10_000, 1_000_000)));
  return {
    sql:
      `SELECT rowid AS id, instance, path, t, value, text FROM history WHERE ${
        where.join(" AND ")
      } ORDER BY t, rowid LIMIT ?`,
    args,
  };
}

/**
 * A result row as a {@link HistoryRow}.
 *
 * @param r The row from SQLite.
 * @returns The row.
 */
export function historyRow(r: Record<string, unknown>): HistoryRow {
  return {
    instance: String(r.instance),
    path: String(r.path),
    t: Number(r.t),
    value: typeof r.value === "number"
      ? r.value
      : typeof r.text === "string"
      ? r.text
      : null,
    id: Number(r.id),
  };
}
