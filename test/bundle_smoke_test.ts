import assert from "node:assert/strict";

// `deno compile` needs a runtime download this workplace cannot make; `deno bundle` walks the
// same static module graph, so a clean bundle that runs keeps the CLI compile-safe.
Deno.test("deno bundle of the CLI entry point builds and runs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/mbusgw.js`;
    const entry = new URL("../src/cli/main.ts", import.meta.url).pathname;
    const bundle = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--platform", "deno", "-o", out, entry],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(bundle.code, 0, new TextDecoder().decode(bundle.stderr));
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", out, "--help"],
      stdout: "piped",
      stderr: "piped",
      cwd: dir,
    }).output();
    const text = new TextDecoder().decode(run.stdout);
    assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
    assert.match(text, /^mbusgw \d+\.\d+\.\d+/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
