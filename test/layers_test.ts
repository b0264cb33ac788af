import assert from "node:assert/strict";
import { checkLayers } from "../scripts/check_layers.ts";

Deno.test("checkLayers() finds no upward import, dynamic import or impure codec", async () => {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  assert.deepEqual(await checkLayers(root), []);
});

Deno.test("checkLayers() reports a forbidden import and a dynamic import", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/src/link`, { recursive: true });
    await Deno.writeTextFile(
      `${root}/src/link/bad.ts`,
      'import { x } from "../gateway/mod.ts";\nconst m = await import("./y.ts");\nconsole.log(x, m);\n',
    );
    const problems = await checkLayers(root);
    assert.equal(problems.length, 3, problems.join("\n"));
    assert.match(problems.join("\n"), /link may not import gateway/);
    assert.match(problems.join("\n"), /dynamic import/);
    assert.match(problems.join("\n"), /pure layer uses console\./);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
