import assert from "node:assert/strict";
import { CI_BAUD_RATES } from "../../src/link/mod.ts";
import { BAUD_RATES } from "../../src/transport/mod.ts";

Deno.test("BAUD_RATES (transport) equals CI_BAUD_RATES (link), rate for rate in code order", () => {
  assert.deepEqual([...BAUD_RATES], [...CI_BAUD_RATES]);
});
