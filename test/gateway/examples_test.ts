import assert from "node:assert/strict";
import { parseConfig } from "../../src/gateway/mod.ts";
import full from "../../examples/mbusgw.json" with { type: "json" };
import minimal from "../../examples/minimal.json" with { type: "json" };
import mqtt from "../../examples/mqtt.json" with { type: "json" };
import simulator from "../../examples/simulator.json" with { type: "json" };

for (const [name, json] of Object.entries({ full, minimal, mqtt, simulator })) {
  Deno.test(`parseConfig() accepts the example "${name}"`, () => {
    const c = parseConfig(json);
    assert.ok(c.gateways.length >= 1);
  });
}
