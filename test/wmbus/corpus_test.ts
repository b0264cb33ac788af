import assert from "node:assert/strict";
import { fromHex, toHex } from "../../src/util/mod.ts";
import {
  encodeLinkFrame,
  encryptEllTelegram,
  encryptMode5Telegram,
  parseTelegram,
} from "../../src/wmbus/mod.ts";
import { loadCorpus } from "./_corpus.ts";

const corpus = loadCorpus();
const ignore = corpus === null;
const cases = corpus ?? [];
const TEST_KEY = fromHex("00112233445566778899AABBCCDDEEFF");

function keyOf(hex: string | null): { key?: Uint8Array } {
  return hex ? { key: fromHex(hex) } : {};
}

Deno.test({
  name: "parseTelegram() parses every corpus telegram and finds the printed id",
  ignore,
  fn() {
    for (const c of cases) {
      const r = parseTelegram(fromHex(c.telegram), keyOf(c.key));
      assert.ok(
        r.ok,
        `${c.driver} ${c.telegram}: ${r.ok ? "" : r.error.message}`,
      );
      const t = r.value;
      assert.equal(
        t.id,
        c.expected.id.toLowerCase(),
        `${c.driver} ${c.telegram}`,
      );
      if (!t.decrypted) {
        // Only Diehl PRIOS payloads stay undecrypted by the parse: the izar drivers
        // descramble them (Diehl "real data" in a TPL frame is descrambled by the parse).
        assert.equal(
          t.decryptionIssue,
          "UNSUPPORTED_SECURITY_MODE",
          c.telegram,
        );
        assert.ok((t.tpl?.securityMode ?? 0) >= 16, c.telegram);
      }
    }
  },
});

Deno.test({
  name:
    "parseTelegram() reads every wireless corpus telegram with format A and B CRCs the same",
  ignore,
  fn() {
    for (const c of cases) {
      const bytes = fromHex(c.telegram);
      if (bytes[0] === 0x68) continue;
      const plain = parseTelegram(bytes, keyOf(c.key));
      for (const format of ["A", "B"] as const) {
        const r = parseTelegram(encodeLinkFrame(bytes, format), keyOf(c.key));
        assert.ok(r.ok && plain.ok, c.telegram);
        assert.equal(r.value.frameFormat, format);
        assert.equal(toHex(r.value.raw), toHex(bytes));
        assert.equal(toHex(r.value.payload), toHex(plain.value.payload));
      }
    }
  },
});

Deno.test({
  name: "encryptMode5Telegram() round-trips every plain mode 5 corpus telegram",
  ignore,
  fn() {
    let n = 0;
    for (const c of cases) {
      const bytes = fromHex(c.telegram);
      const plain = parseTelegram(bytes, keyOf(c.key));
      if (!plain.ok || plain.value.ell || plain.value.afl) continue;
      if (plain.value.frameFormat === "wired") continue;
      const ci = plain.value.tpl?.ci;
      if ((ci !== 0x7a && ci !== 0x72) || plain.value.payload[0] !== 0x2f) {
        continue;
      }
      // Only telegrams stored in plaintext (read without a key), modes 0 and 5.
      const usedKey = c.key !== null ||
        plain.value.warnings.some((w) => w.startsWith("DEFAULT_KEY"));
      if (usedKey || (plain.value.tpl?.securityMode ?? 0) % 5 !== 0) continue;
      const enc = encryptMode5Telegram(plain.value.raw, TEST_KEY);
      const r = parseTelegram(enc, { key: TEST_KEY });
      assert.ok(r.ok, c.telegram);
      assert.equal(r.value.tpl?.securityMode, 5);
      const p = toHex(plain.value.payload);
      assert.equal(toHex(r.value.payload).slice(0, p.length), p);
      const wrong = parseTelegram(enc, { key: new Uint8Array(16) });
      assert.ok(!wrong.ok && wrong.error.code === "WRONG_KEY", c.telegram);
      n++;
    }
    assert.ok(n >= 20, `only ${n} mode 5 cases`);
  },
});

Deno.test({
  name: "encryptEllTelegram() round-trips every plain ELL II corpus telegram",
  ignore,
  fn() {
    let n = 0;
    for (const c of cases) {
      const bytes = fromHex(c.telegram);
      if (bytes[10] !== 0x8d) continue;
      const plain = parseTelegram(bytes, keyOf(c.key));
      assert.ok(plain.ok);
      const enc = encryptEllTelegram(plain.value.raw, TEST_KEY);
      const r = parseTelegram(enc, { key: TEST_KEY });
      assert.ok(r.ok, c.telegram);
      assert.equal(r.value.ell?.payloadCrcOk, true);
      assert.equal(toHex(r.value.payload), toHex(plain.value.payload));
      const none = parseTelegram(enc);
      assert.ok(none.ok && none.value.decryptionIssue === "NO_KEY");
      n++;
    }
    assert.ok(n >= 10, `only ${n} ELL cases`);
  },
});
