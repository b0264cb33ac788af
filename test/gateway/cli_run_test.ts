import assert from "node:assert/strict";
import type { ApiBackend } from "../../src/api/mod.ts";
import type { GatewayHost } from "../../src/gateway/mod.ts";
import { freePort } from "../_helpers/net.ts";

const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;

// GatewayHost must satisfy the HTTP API's backend seam (a compile-time check).
const _backendCheck: (host: GatewayHost) => ApiBackend = (host) => host;

async function runCli(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

Deno.test("mbusgw run refuses an invalid config with one line naming the key (exit 2)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-cli-" });
  try {
    const path = `${dir}/bad.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        api: { port: 0 },
        gateways: [{ name: "heat", polling: "sometimes" }],
      }),
    );
    const r = await runCli(["run", "--config", path]);
    assert.equal(r.code, 2);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0] ?? "",
      /^mbusgw: .*gateways\[0\]\.polling.*"sometimes"/,
    );
    const missing = await runCli(["run", "--config", `${dir}/none.json`]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file/);
    const usage = await runCli(["run"]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--config/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mbusgw --simulate prints one line with the URL, serves the API and stops on SIGTERM", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    // No fixed port: the API on any free port, the bridge on one that was free just now.
    args: [
      "run",
      "-A",
      MAIN,
      "--simulate",
      "--port",
      "0",
      "--bridge-port",
      String(freePort()),
      "--polling",
      "2000",
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  try {
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
    assert.ok(url, text);
    const res = await fetch(`${url}/api/instances`);
    const body = await res.json();
    assert.equal(res.status, 200);
    assert.equal(JSON.stringify(body).includes('"sim"'), true);
  } finally {
    child.kill("SIGTERM");
    const rest = await reader.read();
    if (!rest.done) text += rest.value;
    await reader.cancel();
    const status = await child.status;
    const stderr = await new Response(child.stderr).text();
    assert.equal(status.code, 0, stderr);
  }
  assert.equal(text.trim().split("\n").length, 1, text);
});

Deno.test("mbusgw run names an unusable history path (exit 2)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-cli-" });
  try {
    const path = `${dir}/cfg.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        api: { port: 0 },
        history: { path: `${dir}/missing/dir/h.db` },
        gateways: [{ name: "a", host: "127.0.0.1", port: 1 }],
      }),
    );
    const r = await runCli(["run", "--config", path]);
    assert.equal(r.code, 2);
    assert.match(r.stderr.trim(), /^mbusgw: Cannot open history database/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
