import assert from "node:assert/strict";
import { toJson } from "../../src/api/mod.ts";
import { MbusError } from "../../src/util/mod.ts";

Deno.test("toJson() removes keys at any depth and says they exist", () => {
  const out = toJson({
    addresses: [{ name: "1", key: "000102", driver: "x" }, {
      name: "2",
      key: "",
    }],
    meta: new Map<string, unknown>([["token", "t"], ["other", 1]]),
  });
  assert.deepEqual(out, {
    addresses: [{ name: "1", hasKey: true, driver: "x" }, { name: "2" }],
    meta: { hasToken: true, other: 1 },
  });
  assert.ok(!JSON.stringify(out).includes("000102"));
});

Deno.test("toJson() gives bigints, bytes, dates, errors and non-finite numbers a JSON shape", () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  assert.deepEqual(
    toJson({
      small: 5n,
      big: 2n ** 64n,
      bytes: Uint8Array.of(0xde, 0xad),
      at: new Date(0),
      bad: new Date(Number.NaN),
      err: new MbusError("NO_RESPONSE", "silent"),
      nan: Number.NaN,
      fn: () => 1,
      undef: undefined,
      set: new Set([1, 2]),
      cyclic,
    }),
    {
      small: 5,
      big: "18446744073709551616",
      bytes: "dead",
      at: "1970-01-01T00:00:00.000Z",
      bad: null,
      err: { code: "NO_RESPONSE", message: "silent" },
      nan: null,
      set: [1, 2],
      cyclic: { a: 1, self: null },
    },
  );
});

Deno.test("toJson() uses toJSON() and still redacts what it returns", () => {
  const job = { toJSON: () => ({ id: "1", key: "secret" }) };
  assert.deepEqual(toJson(job), { id: "1", hasKey: true });
});
