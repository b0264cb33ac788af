// deno-lint-ignore-file no-console
/**
 * Enforces the import directions of docs/architecture.md and keeps the codecs pure.
 *
 * Reads every `.ts` file under src/ and sim/, resolves its relative imports, and reports an
 * import that goes to a layer (or gateway room, {@link GATEWAY_ROOMS}) it may not use, an
 * import cycle (as the path of files), an import that enters a folder with a `mod.ts` other
 * than through that `mod.ts` (unless {@link MOD_EXCEPTIONS} names it, with the reason), any
 * dynamic `import()` (compile safety), and I/O, console, timers or wall-clock reads inside
 * the pure codec folders.
 *
 * Run: `deno run --allow-read scripts/check_layers.ts` (exit 1 on a violation).
 *
 * @module
 */

/** The layer a file belongs to: its first folder under src/, or `sim`. */
type Layer = string;

/** Which layers each layer may import (besides itself). */
export const ALLOWED: Readonly<Record<Layer, readonly Layer[]>> = {
  util: [],
  link: ["util"],
  app: ["util"],
  transport: ["util"],
  master: ["util", "link", "app", "transport"],
  wmbus: ["util", "app", "transport"],
  gateway: ["util", "link", "app", "transport", "master", "wmbus"],
  api: ["util", "link", "app", "transport", "master", "wmbus", "gateway"],
  mqtt: ["util", "app", "wmbus", "gateway"],
  cli: [
    "util",
    "link",
    "app",
    "transport",
    "master",
    "wmbus",
    "gateway",
    "api",
    "mqtt",
    "sim",
    "fixtures",
  ],
  sim: ["util", "link", "app", "transport", "wmbus", "fixtures"],
  // The web console runs in the browser: it talks to the API over HTTP, never imports it.
  web: [],
};

/** Folders whose code must stay pure: no I/O, console, timers or wall clock. */
const PURE = ["src/util/", "src/link/", "src/app/"];
/** Files exempt from the purity rule, with the reason. */
const PURE_EXEMPT: Record<string, string> = {
  "src/util/clock.ts":
    "the real clock is the one place that reads the wall clock",
};
/**
 * Imports allowed to enter a folder past its `mod.ts`: `importer -> target`, paths from the
 * repository root; an importer ending in `/` stands for every file in that folder. Each one
 * exists because going through the `mod.ts` would close an import cycle.
 */
export const MOD_EXCEPTIONS: Readonly<Record<string, string>> = {
  "src/gateway/config/ -> src/gateway/tree/meter_name.ts":
    "the config checks meter names; tree/mod.ts also exports the address tree, which imports the config",
  "src/gateway/config/ -> src/gateway/polling/ticks.ts":
    "the config checks schedules; polling/mod.ts also exports the scheduler, which imports the config",
};

/** The gateway's rooms (folders of src/gateway/) and the rooms each may import. */
export const GATEWAY_ROOMS: Readonly<Record<string, readonly string[]>> = {
  source: [],
  config: ["tree", "polling"], // only the leaf files of MOD_EXCEPTIONS
  tree: ["config", "source"],
  history: ["config", "source", "tree"],
  bridge: ["config", "source"],
  events: ["bridge", "source"],
  polling: ["config", "events", "history", "source", "tree"],
  scans: ["events", "source"],
  wired: ["source"],
  wireless: ["config", "source"],
  host: [
    "source",
    "config",
    "tree",
    "history",
    "bridge",
    "events",
    "polling",
    "scans",
    "wired",
    "wireless",
  ],
};

/** The gateway room of a path, if it is in one. */
function roomOf(path: string): string | undefined {
  return /^src\/gateway\/([a-z_]+)\//.exec(path)?.[1];
}

const IMPURE = [
  /\bDeno\.(?!test\b)[a-zA-Z]+/,
  /\bconsole\./,
  /\bsetTimeout\(/,
  /\bsetInterval\(/,
  /\bDate\.now\(/,
  /from "node:(?!util"|crypto")[a-z_]+"/,
];

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/g;
const DYNAMIC_RE = /\bimport\(\s*[^)]/;

function layerOf(path: string): Layer | undefined {
  const m = /^(?:src\/([a-z_]+)\/|(sim)\/|(fixtures)\/)/.exec(path);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

function resolve(from: string, spec: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const p of spec.split("/")) {
    if (p === "..") parts.pop();
    else if (p !== ".") parts.push(p);
  }
  return parts.join("/");
}

async function* walk(dir: string): AsyncGenerator<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = [];
    for await (const e of Deno.readDir(dir)) entries.push(e);
  } catch {
    return;
  }
  for (const e of entries) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) yield* walk(p);
    else if (e.isFile && p.endsWith(".ts")) yield p;
  }
}

/** One source file: its text and resolved relative imports. */
interface SourceFile {
  text: string;
  imports: { spec: string; target: string }[];
}

