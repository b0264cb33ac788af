import assert from "node:assert/strict";
import { checkLayers, findCycles } from "../scripts/check_layers.ts";

/** Writes a synthetic tree (path -> text) in a temp dir, checks it, removes it. */
async function check(files: Record<string, string>): Promise<string[]> {
  const root = await Deno.makeTempDir();
  try {
    for (const [path, text] of Object.entries(files)) {
      await Deno.mkdir(`${root}/${path.slice(0, path.lastIndexOf("/"))}`, {
        recursive: true,
      });
      await Deno.writeTextFile(`${root}/${path}`, text);
    }
    return await checkLayers(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("checkLayers() finds no upward import, cycle, mod.ts bypass, dynamic import or impure codec", async () => {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  assert.deepEqual(await checkLayers(root), []);
});

Deno.test("checkLayers() reports a forbidden import and a dynamic import", async () => {
  const problems = await check({
    "src/link/bad.ts":
      'import { x } from "../gateway/mod.ts";\nconst m = await import("./y.ts");\nconsole.log(x, m);\n',
  });
  assert.equal(problems.length, 3, problems.join("\n"));
  assert.match(problems.join("\n"), /link may not import gateway/);
  assert.match(problems.join("\n"), /dynamic import/);
  assert.match(problems.join("\n"), /pure layer uses console\./);
});

Deno.test("checkLayers() reports an import cycle as the path of its files", async () => {
  const problems = await check({
    "src/gateway/a.ts": 'import { b } from "./b.ts";\nexport const a = b;\n',
    "src/gateway/b.ts":
      'import type { C } from "./deep/c.ts";\nexport const b = 1 as C;\n',
    "src/gateway/deep/c.ts":
      'import { a } from "../a.ts";\nexport type C = typeof a;\n',
    "sim/x.ts": 'export { y } from "./y.ts";\n',
    "sim/y.ts": 'export { x } from "./x.ts";\nexport const y = 1;\n',
  });
  assert.deepEqual(problems, [
    "import cycle: sim/x.ts -> sim/y.ts -> sim/x.ts",
    "import cycle: src/gateway/a.ts -> src/gateway/b.ts -> src/gateway/deep/c.ts -> src/gateway/a.ts",
  ]);
});

Deno.test("checkLayers() accepts a diamond of imports (no cycle)", async () => {
  const problems = await check({
    "src/util/a.ts":
      'export { b } from "./b.ts";\nexport { c } from "./c.ts";\n',
    "src/util/b.ts": 'import { c } from "./c.ts";\nexport const b = c;\n',
    "src/util/c.ts": "export const c = 1;\n",
  });
  assert.deepEqual(problems, []);
});

Deno.test("checkLayers() requires entering a folder with a mod.ts through it", async () => {
  const problems = await check({
    "src/app/room/mod.ts": 'export * from "./inner.ts";\n',
    "src/app/room/inner.ts": "export const inner = 1;\n",
    "src/app/room/sub/deep.ts":
      'import { inner } from "../inner.ts";\nexport const deep = inner;\n',
    "src/app/plain/file.ts": "export const plain = 1;\n",
    "src/app/user/bad.ts":
      'import { inner } from "../room/inner.ts";\nexport const bad = inner;\n',
    "src/app/user/good.ts":
      'import { inner } from "../room/mod.ts";\nimport { plain } from "../plain/file.ts";\nexport const good = inner + plain;\n',
    "src/api/bad.ts":
      'import { inner } from "../app/room/inner.ts";\nexport const x = inner;\n',
  });
  assert.deepEqual(problems, [
    'src/api/bad.ts: enters src/app/room/ past its mod.ts ("../app/room/inner.ts"); import "src/app/room/mod.ts" or add an exception',
    'src/app/user/bad.ts: enters src/app/room/ past its mod.ts ("../room/inner.ts"); import "src/app/room/mod.ts" or add an exception',
  ]);
});

Deno.test("checkLayers() lets the written-down exceptions past a mod.ts, and no one else", async () => {
  const problems = await check({
    "src/gateway/tree/mod.ts": 'export * from "./meter_name.ts";\n',
    "src/gateway/tree/meter_name.ts": "export const name = 1;\n",
    "src/gateway/config/schema.ts":
      'import { name } from "../tree/meter_name.ts";\nexport const s = name;\n',
    "src/gateway/host/h.ts":
      'import { name } from "../tree/meter_name.ts";\nexport const h = name;\n',
  });
  assert.deepEqual(problems, [
    'src/gateway/host/h.ts: enters src/gateway/tree/ past its mod.ts ("../tree/meter_name.ts"); import "src/gateway/tree/mod.ts" or add an exception',
  ]);
});

Deno.test("findCycles() gives one shortest cycle per tangle, and a self-import", () => {
  const graph = new Map<string, string[]>([
    ["a", ["b"]],
    ["b", ["c", "a"]],
    ["c", ["a"]],
    ["d", ["d"]],
    ["e", ["a", "missing"]],
  ]);
  assert.deepEqual(findCycles(graph), [["a", "b", "a"], ["d", "d"]]);
});

Deno.test("checkLayers() holds gateway rooms to the rooms they may import", async () => {
  const problems = await check({
    "src/gateway/source/mod.ts": "export const s = 1;\n",
    "src/gateway/host/mod.ts": "export const h = 1;\n",
    "src/gateway/scans/mod.ts": 'export { s } from "../source/mod.ts";\n',
    "src/gateway/source/bad.ts":
      'import { h } from "../host/mod.ts";\nexport const bad = h;\n',
    "src/gateway/attic/mod.ts": 'export { s } from "../source/mod.ts";\n',
  });
  assert.deepEqual(problems, [
    "src/gateway/attic/mod.ts: gateway room attic/ is not in GATEWAY_ROOMS",
    'src/gateway/source/bad.ts: gateway room source/ may not import host/ ("../host/mod.ts")',
  ]);
});
