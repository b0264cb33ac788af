/**
 * `POST …/set-baudrate` over real HTTP, through a TCP converter (the simulated demo bus
 * behind a real TCP endpoint): the meter acknowledges the switch at the old rate, then the
 * check at the new rate gets no answer, because a converter's serial side keeps its own
 * rate. The 504 says so and what to do, not only that no answer came.
 */
import assert from "node:assert/strict";
import { tcpApi } from "./_sim_api.ts";

Deno.test({
  name:
    "set-baudrate through a TCP converter: the 504 NO_RESPONSE says the meter acknowledged and may now talk at the new rate only",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using api = await tcpApi(["1"]);
    api.host.start();
    const res = await fetch(`${api.url}/api/instances/bus/set-baudrate`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ address: "1", baudRate: 9600, confirm: true }),
    });
    const body = await res.json() as {
      error: { code: string; message: string };
    };
    assert.equal(res.status, 504, JSON.stringify(body));
    assert.equal(body.error.code, "NO_RESPONSE");
    const m = body.error.message;
    assert.match(m, /^Meter 1 acknowledged the switch to 9600 Bd/);
    assert.match(m, /may now talk at 9600 Bd only/);
    assert.match(
      m,
      /a TCP converter keeps its own rate: set its serial side to 9600 Bd/,
    );
    assert.ok(!m.includes("\n"), "one line");
  },
});
