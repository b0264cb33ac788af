import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { History, type HistoryRow } from "../../src/gateway/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";

function rows(n: number, t0: number): HistoryRow[] {
  return Array.from({ length: n }, (_, i) => ({
    instance: "heat",
    path: `%mbus:${1 + (i % 5)}/${i}`,
    t: t0 + i,
    value: i,
  }));
}

/** Rows on disk, counted through a second connection (what survives a crash). */
function onDisk(path: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return Number(db.prepare("SELECT count(*) AS n FROM history").get()?.n);
  } finally {
    db.close();
  }
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-history-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("History commits buffered rows flushDelayMs after the first one, without a cycle end", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/h.db`;
    const clock = new VirtualClock(0);
    const history = new History({ path, clock, flushDelayMs: 1000 });
    try {
      history.append(rows(3, 0));
      await clock.advance(400);
      history.append(rows(2, 400));
      await clock.advance(599);
      assert.equal(onDisk(path), 0, "committed before the delay");
      assert.equal(history.stats.queuedRows, 5);
      await clock.advance(1);
      assert.equal(onDisk(path), 5);
      assert.equal(history.stats.writtenRows, 5);
      assert.equal(history.stats.queuedRows, 0);
      assert.equal(clock.pending, 0, "an idle store keeps no timer");
      history.append(rows(1, 5000));
      await clock.advance(1000);
      assert.equal(onDisk(path), 6);
    } finally {
      history.close();
    }
  });
});

Deno.test("History keeps rows queued while the database is locked, drops the oldest past maxQueuedRows, and writes the rest once free", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/h.db`;
    const clock = new VirtualClock(0);
    const lines: string[] = [];
    const history = new History({
      path,
      clock,
      maxQueuedRows: 10,
      log: (l) => lines.push(l),
    });
    // Another writer holds the lock: every flush fails with SQLITE_BUSY, as on a stuck disk.
    const other = new DatabaseSync(path);
    other.exec("BEGIN EXCLUSIVE");
    try {
      history.append(rows(6, 0));
      history.flush();
      history.append(rows(6, 100));
      history.flush();
      const s = history.stats;
      assert.equal(s.failedFlushes, 2);
      assert.equal(s.queuedRows, 10);
      assert.equal(s.droppedRows, 2);
      assert.equal(s.writtenRows, 0);
      assert.equal(lines.length, 1, lines.join("\n"));
      assert.match(
        lines[0] ?? "",
        /^history: cannot write rows \(.*locked.*\)/,
      );
      other.exec("ROLLBACK");
      await clock.advance(1000);
      assert.equal(history.stats.writtenRows, 10);
      assert.equal(onDisk(path), 10);
      // The oldest two rows (t = 0, 1) were the ones dropped.
      const first = history.query({ limit: 1 })[0];
      assert.equal(first?.t, 2);
      assert.equal(lines.at(-1), "history: writing again");
    } finally {
      other.close();
      history.close();
    }
  });
});

Deno.test("History moves a damaged file aside with one log line and starts a new database", async () => {
  await withDir(async (dir) => {
    for (const kind of ["not a database", "damaged pages"]) {
      const path = `${dir}/${kind.replace(" ", "_")}.db`;
      if (kind === "not a database") {
        await Deno.writeTextFile(path, "garbage ".repeat(1000));
      } else {
        const h = new History({ path });
        h.append(rows(3000, 0));
        h.close();
        const f = await Deno.open(path, { read: true, write: true });
        await f.seek(4096 * 2, Deno.SeekMode.Start);
        await f.write(new Uint8Array(4096 * 3).fill(0x5a));
        f.close();
      }
      const lines: string[] = [];
      const history = new History({
        path,
        clock: new VirtualClock(Date.UTC(2026, 5, 1)),
        log: (l) => lines.push(l),
      });
      try {
        assert.equal(lines.length, 1, kind);
        assert.match(
          lines[0] ?? "",
          /^history: ".*" is damaged \(.+\); moved it to ".*\.corrupt-2026-06-01T00-00-00-000Z"/,
        );
        const moved = history.stats.movedAside ?? "";
        assert.ok((await Deno.stat(moved)).isFile, kind);
        history.append(rows(2, 0));
        assert.equal(history.count(), 2, kind);
      } finally {
        history.close();
      }
    }
  });
});

Deno.test("History opens a sound file without moving it and keeps its rows", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/h.db`;
    const a = new History({ path });
    a.append(rows(4, 0));
    a.close();
    const lines: string[] = [];
    const b = new History({ path, log: (l) => lines.push(l) });
    try {
      assert.equal(b.count(), 4);
      assert.deepEqual(lines, []);
      assert.equal(b.stats.movedAside, undefined);
      const files = [];
      for await (const e of Deno.readDir(dir)) files.push(e.name);
      assert.ok(files.every((f) => !f.includes("corrupt")), files.join());
    } finally {
      b.close();
    }
  });
});
