import assert from "node:assert/strict";
import type { Gateway } from "../../../src/gateway/mod.ts";
import { createSimulation } from "../../../sim/mod.ts";
import { freePort, until } from "../../_helpers/net.ts";
import { bridgedHost } from "./_bridged_host.ts";

// libmbus's own TCP tools through the bridge, right after the gateway polled the meters
// (issue 12 item 7). Without the link reset before the client gets the bus, the tool's
// first REQ_UD2 (C = 7B) is taken as a repeat: the 7-telegram controller hands it its last
// telegram only. Each multi-telegram run costs libmbus's 4 s silences.

const TOOLS = new URL("../../../../shared/tools/libmbus/", import.meta.url)
  .pathname;

function toolMissing(): string | undefined {
  try {
    Deno.statSync(`${TOOLS}mbus-tcp-request-data-multi-reply`);
    return undefined;
  } catch {
    return `libmbus tools not found in ${TOOLS}`;
  }
}

const missing = toolMissing();
// deno-lint-ignore no-console
if (missing) console.log(`skipping libmbus bridge test: ${missing}`);

/** Waits for two more polls, then runs a libmbus tool on meter `address` through the bridge. */
async function afterPolling(
  g: Gateway,
  tool: string,
  bridgePort: number,
  address: string,
): Promise<string> {
  const before = g.metrics().reads;
  await until(
    () => g.metrics().reads >= before + 2,
    "the gateway to poll",
    3000,
  );
  const out = await new Deno.Command(`${TOOLS}${tool}`, {
    args: ["127.0.0.1", String(bridgePort), address],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout);
}

Deno.test({
  name:
    "libmbus reads the 7-telegram controller whole through the bridge, twice, right after polling",
  ignore: missing !== undefined,
  async fn() {
    const bridgePort = freePort();
    await using rig = await bridgedHost(
      createSimulation("demo"),
      bridgePort,
      300,
      {
        meters: ["1", "10"],
        idleLimitMs: 30_000,
      },
    );
    const g = rig.gateway;
    rig.host.start();
    for (let run = 1; run <= 2; run++) {
      const xml = await afterPolling(
        g,
        "mbus-tcp-request-data-multi-reply",
        bridgePort,
        "10",
      );
      const records = xml.match(/<DataRecord id=/g)?.length ?? 0;
      // The controller holds 179 data records over 7 telegrams; one telegram has ~26.
      assert.ok(records >= 179, `run ${run}: libmbus got ${records} records`);
    }
    assert.equal(g.metrics().readFailures, 0);
  },
});

Deno.test({
  name:
    "libmbus reads a single-telegram meter through the bridge twice and gets fresh data each time",
  ignore: missing !== undefined,
  async fn() {
    const bridgePort = freePort();
    await using rig = await bridgedHost(
      createSimulation("demo"),
      bridgePort,
      300,
      {
        idleLimitMs: 30_000,
      },
    );
    rig.host.start();
    const access: number[] = [];
    for (let run = 1; run <= 2; run++) {
      const xml = await afterPolling(
        rig.gateway,
        "mbus-tcp-request-data",
        bridgePort,
        "1",
      );
      const n = /<AccessNumber>(\d+)<\/AccessNumber>/.exec(xml);
      assert.ok(n, `run ${run}: no answer: ${xml.slice(0, 200)}`);
      access.push(Number(n[1]));
    }
    // A repeat of an earlier answer would carry an access number seen before.
    assert.notEqual(access[0], access[1], `access numbers ${access}`);
  },
});
