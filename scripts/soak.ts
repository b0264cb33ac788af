// deno-lint-ignore-file no-console
/**
 * `deno task soak [--minutes N] [--fault-every S] [--clients N] [--rate R] [--routes I,J] [--keep]`: a real
 * `mbusgw run` gateway process (temp config, SQLite history file) polls a simulated TCP
 * bus (`mbusgw sim --tcp … --faults --live`, another real process) while faults are
 * injected on a schedule through the simulator's control channel and a few HTTP clients
 * load the API. Prints reads, faults injected, each recovery (fault end → the next good
 * read seen on the event stream), history rows counted vs on disk, RSS at start and end.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { parseArgs } from "node:util";

const ROOT = new URL("../", import.meta.url).pathname;
const MAIN = `${ROOT}src/cli/main.ts`;
const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    minutes: { type: "string", default: "10" },
    "fault-every": { type: "string", default: "15" },
    clients: { type: "string", default: "4" },
    rate: { type: "string", default: "0" },
    keep: { type: "boolean", default: false },
    routes: { type: "string" },
  },
});
const minutes = Number(args.minutes);
const faultEveryMs = Number(args["fault-every"]) * 1000;
const clients = Number(args.clients);
/** Requests per second per client; 0: as fast as the gateway answers. */
const rate = Number(args.rate);
if (!(minutes > 0) || !(faultEveryMs >= 3000) || !(clients >= 0)) {
  console.error(
    "soak: expected --minutes > 0, --fault-every ≥ 3, --clients ≥ 0",
  );
  Deno.exit(2);
}

/** Meter addresses of the demo scenario; every one logs every read. */
const ADDRESSES = ["1", "2", "3", "4", "5", "6", "10"];
/** The fault schedule, in turn (silence picks a meter). */
const SCHEDULE = [
  "drop",
  "stall 3000",
  "refuse 5000",
  "garbage 64",
  "slow 4000 5",
  "silence 2 5000",
];

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  return port;
}

/** Resident memory of a process in MB (`ps`: reading /proc of another process needs -A). */
async function rssMb(pid: number): Promise<number> {
  try {
    const out = await new Deno.Command("ps", {
      args: ["-o", "rss=", "-p", String(pid)],
      stdout: "piped",
      stderr: "null",
    }).output();
    const kb = Number(new TextDecoder().decode(out.stdout).trim());
    return kb > 0 ? kb / 1024 : NaN;
  } catch {
    return NaN;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function lines(s: ReadableStream<Uint8Array>): ReadableStream<string> {
  let rest = "";
  return s.pipeThrough(new TextDecoderStream()).pipeThrough(
    new TransformStream<string, string>({
      transform(chunk, c) {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop() ?? "";
        for (const p of parts) c.enqueue(p);
      },
    }),
  );
}

const dir = await Deno.makeTempDir({ prefix: "mbusgw-soak-" });

// --- the simulated bus, a real process with its fault control channel on stdin ---
const sim = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    MAIN,
    "sim",
    "--tcp",
    "127.0.0.1:0",
    "--live",
    "--faults",
  ],
  stdin: "piped",
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const simLines = lines(sim.stdout).getReader();
const listening = (await simLines.read()).value ?? "";
const simPort = Number(/listening tcp 127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);
if (!simPort) throw new Error(`soak: the simulator said "${listening}"`);
interface Fault {
  line: string;
  at: number;
  endedAt?: number;
  recoveredAt?: number;
}
const faults: Fault[] = [];
const simControl = sim.stdin.getWriter();
const simReading = (async () => {
  for (;;) {
    const { value, done } = await simLines.read();
    if (done) return;
    const m = /^fault (.+) (started|ended) (\d+)$/.exec(value);
    if (!m) continue;
    if (m[2] === "started") faults.push({ line: m[1] ?? "", at: Number(m[3]) });
    else {
      const f = faults.findLast((x) =>
        x.line === m[1] && x.endedAt === undefined
      );
      if (f) f.endedAt = Number(m[3]);
    }
  }
})();

// --- the gateway, a real `mbusgw run` process ---
const apiPort = freePort();
const historyPath = `${dir}/history.db`;
const config = {
  api: { host: "127.0.0.1", port: apiPort },
  history: { path: historyPath, retentionDays: 30 },
  gateways: [{
    name: "soak",
    type: "tcp",
    host: "127.0.0.1",
    port: simPort,
    polling: 1000,
    requestTimeout: 500,
    idleTimeout: 0,
    emitOnlyChanges: "cycle",
    addresses: ADDRESSES.map((name) => ({ name, log: "always" })),
  }],
};
await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify(config, null, 2));
const gateway = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    "--v8-flags=--max-semi-space-size=1",
    MAIN,
    "run",
    "--config",
    `${dir}/config.json`,
  ],
  stdout: "null",
  stderr: "piped",
}).spawn();
const base = `http://127.0.0.1:${apiPort}`;
for (let i = 0;; i++) {
  const ok = await fetch(`${base}/healthz`).then((r) =>
    r.body?.cancel().then(() => r.ok)
  )
    .catch(() => false);
  if (ok) break;
  if (i > 200) throw new Error("soak: the gateway did not start");
  await sleep(100);
}