async function readTree(root: string): Promise<Map<string, SourceFile>> {
  const files = new Map<string, SourceFile>();
  for (const top of ["src", "sim"]) {
    for await (const abs of walk(`${root}/${top}`)) {
      const path = abs.slice(root.length + 1);
      const text = await Deno.readTextFile(abs);
      const imports = [...text.matchAll(IMPORT_RE)]
        .map((m) => m[1] ?? "")
        .filter((spec) => spec.startsWith("."))
        .map((spec) => ({ spec, target: resolve(path, spec) }));
      files.set(path, { text, imports });
    }
  }
  return new Map([...files].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/"));
}

/**
 * The mod.ts rule: an import that enters a folder holding a `mod.ts` (a folder the importer
 * is not inside) names that `mod.ts`.
 */
function modProblems(files: Map<string, SourceFile>): string[] {
  const rooms = new Set(
    [...files.keys()].filter((p) => p.endsWith("/mod.ts")).map(dirOf),
  );
  const problems: string[] = [];
  for (const [path, file] of files) {
    const from = dirOf(path);
    for (const { spec, target } of file.imports) {
      const to = dirOf(target);
      if (to === from || from.startsWith(`${to}/`)) continue;
      if (!rooms.has(to) || target === `${to}/mod.ts`) continue;
      const excepted = Object.keys(MOD_EXCEPTIONS).some((key) => {
        const [who, what] = key.split(" -> ");
        return what === target &&
          (who === path || (who?.endsWith("/") && path.startsWith(who)));
      });
      if (!excepted) {
        problems.push(
          `${path}: enters ${to}/ past its mod.ts ("${spec}"); import "${to}/mod.ts" or add an exception`,
        );
      }
    }
  }
  return problems;
}

/**
 * Import cycles among the files, one per tangle (strongly connected set of files): the
 * shortest cycle through its first file, as a path list.
 */
export function findCycles(graph: Map<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const tangles: string[][] = [];
  const visit = (v: string): void => {
    const own = index.size;
    index.set(v, own);
    let lowest = own;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        lowest = Math.min(lowest, low.get(w) ?? lowest);
      } else if (onStack.has(w)) {
        lowest = Math.min(lowest, index.get(w) ?? lowest);
      }
    }
    low.set(v, lowest);
    if (lowest !== own) return;
    const tangle: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      tangle.push(w);
      if (w === v) break;
    }
    const selfLoop = (graph.get(v) ?? []).includes(v);
    if (tangle.length > 1 || selfLoop) tangles.push(tangle.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return tangles.map((tangle) => shortestCycle(graph, tangle));
}

/** The shortest cycle from the first file of a tangle back to it. */
function shortestCycle(
  graph: Map<string, readonly string[]>,
  tangle: string[],
): string[] {
  const start = tangle[0] ?? "";
  const inside = new Set(tangle);
  const prev = new Map<string, string>();
  const queue = [start];
  for (const v of queue) {
    for (const w of graph.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [v, start];
        for (let u = prev.get(v); u !== undefined; u = prev.get(u)) {
          path.unshift(u);
        }
        return path;
      }
      if (!prev.has(w) && w !== start) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/**
 * Checks the tree below `root`.
 *
 * @param root The repository root.
 * @returns One line per violation; empty when clean.
 */
export async function checkLayers(root: string): Promise<string[]> {
  const problems: string[] = [];
  const files = await readTree(root);
  for (const [path, { text, imports }] of files) {
    const layer = layerOf(path);
    if (!layer) continue;
    if (DYNAMIC_RE.test(text.replace(/\/\/.*$/gm, ""))) {
      problems.push(`${path}: dynamic import() breaks deno compile`);
    }
    for (const { spec, target } of imports) {
      const room = roomOf(path);
      const toRoom = roomOf(target);
      if (room && toRoom && room !== toRoom) {
        const allowed = GATEWAY_ROOMS[room];
        if (!allowed) {
          problems.push(
            `${path}: gateway room ${room}/ is not in GATEWAY_ROOMS`,
          );
        } else if (!allowed.includes(toRoom)) {
          problems.push(
            `${path}: gateway room ${room}/ may not import ${toRoom}/ ("${spec}")`,
          );
        }
      }
      const to = layerOf(target);
      if (!to || to === layer) continue;
      if (!(ALLOWED[layer] ?? []).includes(to)) {
        problems.push(`${path}: ${layer} may not import ${to} ("${spec}")`);
      }
    }
    if (PURE.some((p) => path.startsWith(p)) && !(path in PURE_EXEMPT)) {
      const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(
        /\/\/.*$/gm,
        "",
      );
      for (const re of IMPURE) {
        const hit = re.exec(code);
        if (hit) problems.push(`${path}: pure layer uses ${hit[0]}`);
      }
    }
  }
  problems.push(...modProblems(files));
  const graph = new Map(
    [...files].map(([path, f]) => [path, f.imports.map((i) => i.target)]),
  );
  for (const cycle of findCycles(graph)) {
    problems.push(`import cycle: ${cycle.join(" -> ")}`);
  }
  return problems;
}

if (import.meta.main) {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const problems = await checkLayers(root);
  for (const p of problems) console.error(p);
  console.log(
    problems.length === 0 ? "layers ok" : `${problems.length} violation(s)`,
  );
  Deno.exit(problems.length === 0 ? 0 : 1);
}
