import assert from "node:assert/strict";
import { MAIN_PATH } from "../_helpers/cli.ts";
import { freePort } from "../_helpers/net.ts";

// The demo's console shows values that update live: the wired meters' counters must grow
// between readings (they stood still, so the demo's pages and /events never changed).
Deno.test("mbusgw --simulate: a meter's counter grows from one fresh read to the next", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--no-check",
      MAIN_PATH,
      "--simulate",
      "--port",
      "0",
      "--bridge-port",
      String(freePort()),
      "--no-wireless",
      "--polling",
      "60000",
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    let text = "";
    while (!/Open (\S+)\//.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    const url = /Open (\S+)\//.exec(text)?.[1];
    assert.ok(url, text);
    const energy = async () => {
      const r = await fetch(`${url}/api/instances/sim/read`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ address: "1" }),
      });
      const body = await r.json();
      assert.equal(r.status, 200, JSON.stringify(body));
      return body.reading.records[0].value as number;
    };
    const first = await energy();
    const second = await energy();
    assert.ok(second > first, `energy ${first} -> ${second}`);
  } finally {
    child.kill("SIGTERM");
    await reader.cancel().catch(() => {});
    await child.status;
  }
});
