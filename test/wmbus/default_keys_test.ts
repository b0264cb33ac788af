// deno-lint-ignore-file no-console
/**
 * The manufacturer defaults the reference applies when no key is configured: Diehl's AES
 * key (PRIOS key 2 written twice) for TPL mode 5 only, and Diehl "real data" (CI 7A, CFG
 * bit 12) descrambled with the PRIOS LFSR under the meter's key or the two published keys.
 * Round trips with the encoder, plus a differential against the reference (skipped with a
 * printed reason when it is absent).
 */
import assert from "node:assert/strict";
import {
  referenceProblem,
  runOurs,
  runReference,
} from "../../scripts/_wmbus_reference.ts";
import { fromHex, toHex } from "../../src/util/mod.ts";
import {
  DIEHL_DEFAULT_AES_KEY,
  DIEHL_PRIOS_KEYS,
  encryptMode5Telegram,
  encryptMode7Telegram,
  parseTelegram,
  scrambleRealData,
  wrapInEll,
} from "../../src/wmbus/mod.ts";

const problem = await referenceProblem();
if (problem !== null) {
  console.log(`default key reference tests skipped: ${problem}`);
}

function frame(hexAfterL: string): Uint8Array {
  const body = fromHex(hexAfterL.replace(/ /g, ""));
  return new Uint8Array([body.length, ...body]);
}

const RECORDS = "0413E8030000 02FD170000";
/** A Diehl real-data frame: A field with version, type first, then the ID. */
const REAL = frame(`44 A511 70 07 78563412 7A 2A 00 00 00 ${RECORDS}`);
/** A Diehl OMS frame (standard A field). */
const OMS = frame(`44 A511 78563412 70 07 7A 2A 00 0000 2F2F ${RECORDS}`);
const OWN = fromHex("0102030405060708");
const [PRIOS_1 = OWN, PRIOS_2 = OWN] = DIEHL_PRIOS_KEYS;

Deno.test("real data scrambled with either published PRIOS key descrambles without a key", () => {
  for (const key of DIEHL_PRIOS_KEYS) {
    const t = scrambleRealData(REAL, key);
    assert.notEqual(toHex(t.subarray(15)), toHex(REAL.subarray(15)));
    const r = parseTelegram(t);
    assert.ok(r.ok);
    assert.equal(r.value.decrypted, true);
    assert.equal(r.value.id, "12345678");
    assert.equal(toHex(r.value.payload), toHex(fromHex(RECORDS)));
    assert.ok(r.value.warnings.some((w) => w.startsWith("DEFAULT_KEY")));
    const off = parseTelegram(t, { tryDefaultKeys: false });
    assert.ok(off.ok);
    assert.equal(off.value.decrypted, false);
    assert.equal(off.value.decryptionIssue, "NO_KEY");
  }
});

Deno.test("real data under the meter's own key: its first 8 bytes; a wrong key is WRONG_KEY", () => {
  const t = scrambleRealData(REAL, OWN);
  for (const key of [OWN, fromHex(toHex(OWN) + "FFFFFFFFFFFFFFFF")]) {
    const r = parseTelegram(t, { key });
    assert.ok(r.ok);
    assert.equal(toHex(r.value.payload), toHex(fromHex(RECORDS)));
  }
  const none = parseTelegram(t);
  assert.ok(none.ok);
  assert.equal(none.value.decryptionIssue, "NO_KEY");
  const wrong = parseTelegram(t, { key: fromHex("0807060504030201") });
  assert.ok(!wrong.ok);
  assert.equal(wrong.error.code, "WRONG_KEY");
});

Deno.test("real data stored already descrambled (its checksum holds as is) reads as plain", () => {
  const scrambled = scrambleRealData(REAL, OWN);
  const stored = scrambled.slice();
  stored.set(REAL.subarray(15), 15);
  const r = parseTelegram(stored);
  assert.ok(r.ok);
  assert.equal(r.value.decrypted, true);
  assert.equal(toHex(r.value.payload), toHex(fromHex(RECORDS)));
  assert.ok(r.value.warnings.some((w) => w.startsWith("ALREADY_DECRYPTED")));
});

Deno.test("the Diehl default AES key opens TPL mode 5 only: not ELL AES-CTR, not mode 7", () => {
  const m5 = parseTelegram(encryptMode5Telegram(OMS, DIEHL_DEFAULT_AES_KEY));
  assert.ok(m5.ok);
  assert.equal(m5.value.decrypted, true);
  assert.ok(m5.value.warnings.some((w) => w.startsWith("DEFAULT_KEY")));
  const ell = parseTelegram(
    wrapInEll(frame(`44 A511 78563412 70 07 78 ${RECORDS}`), {
      ci: 0x8d,
      key: DIEHL_DEFAULT_AES_KEY,
    }),
  );
  assert.ok(ell.ok);
  assert.equal(ell.value.decrypted, false);
  assert.equal(ell.value.decryptionIssue, "NO_KEY");
  const m7 = parseTelegram(encryptMode7Telegram(OMS, DIEHL_DEFAULT_AES_KEY));
  assert.ok(m7.ok);
  assert.equal(m7.value.decrypted, false);
  // With the key configured, both open.
  for (
    const t of [
      wrapInEll(frame(`44 A511 78563412 70 07 78 ${RECORDS}`), {
        ci: 0x8d,
        key: DIEHL_DEFAULT_AES_KEY,
      }),
      encryptMode7Telegram(OMS, DIEHL_DEFAULT_AES_KEY),
    ]
  ) {
    const r = parseTelegram(t, { key: DIEHL_DEFAULT_AES_KEY });
    assert.ok(r.ok);
    assert.equal(r.value.decrypted, true);
  }
});

Deno.test({
  name: "reference: real data and the Diehl defaults decode alike",
  ignore: problem !== null,
  fn: async () => {
    const cases: [string, Uint8Array, string | null][] = [
      [
        "real data, PRIOS key 1",
        scrambleRealData(REAL, PRIOS_1),
        null,
      ],
      [
        "real data, PRIOS key 2",
        scrambleRealData(REAL, PRIOS_2),
        null,
      ],
      [
        "real data, own key",
        scrambleRealData(REAL, OWN),
        toHex(OWN) + toHex(OWN),
      ],
      [
        "mode 5, default key",
        encryptMode5Telegram(OMS, DIEHL_DEFAULT_AES_KEY),
        null,
      ],
    ];
    for (const [name, t, key] of cases) {
      const hex = [toHex(t)];
      const ref = await runReference(hex, "hydrus", key);
      const ours = runOurs(hex, "hydrus", key);
      assert.equal(ref.length, 1, name);
      assert.equal(ref[0]?.total_m3, 1, name);
      assert.equal(ours[0]?.total_m3, ref[0]?.total_m3, name);
      assert.equal(ours[0]?.id, ref[0]?.id, name);
    }
    // The reference tries no default key on an ELL: it prints nothing, mbusgw no values
    // (its driver still names the meter of an undecrypted telegram).
    const ell = [
      toHex(
        wrapInEll(frame(`44 A511 78563412 70 07 78 ${RECORDS}`), {
          ci: 0x8d,
          key: DIEHL_DEFAULT_AES_KEY,
        }),
      ),
    ];
    assert.deepEqual(await runReference(ell, "hydrus", null), []);
    assert.equal(runOurs(ell, "hydrus", null)[0]?.total_m3, undefined);
  },
});
