/**
 * Opens the history database with an integrity check. A file that SQLite reports as damaged
 * (`PRAGMA quick_check` not "ok", SQLITE_CORRUPT or SQLITE_NOTADB) is renamed aside with its
 * WAL and shared-memory files, one log line says where it went, and a fresh database takes
 * its place: a gateway keeps logging after a power cut damaged its SD card, and the old
 * rows stay on disk for a repair attempt (`sqlite3 … .recover`).
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { renameSync, statSync } from "node:fs";

/** SQLite result codes of a damaged file. */
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

/** What {@link openHistoryDb} found. */
export interface OpenedDb {
  /** The open database, in WAL mode. */
  db: DatabaseSync;
  /** Where a damaged file was moved, if one was. */
  movedTo?: string;
}

function isCorruption(e: unknown): boolean {
  const code = (e as { errcode?: unknown } | null)?.errcode;
  return code === SQLITE_CORRUPT || code === SQLITE_NOTADB;
}

/**
 * Runs `PRAGMA quick_check`.
 *
 * @returns undefined when the file is sound, otherwise SQLite's first complaint.
 */
function damage(db: DatabaseSync): string | undefined {
  try {
    const rows = db.prepare("PRAGMA quick_check").all();
    const first = rows[0] ? String(Object.values(rows[0])[0]) : "no answer";
    return rows.length === 1 && first === "ok" ? undefined : first;
  } catch (e) {
    if (isCorruption(e)) return e instanceof Error ? e.message : String(e);
    throw e;
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function configure(db: DatabaseSync): void {
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
}

/**
 * Opens `path` (or `:memory:`), checking an existing file first.
 *
 * @param path The SQLite file.
 * @param nowMs Time stamp for the name of a file moved aside.
 * @param log Receives one line when a damaged file is moved aside.
 * @returns The database and, when it happened, where the damaged file went.
 * @throws When the file cannot be opened at all (a missing directory, no permission).
 */
export function openHistoryDb(
  path: string,
  nowMs: number,
  log?: (line: string) => void,
): OpenedDb {
  const db = new DatabaseSync(path);
  if (path === ":memory:" || path === "") {
    configure(db);
    return { db };
  }
  const problem = damage(db);
  if (problem === undefined) {
    configure(db);
    return { db };
  }
  db.close();
  const stamp = new Date(nowMs).toISOString().replace(/[:.]/g, "-");
  const movedTo = `${path}.corrupt-${stamp}`;
  for (const suffix of ["-wal", "-shm", ""]) {
    if (exists(path + suffix)) renameSync(path + suffix, movedTo + suffix);
  }
  log?.(
    `history: "${path}" is damaged (${problem}); moved it to "${movedTo}" and started a new database`,
  );
  const fresh = new DatabaseSync(path);
  configure(fresh);
  return { db: fresh, movedTo };
}
