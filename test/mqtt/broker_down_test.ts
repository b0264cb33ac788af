import assert from "node:assert/strict";
import { startBridged } from "./_setup.ts";
import { freePort, until } from "../_helpers/net.ts";

// A broker that is not running is an outage ("offline"), not a refusal of the gateway's
// credentials ("refused", README): the TCP "connect ECONNREFUSED" said "refused". And its
// retries are not news: one log line, not "offline" and "connecting" at every retry.
Deno.test("mqtt: a broker that is not running shows offline (not refused) with one log line over its retries", async () => {
  const port = freePort();
  const gw = await startBridged({
    mqtt: {
      url: `mqtt://127.0.0.1:${port}`,
      clientId: "gw-down",
      reconnectMs: 100,
      discovery: { enabled: false },
      storeAndForward: { path: ":memory:" },
    },
    addresses: ["1"],
  });
  try {
    await until(() => gw.bridge.stats.attempts >= 4, "retries");
    assert.notEqual(gw.bridge.stats.state, "refused");
    assert.match(gw.bridge.stats.lastError, /ECONNREFUSED/);
    const lines = gw.logs.filter((l) => l.startsWith("mqtt: "));
    assert.deepEqual(lines, [
      `mqtt: offline: connect ECONNREFUSED 127.0.0.1:${port} (mqtt://127.0.0.1:${port})`,
    ]);
  } finally {
    await gw.close();
  }
});