// --- the event stream: good reads (valueChanged) and failures ---
let rowsSeen = 0;
let failuresSeen = 0;
const readsSeen = new Set<string>();
/** Good reads in arrival order: [read time, meter]. */
const goodReads: Array<[number, string]> = [];
const sse = await fetch(`${base}/events?types=valueChanged,readFailed`);
const sseReading = (async () => {
  let event = "";
  for await (const line of lines(sse.body ?? new ReadableStream()).values()) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:") && event === "valueChanged") {
      const e = JSON.parse(line.slice(5));
      rowsSeen++;
      const meter = /^%mbus\d*:(?:soak\/)?([^/]+)\//.exec(e.path)?.[1] ?? "?";
      const key = `${meter}@${e.timestamp}`;
      if (!readsSeen.has(key)) {
        readsSeen.add(key);
        goodReads.push([Date.parse(e.timestamp), meter]);
      }
    } else if (line.startsWith("data:") && event === "readFailed") {
      failuresSeen++;
    }
  }
})().catch(() => {});

// --- the API under load ---
let stopLoad = false;
const latencies: number[] = [];
let apiErrors = 0;
const ALL_ROUTES = [
  "/api/instances",
  "/api/instances/soak",
  "/api/instances/soak/values?address=1",
  "/metrics",
  `/api/history?instance=soak&address=%25mbus%3A1%2F0%2Fvalue&limit=100`,
];
/** `--routes 0,3`: only those of the list above (to find what a cost comes from). */
const routes = args.routes === undefined
  ? ALL_ROUTES
  : args.routes.split(",").map((i) =>
    ALL_ROUTES[Number(i)] ?? ALL_ROUTES[0] ?? "/"
  );
const load = Array.from({ length: clients }, async (_, c) => {
  for (let i = c; !stopLoad; i++) {
    const t0 = performance.now();
    try {
      const r = await fetch(`${base}${routes[i % routes.length]}`);
      await r.arrayBuffer();
      if (!r.ok) apiErrors++;
    } catch {
      apiErrors++;
    }
    const took = performance.now() - t0;
    latencies.push(took);
    if (rate > 0) await sleep(Math.max(0, 1000 / rate - took));
  }
});

async function metrics(): Promise<Record<string, number>> {
  const text = await fetch(`${base}/metrics`).then((r) => r.text()).catch(() =>
    ""
  );
  const out: Record<string, number> = {};
  for (
    const m of text.matchAll(
      /^(mbusgw_[a-z_]+)\{[^}]*instance="soak"[^}]*\} (\S+)$/gm,
    )
  ) {
    out[m[1] ?? ""] = Number(m[2]);
  }
  return out;
}

// --- run: warm up, then faults on a schedule ---
const pid = gateway.pid;
console.log(
  `soak: ${minutes} min, a fault every ${
    faultEveryMs / 1000
  } s, ${clients} API clients${
    rate > 0 ? ` at ${rate}/s each` : ""
  }; gateway pid ${pid}, simulator on 127.0.0.1:${simPort}, files in ${dir}`,
);
await sleep(5000);
const rssStart = await rssMb(pid);
const rssSamples: number[] = [rssStart];
const endAt = Date.now() + minutes * 60_000;
let next = 0;
while (Date.now() < endAt) {
  const line = SCHEDULE[next++ % SCHEDULE.length] ?? "drop";
  await simControl.write(new TextEncoder().encode(`${line}\n`));
  const wait = Math.min(faultEveryMs, endAt - Date.now());
  for (let t = 0; t < wait; t += 1000) {
    await sleep(Math.min(1000, wait - t));
    if (t % 10_000 === 0) rssSamples.push(await rssMb(pid));
  }
}
await sleep(3000); // the last fault's recovery
const rssEnd = await rssMb(pid);
stopLoad = true;
await Promise.all(load);
const last = await metrics();

