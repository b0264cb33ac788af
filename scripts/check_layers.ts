// deno-lint-ignore-file no-console
/**
 * Enforces the import directions of docs/architecture.md and keeps the codecs pure.
 *
 * Reads every `.ts` file under src/ and sim/, resolves its relative imports, and reports an
 * import that goes to a layer it may not use, any dynamic `import()` (compile safety), and
 * I/O, console, timers or wall-clock reads inside the pure codec folders.
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
  cli: [
    "util",
    "link",
    "app",
    "transport",
    "master",
    "wmbus",
    "gateway",
    "api",
    "sim",
    "fixtures",
  ],
  sim: ["util", "link", "app", "transport", "wmbus", "fixtures"],
};

/** Folders whose code must stay pure: no I/O, console, timers or wall clock. */
const PURE = ["src/util/", "src/link/", "src/app/"];
/** Files exempt from the purity rule, with the reason. */
const PURE_EXEMPT: Record<string, string> = {
  "src/util/clock.ts":
    "the real clock is the one place that reads the wall clock",
};
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

/**
 * Checks the tree below `root`.
 *
 * @param root The repository root.
 * @returns One line per violation; empty when clean.
 */
export async function checkLayers(root: string): Promise<string[]> {
  const problems: string[] = [];
  for (const top of ["src", "sim"]) {
    for await (const abs of walk(`${root}/${top}`)) {
      const path = abs.slice(root.length + 1);
      const layer = layerOf(path);
      if (!layer) continue;
      const text = await Deno.readTextFile(abs);
      if (DYNAMIC_RE.test(text.replace(/\/\/.*$/gm, ""))) {
        problems.push(`${path}: dynamic import() breaks deno compile`);
      }
      for (const m of text.matchAll(IMPORT_RE)) {
        const spec = m[1] ?? "";
        if (!spec.startsWith(".")) continue;
        const target = resolve(path, spec);
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
