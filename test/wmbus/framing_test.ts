/**
 * Framing variants round-trip: ELL I–IV (plain and AES-CTR), mode 7 behind an AFL and
 * compact frames are built with the encoder, parsed back to the same records, and broken
 * inputs (bad CRCs, every truncation) give typed errors.
 */
import assert from "node:assert/strict";
import { fromHex, toHex } from "../../src/util/mod.ts";
import {
  compactParts,
  compactTelegram,
  encryptEllTelegram,
  encryptMode5Telegram,
  encryptMode7Telegram,
  parseTelegram,
  WmbusMeterDecoder,
  wrapInEll,
} from "../../src/wmbus/mod.ts";
import {
  createMeterState,
  decodeWithDriver,
} from "../../src/wmbus/drivers/mod.ts";
import {
  declaredFormats,
  MAX_FORMATS,
} from "../../src/wmbus/drivers/_compact.ts";
import { crcWmbus } from "../../src/wmbus/crc.ts";

const KEY = fromHex("000102030405060708090A0B0C0D0E0F");
const OTHER_KEY = fromHex("0F0E0D0C0B0A09080706050403020100");
const RECORDS = "02FF207100041308190000441307190000615B7F616713";
const A2 = fromHex("A511785634121B07");

function frame(hexAfterL: string): Uint8Array {
  const body = fromHex(hexAfterL.replace(/ /g, ""));
  return new Uint8Array([body.length, ...body]);
}

/** A Kamstrup water meter full frame (no TPL header). */
const FULL = frame(`442D2C998734761B16 78 ${RECORDS}`);

const ELLS = [
  { name: "ELL I", ci: 0x8c },
  { name: "ELL II", ci: 0x8d, session: 0x1234 },
  { name: "ELL II AES-CTR", ci: 0x8d, session: 0x1234, key: KEY },
  { name: "ELL III", ci: 0x8e, address2: A2 },
  { name: "ELL IV", ci: 0x8f, address2: A2, session: 7 },
  { name: "ELL IV AES-CTR", ci: 0x8f, address2: A2, session: 7, key: KEY },
];

for (const e of ELLS) {
  Deno.test(`${e.name}: encode, parse, same records`, () => {
    const t = wrapInEll(FULL, e);
    assert.equal(t[0], t.length - 1);
    const r = parseTelegram(t, e.key ? { key: e.key } : {});
    assert.ok(r.ok, r.ok ? "" : r.error.message);
    assert.equal(r.value.ell?.ci, e.ci);
    assert.equal(r.value.ci, 0x78);
    assert.equal(toHex(r.value.payload), RECORDS.toLowerCase());
    assert.equal(r.value.encrypted, e.key !== undefined);
    if (e.session !== undefined) {
      assert.equal(r.value.ell?.payloadCrcOk, true);
      assert.equal((r.value.ell?.sessionNumber ?? 0) & 0x1fffffff, e.session);
      assert.equal(r.value.ell?.encryption, e.key ? 1 : 0);
    }
    // ELL III/IV: the second address names the meter (the reference does the same).
    assert.equal(r.value.id, e.address2 ? "12345678" : "76348799");
    assert.equal(r.value.dll.id, "76348799");
  });
}

Deno.test("ELL AES-CTR: no key leaves it encrypted (NO_KEY), a wrong key is WRONG_KEY", () => {
  const t = wrapInEll(FULL, { ci: 0x8d, key: KEY });
  const none = parseTelegram(t, { tryDefaultKeys: false });
  assert.ok(none.ok);
  assert.equal(none.value.decrypted, false);
  assert.equal(none.value.decryptionIssue, "NO_KEY");
  const wrong = parseTelegram(t, { key: OTHER_KEY });
  assert.ok(!wrong.ok);
  assert.equal(wrong.error.code, "WRONG_KEY");
});

Deno.test("encryptEllTelegram() encrypts ELL IV like wrapInEll() does", () => {
  const plain = wrapInEll(FULL, { ci: 0x8f, address2: A2, session: 7 });
  const a = encryptEllTelegram(plain, KEY);
  const b = wrapInEll(FULL, { ci: 0x8f, address2: A2, session: 7, key: KEY });
  assert.equal(toHex(a), toHex(b));
});

Deno.test("ELL II with a plain payload CRC that does not match is BAD_CRC", () => {
  const t = wrapInEll(FULL, { ci: 0x8d });
  t[17] = (t[17] ?? 0) ^ 0xff;
  const r = parseTelegram(t);
  assert.ok(!r.ok);
  assert.equal(r.error.code, "BAD_CRC");
  assert.equal(r.error.offset, 17);
});