// --- stop the gateway (SIGTERM: it flushes history), then count rows on disk ---
gateway.kill("SIGTERM");
const status = await gateway.status;
await sseReading;
const stderr = await new Response(gateway.stderr).text();
await simControl.close().catch(() => {});
sim.kill("SIGTERM");
await sim.status;
await simReading.catch(() => {});
const db = new DatabaseSync(historyPath, { readOnly: true });
const firstSeen = goodReads[0]?.[0] ?? 0;
const onDiskSinceStream = Number(
  (db.prepare(
    "SELECT COUNT(*) AS n FROM history WHERE instance = 'soak' AND t >= ?",
  ).get(firstSeen) as { n: number }).n,
);
const onDisk = Number(
  (db.prepare("SELECT COUNT(*) AS n FROM history WHERE instance = 'soak'")
    .get() as { n: number })
    .n,
);
db.close();

// --- recoveries: fault end → first good read after it (of the silenced meter for silence) ---
for (const f of faults) {
  if (f.endedAt === undefined) continue;
  const meter = /^silence (\d+)/.exec(f.line)?.[1];
  const end = f.endedAt;
  const hit = goodReads.find(([t, m]) =>
    t > end && (meter === undefined || m === meter)
  );
  if (hit) f.recoveredAt = hit[0];
}

const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
console.log(
  `\nreads: ${
    last.mbusgw_reads_total ?? "?"
  } by the gateway's counter, ${readsSeen.size} seen on the event stream; read failures ${
    last.mbusgw_read_failures_total ?? "?"
  } (${failuresSeen} readFailed events)`,
);
console.log(
  `link: connects ${last.mbusgw_link_connects_total ?? "?"}, disconnects ${
    last.mbusgw_link_disconnects_total ?? "?"
  }, attempts ${last.mbusgw_link_attempts_total ?? "?"}, offline ${
    last.mbusgw_link_offline_seconds_total ?? "?"
  } s`,
);
const kinds = new Map<string, number>();
for (const f of faults) {
  kinds.set(
    f.line.split(" ")[0] ?? "",
    (kinds.get(f.line.split(" ")[0] ?? "") ?? 0) + 1,
  );
}
console.log(
  `faults injected: ${faults.length} (${
    [...kinds].map(([k, n]) => `${k} ${n}`).join(", ")
  })`,
);
console.log("recoveries (fault end → next good read):");
for (const f of faults) {
  const ms = f.recoveredAt !== undefined && f.endedAt !== undefined
    ? f.recoveredAt - f.endedAt
    : NaN;
  console.log(
    `  ${new Date(f.at).toISOString().slice(11, 19)}  ${f.line.padEnd(16)} ${
      Number.isNaN(ms) ? "no good read after it" : `${ms} ms`
    }`,
  );
}
const times = faults.flatMap((f) =>
  f.recoveredAt !== undefined && f.endedAt !== undefined
    ? [f.recoveredAt - f.endedAt]
    : []
);
console.log(
  `  worst ${Math.max(...times)} ms, median ${
    [...times].sort((a, b) => a - b)[times.length >> 1]
  } ms, over 2 s: ${times.filter((t) => t > 2000).length}`,
);
console.log(
  `history rows: ${
    last.mbusgw_history_rows_total ?? "?"
  } counted by the gateway (last scrape), ${onDisk} on disk; since the first read on the event stream: ${rowsSeen} counted from reads, ${onDiskSinceStream} on disk (lost: ${
    rowsSeen - onDiskSinceStream
  })`,
);
console.log(
  `API: ${latencies.length} requests by ${clients} clients, ${apiErrors} errors, p50 ${
    pct(0.5).toFixed(1)
  } ms, p99 ${pct(0.99).toFixed(1)} ms`,
);
console.log(
  `gateway RSS: ${rssStart.toFixed(1)} MB at start, ${
    rssEnd.toFixed(1)
  } MB at the end (samples ${rssSamples.map((r) => r.toFixed(0)).join(" ")})`,
);
console.log(
  `gateway exit code ${status.code}${
    stderr.trim()
      ? `; stderr: ${stderr.trim().split("\n").slice(-3).join(" | ")}`
      : ""
  }`,
);
if (!args.keep) await Deno.remove(dir, { recursive: true });
