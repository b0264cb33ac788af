import assert from "node:assert/strict";
import { createSimulation } from "../../sim/mod.ts";
import { ConfigError } from "../../src/util/mod.ts";

// A scenario file naming a meter fixture that does not exist says which ones do; an
// inherited name ("toString") is unknown too, not a function taken for a fixture.
Deno.test("createSimulation: an unknown meter fixture is named with the known ones", () => {
  for (const meter of ["nosuch", "toString", "__proto__"]) {
    assert.throws(
      () =>
        createSimulation({
          name: "x",
          meters: [{ meter, primaryAddress: 1 }],
        }),
      (e) => {
        assert.ok(e instanceof ConfigError, String(e));
        assert.match(
          e.message,
          new RegExp(
            `^Cannot create meter: no fixture named "${meter}" \\(known: .*kamstrup_multical_403.*\\)$`,
          ),
        );
        return true;
      },
    );
  }
});