Deno.test("ELL II: a changed payload byte fails the payload CRC (plain: BAD_CRC, CTR: WRONG_KEY)", () => {
  const plain = wrapInEll(FULL, { ci: 0x8d });
  plain[plain.length - 1] = (plain[plain.length - 1] ?? 0) ^ 1;
  const p = parseTelegram(plain);
  assert.ok(!p.ok);
  assert.equal(p.error.code, "BAD_CRC");
  const ctr = wrapInEll(FULL, { ci: 0x8d, key: KEY });
  ctr[ctr.length - 1] = (ctr[ctr.length - 1] ?? 0) ^ 1;
  const c = parseTelegram(ctr, { key: KEY });
  assert.ok(!c.ok);
  assert.equal(c.error.code, "WRONG_KEY");
});

Deno.test("ELL V (CI 86) is refused with UNSUPPORTED_CI at its CI", () => {
  const r = parseTelegram(frame(`442D2C998734761B16 86 20 05 78 ${RECORDS}`));
  assert.ok(!r.ok);
  assert.equal(r.error.code, "UNSUPPORTED_CI");
  assert.equal(r.error.offset, 10);
});

Deno.test("every truncation of every ELL variant gives ok or a typed error, never a throw", () => {
  const codes = new Set<string>();
  for (const e of ELLS) {
    const t = wrapInEll(FULL, e);
    for (let n = 0; n < t.length; n++) {
      const cut = t.slice(0, n);
      if (n > 0) cut[0] = n - 1;
      const r = parseTelegram(cut, e.key ? { key: e.key } : {});
      if (!r.ok) codes.add(r.error.code);
    }
  }
  for (const c of codes) {
    assert.ok(
      ["TRUNCATED", "BAD_CRC", "BAD_LENGTH", "WRONG_KEY"].includes(c),
      c,
    );
  }
  assert.ok(codes.has("TRUNCATED"));
  assert.ok(codes.has("BAD_CRC"));
});

const SHORT = frame("442D2C998734761B16 7A 2A 00 0000 2F2F 0413 08190000");
const LONG = frame(
  "44A51111111111010772 78563412 A511 01 07 2A 00 0000 2F2F 0413 08190000",
);

for (
  const [name, plain, id] of [
    ["short header", SHORT, "76348799"],
    ["long header", LONG, "12345678"],
  ] as const
) {
  for (const macLength of [8, 16] as const) {
    for (const withLength of [false, true]) {
      Deno.test(`mode 7 (${name}, ${macLength}-byte MAC, ML ${withLength}): encode, parse, same records`, () => {
        const t = encryptMode7Telegram(plain, KEY, {
          counter: 0x01020304,
          macLength,
          withLength,
        });
        const r = parseTelegram(t, { key: KEY, tryDefaultKeys: false });
        assert.ok(r.ok, r.ok ? "" : r.error.message);
        assert.equal(r.value.tpl?.securityMode, 7);
        assert.equal(r.value.afl?.macOk, true);
        assert.equal(r.value.afl?.mcr, 0x01020304);
        assert.equal(r.value.afl?.mac?.length, macLength);
        assert.equal(r.value.id, id);
        assert.equal(
          toHex(r.value.payload).replace(/(2f)+$/, ""),
          "2f2f041308190000",
        );
        const wrong = parseTelegram(t, { key: OTHER_KEY });
        assert.ok(!wrong.ok);
        assert.equal(wrong.error.code, "WRONG_KEY");
      });
    }
  }
}

Deno.test("compactParts() splits records into format, signature, data CRC and data", () => {
  const p = compactParts(fromHex(RECORDS));
  assert.equal(toHex(p.format), "02ff2004134413615b6167");
  assert.equal(p.signature, 0xa8ed);
  assert.equal(p.crc, crcWmbus(fromHex(RECORDS)));
  assert.equal(toHex(p.data), "71000819000007190000" + "7f13");
});

function kamDecoder(): WmbusMeterDecoder {
  return new WmbusMeterDecoder({ driver: "kamwater" });
}

function json(d: WmbusMeterDecoder, t: Uint8Array): Record<string, unknown> {
  const r = d.decode(t);
  assert.equal(r.kind, "decoded");
  if (r.kind !== "decoded") return {};
  assert.ok(r.result.ok, JSON.stringify(r.result.error));
  return r.result.json;
}

Deno.test("compact frame after a full frame of the same meter decodes to the same fields", () => {
  const d = kamDecoder();
  const full = json(d, FULL);
  const compact = json(d, compactTelegram(FULL));
  assert.deepEqual(compact, full);
  assert.equal(compact.total_m3, 6.408);
});

