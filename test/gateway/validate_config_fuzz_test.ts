import assert from "node:assert/strict";
import { ConfigError } from "../../src/util/mod.ts";
import { parseConfig, parseMbusPath } from "../../src/gateway/mod.ts";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  "name",
  "host",
  "port",
  "polling",
  "type",
  "addresses",
  "scale",
  "log",
  "cluster",
  "retry",
  "emitOnlyChanges",
  "serialPort",
  "serialBaudRate",
  "legacyDriver",
  "key",
  "gateways",
  "api",
  "x",
];
const ATOMS: unknown[] = [
  0,
  1,
  -1,
  250,
  251,
  2400,
  1.5,
  "",
  "1",
  "heat",
  "0 * * * *",
  "* *",
  true,
  false,
  null,
  "12345678",
];

function randomValue(r: () => number, depth: number): unknown {
  const k = r();
  if (depth > 3 || k < 0.5) return ATOMS[Math.floor(r() * ATOMS.length)];
  if (k < 0.75) {
    return Array.from(
      { length: Math.floor(r() * 3) },
      () => randomValue(r, depth + 1),
    );
  }
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 4); i > 0; i--) {
    o[KEYS[Math.floor(r() * KEYS.length)] ?? "x"] = randomValue(r, depth + 1);
  }
  return o;
}

function mutate(r: () => number): unknown {
  const base: Record<string, unknown> = {
    name: "heat",
    host: "h",
    polling: 1000,
    addresses: [{ name: "1", scale: 2 }, { name: "2", log: "update" }],
  };
  const key = KEYS[Math.floor(r() * KEYS.length)] ?? "x";
  if (r() < 0.5) base[key] = randomValue(r, 2);
  else {(base.addresses as Record<string, unknown>[])[0] = {
      name: "1",
      [key]: randomValue(r, 2),
    };}
  return { gateways: [base] };
}

Deno.test("parseConfig() throws only ConfigError on 20,000 random and mutated configs", () => {
  const r = rng(42);
  let accepted = 0;
  for (let i = 0; i < 20_000; i++) {
    const json = i % 2 === 0 ? randomValue(r, 0) : mutate(r);
    try {
      parseConfig(json);
      accepted++;
    } catch (e) {
      assert.ok(
        e instanceof ConfigError,
        `case ${i}: ${String(e)} for ${JSON.stringify(json)}`,
      );
      assert.ok(e.path.length > 0 && !e.message.includes("\n"));
    }
  }
  assert.ok(accepted > 0);
});

Deno.test("parseMbusPath() never throws on random text", () => {
  const r = rng(7);
  const alphabet = "%mbus:0123456789/abcdefABCDEF.-_valuetimestamp ";
  for (let i = 0; i < 20_000; i++) {
    let text = r() < 0.5 ? "%mbus:" : "";
    for (let n = Math.floor(r() * 30); n > 0; n--) {
      text += alphabet[Math.floor(r() * alphabet.length)];
    }
    const p = parseMbusPath(text);
    assert.equal(typeof p.ok, "boolean");
  }
});
