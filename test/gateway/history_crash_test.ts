import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { MAIN_PATH } from "../_helpers/cli.ts";
import { freePort } from "../_helpers/net.ts";

/** A child process with its stdout read line by line. */
interface Child {
  process: Deno.ChildProcess;
  /** Resolves with the first stdout line matching `re`. */
  waitFor(re: RegExp): Promise<RegExpExecArray>;
  stderr(): Promise<string>;
}

function spawn(args: string[]): Child {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", MAIN_PATH, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines = process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const err = new Response(process.stderr).text();
  return {
    process,
    async waitFor(re) {
      for (;;) {
        const m = re.exec(text);
        if (m) return m;
        const { value, done } = await lines.read();
        if (done) throw new Error(`stdout ended before ${re}: ${text}`);
        text += value;
      }
    },
    stderr: () => err,
  };
}

function historyRowsMetric(text: string): number {
  let n = 0;
  for (
    const m of text.matchAll(/^mbusgw_history_rows_total\{[^}]*\} (\d+)/gm)
  ) {
    n += Number(m[1]);
  }
  return n;
}

Deno.test("mbusgw run killed with SIGKILL mid-cycle keeps the history rows of reads done more than 1 s earlier", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-crash-" });
  const sim = spawn(["sim", "--tcp", "127.0.0.1:0"]);
  let gw: Child | undefined;
  try {
    const port = Number((await sim.waitFor(/listening tcp [\d.]+:(\d+)/))[1]);
    const dbPath = `${dir}/history.db`;
    // Six meters answer; twenty absent ones (500 ms timeout each) stretch the cycle to ~10 s.
    const present = [1, 2, 3, 4, 5, 6].map((a) => ({
      name: String(a),
      log: "always",
    }));
    const absent = Array.from(
      { length: 20 },
      (_, i) => ({ name: String(100 + i) }),
    );
    await Deno.writeTextFile(
      `${dir}/config.json`,
      JSON.stringify({
        api: { port: 0 },
        history: { path: dbPath },
        gateways: [{
          name: "heat",
          type: "tcp",
          host: "127.0.0.1",
          port,
          polling: 600_000,
          requestTimeout: 500,
          idleTimeout: 0,
          retry: 0,
          addresses: [...present, ...absent],
        }],
      }),
    );
    gw = spawn(["run", "--config", `${dir}/config.json`]);
    const url = (await gw.waitFor(/API at (http:\/\/[\d.]+:\d+)/))[1];
    // Scrape the rows handed to the store (scraping never flushes) until they have stood
    // still for 1.5 s: the meters that answer are read, the absent ones are timing out.
    let rows = 0;
    let since = performance.now();
    const deadline = performance.now() + 30_000;
    for (;;) {
      assert.ok(
        performance.now() < deadline,
        "the present meters were never read",
      );
      const now = historyRowsMetric(
        await (await fetch(`${url}/metrics`)).text(),
      );
      if (now !== rows) {
        rows = now;
        since = performance.now();
      } else if (rows > 0 && performance.now() - since >= 1500) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    gw.process.kill("SIGKILL");
    await gw.process.status;
    const db = new DatabaseSync(dbPath);
    const onDisk = Number(
      db.prepare("SELECT count(*) AS n FROM history").get()?.n,
    );
    db.close();
    assert.ok(rows > 0);
    assert.ok(
      onDisk >= rows,
      `${onDisk} rows on disk, ${rows} read > 1 s before the kill`,
    );
    const stderr = await gw.stderr();
    assert.doesNotMatch(
      stderr,
      /TimeoutOverflowWarning|request\.signal/,
      stderr,
    );
  } finally {
    if (gw) {
      try {
        gw.process.kill("SIGKILL");
      } catch { /* already gone */ }
      await gw.process.status;
      await gw.stderr();
      await gw.process.stdout.cancel().catch(() => {});
    }
    sim.process.kill("SIGTERM");
    await sim.process.status;
    await sim.stderr();
    await sim.process.stdout.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mbusgw run moves a damaged history file aside with one line on stderr and keeps running", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-corrupt-" });
  const dbPath = `${dir}/history.db`;
  await Deno.writeTextFile(dbPath, "not a database ".repeat(100));
  await Deno.writeTextFile(
    `${dir}/config.json`,
    JSON.stringify({
      api: { port: 0 },
      history: { path: dbPath },
      gateways: [{
        name: "heat",
        type: "tcp",
        host: "127.0.0.1",
        port: freePort(),
        polling: 600_000,
        addresses: [{ name: "1" }],
      }],
    }),
  );
  const gw = spawn(["run", "--config", `${dir}/config.json`]);
  try {
    const url = (await gw.waitFor(/API at (http:\/\/[\d.]+:\d+)/))[1];
    const res = await fetch(`${url}/api/instances`);
    assert.equal(res.status, 200);
    await res.body?.cancel();
  } finally {
    gw.process.kill("SIGTERM");
    await gw.process.status;
    await gw.process.stdout.cancel().catch(() => {});
  }
  try {
    const lines = (await gw.stderr()).split("\n").filter((l) =>
      l.includes("history")
    );
    assert.equal(lines.length, 1, lines.join("\n"));
    const moved = /moved it to "([^"]+)"/.exec(lines[0] ?? "")?.[1] ?? "";
    assert.match(
      lines[0] ?? "",
      /^mbusgw: history: ".*history\.db" is damaged/,
    );
    assert.equal(
      await Deno.readTextFile(moved),
      "not a database ".repeat(100),
    );
    const db = new DatabaseSync(dbPath);
    const ok = db.prepare("PRAGMA quick_check").get();
    db.close();
    assert.equal(ok?.quick_check, "ok");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
