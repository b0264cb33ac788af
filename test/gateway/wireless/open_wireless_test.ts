import assert from "node:assert/strict";
import { ConfigError } from "../../../src/util/mod.ts";
import { parseReceiverPort } from "../../../src/gateway/mod.ts";
import { createWirelessSimulation } from "../../../sim/mod.ts";

for (
  const [text, expected] of [
    ["/dev/ttyUSB0", { kind: "serial", path: "/dev/ttyUSB0" }],
    ["im871a:/dev/ttyUSB0", {
      kind: "serial",
      path: "/dev/ttyUSB0",
      format: "im871a",
    }],
    ["amb8465:/dev/ttyACM1", {
      kind: "serial",
      path: "/dev/ttyACM1",
      format: "amb8465",
    }],
    ["tcp://127.0.0.1:9999", {
      kind: "tcp",
      host: "127.0.0.1",
      port: 9999,
      format: "rtlwmbus",
    }],
    ["im871a:tcp://bridge.local:4001", {
      kind: "tcp",
      host: "bridge.local",
      port: 4001,
      format: "im871a",
    }],
  ] as const
) {
  Deno.test(`parseReceiverPort() reads "${text}"`, () => {
    assert.deepEqual(parseReceiverPort(text), expected);
  });
}

for (const text of ["foo:/dev/ttyUSB0", "tcp://host", "tcp://:80", "im871a:"]) {
  Deno.test(`parseReceiverPort() refuses "${text}" with a ConfigError`, () => {
    assert.throws(() => parseReceiverPort(text), ConfigError);
  });
}

Deno.test("WirelessSimulation.addressConfig() lists every meter with its key", () => {
  const air = createWirelessSimulation();
  const rows = air.addressConfig({ log: "update" });
  assert.equal(rows.length, 4);
  assert.deepEqual(
    rows.filter((r) => "key" in r).map((r) => r.name),
    ["31000004"],
  );
  assert.ok(rows.every((r) => r.log === "update"));
});
