// deno-lint-ignore-file no-console
/**
 * `deno task conformance --telegrams FILE`: the file's checks (bounded, one line naming the
 * problem) and a run of an own built telegram against the reference (skipped with a
 * printed reason when the reference is absent).
 */
import assert from "node:assert/strict";
import {
  diffUserCases,
  MAX_USER_CASES,
  parseUserTelegrams,
  runUserTelegrams,
} from "../../scripts/_wmbus_user_telegrams.ts";
import {
  buildTelegram,
  referenceProblem,
} from "../../scripts/_wmbus_reference.ts";
import { fromHex, toHex } from "../../src/util/mod.ts";

Deno.test("--telegrams: cases are read like the dev corpus; markers are dropped", () => {
  const cases = parseUserTelegrams(JSON.stringify([
    {
      driver: "auto",
      key: null,
      telegram: "|2e44_aabb|",
      preceding_telegrams: ["11 22"],
      source: "https://example.org/1",
    },
    {
      driver: "waterstarm",
      key: "000102030405060708090a0b0c0d0e0f",
      telegram: "0C44",
    },
  ]));
  assert.ok(typeof cases !== "string", String(cases));
  assert.deepEqual(cases[0], {
    driver: "auto",
    key: null,
    telegram: "2E44AABB",
    precedingTelegrams: ["1122"],
    source: "https://example.org/1",
  });
  assert.equal(cases[1]?.key, "000102030405060708090A0B0C0D0E0F");
  assert.equal(cases[1]?.source, "case 1");
});

Deno.test("--telegrams: a bad file is one line naming the problem", () => {
  assert.match(String(parseUserTelegrams("{")), /^not JSON/);
  assert.equal(parseUserTelegrams("{}"), "not a JSON array of cases");
  assert.equal(
    parseUserTelegrams('[{"driver":"auto","telegram":"ABC"}]'),
    "case 0.telegram: not an even number of hex digits",
  );
  assert.equal(
    parseUserTelegrams('[{"driver":"auto","telegram":"AB","key":"00"}]'),
    "case 0.key: not 32 hex digits",
  );
  assert.equal(
    parseUserTelegrams('[{"driver":"Bad Name","telegram":"AB"}]'),
    "case 0.driver: not a driver name",
  );
  assert.equal(
    parseUserTelegrams(
      JSON.stringify([{ driver: "auto", telegram: "AB".repeat(513) }]),
    ),
    "case 0.telegram: longer than 512 bytes",
  );
  const many = Array.from({ length: MAX_USER_CASES + 1 }, () => ({
    driver: "auto",
    telegram: "AB",
  }));
  assert.equal(
    parseUserTelegrams(JSON.stringify(many)),
    `${MAX_USER_CASES + 1} cases, at most ${MAX_USER_CASES}`,
  );
});

Deno.test("--telegrams: a missing file exits 2", async () => {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw_user_" });
  try {
    assert.equal(await runUserTelegrams(`${dir}/missing.json`), 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const problem = await referenceProblem();
if (problem !== null) {
  console.log(`--telegrams reference run skipped: ${problem}`);
}

Deno.test({
  name: "--telegrams: an own waterstarm telegram is compared field by field",
  ignore: problem !== null,
  fn: async () => {
    // Total 1 m3 and a meter date-time (2024-11-30 10:12).
    const hex = toHex(
      buildTelegram(
        ["DWZ", 0x02, 0x07],
        "12345678",
        fromHex("0413E8030000046D0C0A1E3B"),
        1,
      ),
    );
    const cases = parseUserTelegrams(JSON.stringify([
      { driver: "waterstarm", key: null, telegram: hex, source: "own" },
      { driver: "auto", key: null, telegram: hex, source: "own auto" },
    ]));
    assert.ok(typeof cases !== "string", String(cases));
    const run = await diffUserCases(cases);
    const forced = run.reports.get("waterstarm");
    const auto = run.reports.get("auto:waterstarm");
    assert.ok(forced !== undefined && auto !== undefined);
    assert.equal(forced.referenceDecoded, 1);
    assert.equal(forced.oursDecoded, 1);
    assert.ok(forced.counts.agree >= 7, JSON.stringify(forced.counts));
    assert.deepEqual(run.differences, []);
    assert.equal(auto.counts.differ + auto.counts.referenceOnly, 0);
  },
});
