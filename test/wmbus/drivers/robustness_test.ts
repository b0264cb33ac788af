/**
 * Robustness: every driver, given random or truncated payloads under every CI kind,
 * returns a result (ok, or a typed error) and never throws.
 */
import assert from "node:assert/strict";
import {
  createMeterState,
  decodeWithDriver,
  DRIVER_NAMES,
} from "../../../src/wmbus/drivers/mod.ts";
import { fromHex } from "../../../src/util/mod.ts";
import { telegram } from "./_telegram.ts";

const CIS = [0x7a, 0x72, 0x78, 0x79, 0xa0, 0xa1, 0xa2];

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) >>> 24;
}

Deno.test("every driver survives random payloads under every CI kind", () => {
  const rnd = prng(7);
  for (const driver of DRIVER_NAMES) {
    const state = createMeterState();
    for (let n = 0; n < 60; n++) {
      const payload = Uint8Array.from({ length: rnd() % 80 }, rnd);
      const raw = Uint8Array.from({ length: rnd() % 40 }, rnd);
      const ci = CIS[n % CIS.length] ?? 0x7a;
      const t = { ...telegram("", { ci, raw, status: rnd() }), payload };
      const r = decodeWithDriver(t, { driver, state });
      assert.equal(typeof r.ok, "boolean");
      if (!r.ok) {
        assert.match(
          r.error?.code ?? "",
          /^[A-Z_]+$/,
          `${driver}: ${JSON.stringify(r.error)}`,
        );
      }
    }
  }
});

Deno.test("every prefix of a full frame decodes without throwing", () => {
  const full = fromHex(
    "2F2F 0406 A5000000 04FF07 2B010000 0414 21020000 043B 12000000 0259 D014 025D 0009 " +
      "04FF22 00000000 426C 9F2C 4406 10000000 0F 0102",
  );
  for (const driver of DRIVER_NAMES) {
    for (let len = 0; len <= full.length; len++) {
      const t = { ...telegram(""), payload: full.subarray(0, len) };
      const out = decodeWithDriver(t, { driver });
      assert.ok(out.ok || typeof out.error?.code === "string", driver);
    }
  }
});

Deno.test("a truncated record yields a typed error when nothing could be read", () => {
  const r = decodeWithDriver(telegram("0413 0100"), { driver: "kamheat" });
  assert.equal(r.ok, false);
  assert.equal(r.error?.code, "TRUNCATED_RECORD");
});
