import assert from "node:assert/strict";
import { ConfigError } from "../../src/util/mod.ts";
import { parseConfig } from "../../src/gateway/mod.ts";

// A required key that is absent is named as missing, not as "undefined is not allowed".
Deno.test("parseConfig: a missing required key says 'missing' and what is expected", () => {
  const cases: [unknown, string, RegExp][] = [
    [
      {},
      "gateways",
      /^Invalid config at "gateways": missing; expected a non-empty array/,
    ],
    [
      { gateways: [{ name: "a", type: "serial" }] },
      "gateways[0].serialPort",
      /^Invalid config at "gateways\[0\]\.serialPort" \(instance "a"\): missing; expected a device path/,
    ],
    [
      { gateways: [{ host: "x" }] },
      "gateways[0].name",
      /: missing; expected a letter/,
    ],
  ];
  for (const [json, path, message] of cases) {
    assert.throws(() => parseConfig(json), (e) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.path, path);
      assert.match(e.message, message);
      assert.doesNotMatch(e.message, /undefined/);
      return true;
    });
  }
  // A present bad value still shows the value.
  assert.throws(
    () => parseConfig({ gateways: [{ name: "a", port: 99999 }] }),
    /: 99999 is not allowed; expected an integer from 1 to 65535/,
  );
});