Deno.test("compact frames with a short (7B) or long (73) header decode after their full frame", () => {
  for (
    const header of ["7A 2A 00 0000", "72 99873476 2D2C 1B 16 2A 00 0000"]
  ) {
    const full = frame(`442D2C998734761B16 ${header} ${RECORDS}`);
    const compact = compactTelegram(full);
    assert.equal(compact[10], full[10] === 0x7a ? 0x7b : 0x73);
    const d = kamDecoder();
    const a = json(d, full);
    assert.deepEqual(json(d, compact), a);
    assert.equal(a.total_m3, 6.408);
  }
});

Deno.test("compact frames inside ELL II AES-CTR decode after the full frame", () => {
  const d = new WmbusMeterDecoder({
    driver: "kamwater",
    keys: new Map([["", KEY]]),
  });
  const full = json(d, wrapInEll(FULL, { ci: 0x8d, key: KEY }));
  const compact = json(
    d,
    wrapInEll(compactTelegram(FULL), { ci: 0x8d, key: KEY }),
  );
  assert.deepEqual(compact, full);
});

Deno.test("a compact frame whose data CRC does not match is BAD_CRC", () => {
  const d = kamDecoder();
  json(d, FULL);
  const c = compactTelegram(FULL);
  c[c.length - 1] = (c[c.length - 1] ?? 0) ^ 1;
  const r = d.decode(c);
  assert.equal(r.kind, "decoded");
  if (r.kind === "decoded") {
    assert.equal(r.result.ok, false);
    assert.equal(r.result.error?.code, "BAD_CRC");
  }
});

Deno.test("a compact frame of an unknown format waits for the full frame", () => {
  const other = frame(`442D2C998734761B16 78 0413 08190000 023B 1000`);
  const d = kamDecoder();
  const before = d.decode(compactTelegram(other));
  assert.equal(before.kind, "decoded");
  if (before.kind === "decoded") {
    assert.equal(before.result.error?.code, "UNKNOWN_COMPACT_FORMAT");
  }
  json(d, other);
  assert.equal(json(d, compactTelegram(other)).total_m3, 6.408);
});

Deno.test("declared formats decode a compact frame without an earlier full frame", () => {
  // kamwater's format with date, flow and two minimum temperatures (signature 0x36D4, on the wire D4 36).
  const records = "02FF200000 0413E8030000 4413D0070000 426C9F2C 523B0100 " +
    "615B0A 61670B 51670C 8101E7FF0F0D 06FF1B010203040506";
  const full = frame(`442D2C998734761B16 78 ${records}`);
  const sig = compactParts(full.subarray(11)).signature;
  assert.equal(sig, 0x36d4);
  assert.ok(declaredFormats("KAM", 0x16).has(sig));
  const d1 = kamDecoder();
  const viaFull = json(d1, full);
  const d2 = kamDecoder();
  const compactOnly = json(d2, compactTelegram(full));
  assert.deepEqual(compactOnly, viaFull);
  assert.equal(compactOnly.total_m3, 1);
  // Not declared for other meter kinds.
  assert.equal(declaredFormats("KAM", 0x07).has(sig), false);
});

Deno.test("a driver without a compact hook of its own expands compact frames too", () => {
  const full = frame("44 9844 99999999 68 07 78 0413E8030000 02FD170000");
  const d = new WmbusMeterDecoder({ driver: "generic" });
  const a = json(d, full);
  const b = json(d, compactTelegram(full));
  assert.deepEqual(b, a);
  assert.ok(Object.keys(a).length > 5);
});

Deno.test("the per-meter format cache keeps at most MAX_FORMATS formats", () => {
  const state = createMeterState();
  const head = {
    raw: new Uint8Array(0),
    manufacturer: "KAM",
    id: "76348799",
    version: 0x1b,
    deviceType: 0x16,
    c: 0x44,
    tpl: null,
    ell: null,
    afl: null,
    encrypted: false,
    decrypted: true,
    warnings: [],
  };
  for (let i = 1; i <= MAX_FORMATS * 3; i++) {
    // Each full frame has another format: DIFE i (storage, tariff bits).
    const rec = fromHex(`84${i.toString(16).padStart(2, "0")}1301000000`);
    decodeWithDriver({ ...head, ci: 0x78, payload: rec } as never, {
      driver: "kamwater",
      state,
    });
  }
  assert.ok(state.formats.size <= MAX_FORMATS, String(state.formats.size));
  assert.ok(state.formats.size > 1);
});

Deno.test("mode 5 telegrams still round-trip through the encoder next to the new framings", () => {
  const t = encryptMode5Telegram(SHORT, KEY);
  const r = parseTelegram(t, { key: KEY });
  assert.ok(r.ok);
  assert.equal(toHex(r.value.payload).slice(0, 16), "2f2f041308190000");
});
