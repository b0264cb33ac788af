/**
 * Diehl "real data" (doc §13.2): a meter's SND_NR/SND_IR with CI 7A and CFG bit 12 set
 * (security modes 16–31) carries standard records scrambled with the PRIOS LFSR. The
 * reference descrambles them with the meter's key (its first 8 bytes) or, without one,
 * the two published PRIOS keys, checked by the plain bytes' sum against CFG's high byte.
 *
 * @module
 */
import { type DecodeResult, fail, ok } from "../util/mod.ts";
import { C_FIELD, CI, WMBUS_ERRORS } from "./constants.ts";
import { DIEHL_MANUFACTURERS, DIEHL_PRIOS_KEYS } from "./keys.ts";
import type { KeyInput } from "./meter_key.ts";
import type { WmbusTelegram } from "./telegram.ts";
import { descrambleRealData } from "./vendor_security.ts";

const DLL_LENGTH = 10;

/** The real-data check on the bytes from offset 15 as they are. */
function checksumHolds(raw: Uint8Array): boolean {
  let sum = 0;
  for (let i = 15; i < raw.length; i++) sum += raw[i] ?? 0;
  return raw.length > 15 && (sum & 0xef) === ((raw[14] ?? 0) & 0xef);
}

/**
 * True for a Diehl real-data telegram (TPL header already read into `t.tpl`).
 *
 * @param t The telegram being walked.
 * @returns Whether its payload is LFSR-scrambled real data.
 */
export function isRealData(t: WmbusTelegram): boolean {
  return DIEHL_MANUFACTURERS.has(t.dll.manufacturer) &&
    (t.c === C_FIELD.sndNr || t.c === C_FIELD.sndIr) &&
    t.ci === CI.tplShort && ((t.tpl?.config ?? 0) & 0x1000) !== 0;
}

/**
 * Descrambles the payload of a real-data telegram into `t`.
 *
 * @param t The telegram (`raw` as transmitted).
 * @param keys The meter's configured keys.
 * @param useDefaults Without configured keys, try the published PRIOS keys.
 * @param headerLength TPL header length (CI included).
 * @returns The telegram (`NO_KEY` when no published key fits), or `WRONG_KEY` when the
 *   configured key does not fit.
 */
export function descrambleDiehlRealData(
  t: WmbusTelegram,
  keys: readonly KeyInput[],
  useDefaults: boolean,
  headerLength: number,
): DecodeResult<WmbusTelegram> {
  const own = keys.map((k) => k instanceof Uint8Array ? k : k.bytes);
  t.encrypted = true;
  const fallback = useDefaults ? DIEHL_PRIOS_KEYS : [];
  for (const key of own.length > 0 ? own : fallback) {
    const plain = descrambleRealData(t.raw, key);
    if (plain === null) continue;
    t.payload = plain;
    t.decrypted = true;
    t.warnings.push(
      own.length > 0
        ? "DIEHL_REAL_DATA: LFSR-descrambled with the meter's key"
        : "DEFAULT_KEY: Diehl real data LFSR-descrambled with a published PRIOS key",
    );
    return ok(t);
  }
  // A stored telegram whose real data were already descrambled: its check holds as is.
  const rest = t.raw.subarray(DLL_LENGTH + headerLength);
  if (checksumHolds(t.raw)) {
    t.payload = rest;
    t.decrypted = true;
    t.warnings.push(
      "ALREADY_DECRYPTED: Diehl real data checksum holds without descrambling",
    );
    return ok(t);
  }
  if (own.length > 0) {
    return fail(
      WMBUS_ERRORS.wrongKey,
      DLL_LENGTH + headerLength,
      "Cannot descramble Diehl real data: checksum mismatch (wrong key)",
    );
  }
  t.payload = rest;
  t.decrypted = false;
  t.decryptionIssue = "NO_KEY";
  t.warnings.push("NO_KEY: Diehl real data is LFSR-scrambled; no key fits");
  return ok(t);
}
