import assert from "node:assert/strict";
import { toHex } from "../../../src/util/mod.ts";
import { createSimulation } from "../../../sim/mod.ts";
import { freePort, until } from "../../_helpers/net.ts";
import { bridgedHost } from "./_bridged_host.ts";

// Polling skips SND_NKE for single-telegram meters whose FCB state the master knows. A
// bridge client may have moved a meter's FCB state on: when it gives the bus back, the
// gateway must start its next read of every meter with SND_NKE again.

const SND_NKE_1 = "1040014116";

Deno.test("after a bridge session the gateway resets each meter's link before reading it", async () => {
  const bus = createSimulation("demo");
  const monitor = bus.monitor();
  const bridgePort = freePort();
  await using rig = await bridgedHost(bus, bridgePort, 3_600_000);
  const { host, gateway: g } = rig;
  const heard = async () => toHex(await monitor.read(4096, 0));
  try {
    host.start();
    await until(() => g.metrics().reads === 1, "the first poll");
    assert.ok(
      (await heard()).includes(SND_NKE_1),
      "first contact resets the link",
    );
    await g.pollOnce();
    assert.ok(
      !(await heard()).includes(SND_NKE_1),
      "a known meter is read without SND_NKE",
    );

    const conn = await Deno.connect({
      hostname: "127.0.0.1",
      port: bridgePort,
    });
    try {
      await until(() => g.state === "bridged", "the bridge to take the bus");
      await conn.write(Uint8Array.of(0x10, 0x7b, 0x01, 0x7c, 0x16)); // REQ_UD2, FCB set
      const buf = new Uint8Array(512);
      assert.ok(((await conn.read(buf)) ?? 0) > 0);
    } finally {
      conn.close();
    }
    await until(() => g.state !== "bridged", "the bus to come back");
    await heard();
    await g.pollOnce();
    assert.ok(
      (await heard()).includes(SND_NKE_1),
      "the link is reset after the bridge",
    );
    assert.equal(g.metrics().readFailures, 0);
  } finally {
    await monitor.close();
  }
});
