/**
 * Extended link layer (ELL, CI 0x8C–0x8F and 0x86, doc §5): header fields, payload CRC and
 * the AES-128-CTR session encryption.
 *
 * ELL I (8C): CC ACC. ELL II (8D): CC ACC SN CRC. ELL III (8E): CC ACC M2 A2. ELL IV (8F):
 * CC ACC M2 A2 SN CRC. ELL V (86, "variable length"): CC and ACC are read; the rest of its
 * layout is not in the public sources used here, so it is refused with `UNSUPPORTED_CI`
 * (wmbusmeters drops it too). A payload CRC that does not match (plain, or after
 * decryption with the meter's own key) fails: `BAD_CRC` / `WRONG_KEY`.
 *
 * @module
 */
import { type DecodeResult, fail, ok } from "../util/mod.ts";
import { aesCtr } from "./aes.ts";
import type { KeyInput } from "./meter_key.ts";
import { WMBUS_ERRORS } from "./constants.ts";
import { crcWmbus } from "./crc.ts";
import { decodeWmbusAddress } from "./link.ts";
import type { DecryptionIssue, EllHeader } from "./telegram.ts";

/** What the ELL step leaves for the next layer. */
export interface EllResult {
  /** The ELL header. */
  ell: EllHeader;
  /** Bytes after the ELL header (decrypted when possible; after the payload CRC). */
  rest: Uint8Array;
  /** ELL says encrypted. */
  encrypted: boolean;
  /** `rest` is plaintext. */
  plain: boolean;
  /** A key decrypted `rest` (false when it was plain already). */
  keyUsed: boolean;
  /** Set when encrypted and not decrypted. */
  issue: DecryptionIssue | null;
  /** Notes. */
  warnings: string[];
}

const SIZES: ReadonlyMap<number, number> = new Map([
  [0x86, 3],
  [0x8c, 3],
  [0x8d, 9],
  [0x8e, 11],
  [0x8f, 17],
]);

/** ELL V: CC and ACC known, the rest not. */
const ELL_V = 0x86;

/** SN encryption field values (bits 29–31). */
const SN_NONE = 0;
const SN_AES_CTR = 1;

/** True if `ci` starts an ELL (I–V). */
export function isEllCi(ci: number): boolean {
  return SIZES.has(ci);
}

/**
 * The ELL AES-CTR initial counter block (doc §5.6).
 *
 * @param dll The first 10 bytes of the frame (L C M A).
 * @param cc The CC field.
 * @param sn The 4 SN bytes as transmitted.
 * @returns 16 bytes.
 */
export function ellCounter(
  dll: Uint8Array,
  cc: number,
  sn: Uint8Array,
): Uint8Array {
  const iv = new Uint8Array(16);
  iv.set(dll.subarray(2, 10));
  iv[8] = cc & 0xed;
  iv.set(sn.subarray(0, 4), 9);
  return iv;
}

function crcOk(data: Uint8Array): boolean {
  if (data.length < 2) return false;
  return crcWmbus(data, 2) === ((data[0] ?? 0) | ((data[1] ?? 0) << 8));
}

/**
 * Parses an ELL at the start of `body` and decrypts its payload when asked.
 *
 * @param body Bytes from the ELL CI to the end of the telegram.
 * @param options `dll` (frame bytes 0–9), `offset` of body in the frame, `keys` to try,
 *   `defaultKeys` when they are published defaults (no fit then means `NO_KEY`).
 * @returns The header and the rest, or `TRUNCATED`, `BAD_CRC` (plain payload CRC),
 *   `WRONG_KEY` (CRC after decryption) or `UNSUPPORTED_CI` (ELL V).
 */
export function decodeEll(
  body: Uint8Array,
  options: {
    dll: Uint8Array;
    offset: number;
    keys: readonly KeyInput[];
    defaultKeys?: boolean;
  },
): DecodeResult<EllResult> {
  const ci = body[0] ?? 0;
  const size = SIZES.get(ci) ?? 0;
  if (body.length < size) {
    return fail(
      WMBUS_ERRORS.truncated,
      options.offset + body.length,
      "Cannot read ELL header: too short",
    );
  }
  const cc = body[1] ?? 0;
  const ell: EllHeader = { ci, cc, acc: body[2] ?? 0 };
  if (ci === ELL_V) {
    return fail(
      WMBUS_ERRORS.unsupportedCi,
      options.offset,
      "Cannot read ELL V (CI 86): its fields after CC and ACC are not supported",
    );
  }
  if (ci === 0x8e || ci === 0x8f) {
    ell.address = decodeWmbusAddress(body.subarray(3, 11));
  }
  if (ci === 0x8c || ci === 0x8e) {
    return ok({
      ell,
      rest: body.subarray(size),
      encrypted: false,
      plain: true,
      keyUsed: false,
      issue: null,
      warnings: [],
    });
  }
  const snAt = size - 6;
  const sn = body.subarray(snAt, snAt + 4);
  const snValue = ((sn[0] ?? 0) | ((sn[1] ?? 0) << 8) | ((sn[2] ?? 0) << 16) |
    ((sn[3] ?? 0) << 24)) >>> 0;
  const encryption = snValue >>> 29;
  ell.sessionNumber = snValue;
  ell.encryption = encryption;
  const data = body.subarray(size - 2);
  const plainOk = crcOk(data);
  if (encryption === SN_NONE && !plainOk) {
    return fail(
      WMBUS_ERRORS.badCrc,
      options.offset + size - 2,
      "Cannot read ELL payload: payload CRC mismatch",
    );
  }
  if (plainOk) {
    ell.payloadCrcOk = true;
    return ok({
      ell,
      rest: data.subarray(2),
      encrypted: encryption !== SN_NONE,
      plain: true,
      keyUsed: false,
      issue: null,
      // Announced as encrypted, yet the CRC holds in the clear: already decrypted.
      warnings: [],
    });
  }
  if (encryption !== SN_AES_CTR) {
    return ok({
      ell,
      rest: data,
      encrypted: true,
      plain: false,
      keyUsed: false,
      issue: "UNSUPPORTED_SECURITY_MODE",
      warnings: [`UNSUPPORTED_SECURITY_MODE: ELL encryption ${encryption}`],
    });
  }
  const counter = ellCounter(options.dll, cc, sn);
  for (const key of options.keys) {
    if (key.length !== 16) continue; // a DES key (TPL modes 2 and 3)
    const plain = aesCtr(key, data, counter);
    if (crcOk(plain)) {
      ell.payloadCrcOk = true;
      return ok({
        ell,
        rest: plain.subarray(2),
        encrypted: true,
        plain: true,
        keyUsed: true,
        issue: null,
        warnings: [],
      });
    }
  }
  if (options.keys.length === 0 || options.defaultKeys) {
    return ok({
      ell,
      rest: data,
      encrypted: true,
      plain: false,
      keyUsed: false,
      issue: "NO_KEY",
      warnings: ["NO_KEY: ELL payload is AES-CTR encrypted"],
    });
  }
  return fail(
    WMBUS_ERRORS.wrongKey,
    options.offset + size - 2,
    "Cannot decrypt ELL payload: CRC mismatch after AES-CTR (wrong key)",
  );
}
