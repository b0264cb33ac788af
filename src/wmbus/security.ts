/**
 * TPL security: mode 5 (AES-128-CBC, IV from address and access number, doc §8),
 * mode 7 (AES-128-CBC, IV 0, keys derived by AES-CMAC, MAC in the AFL, doc §9) and the
 * deprecated DES modes 2 (DES-CBC, IV 0) and 3 (DES-CBC, IV = ID, M and the date of the
 * transmission day, doc §10), 8-byte keys; all with the `2F 2F` decryption check.
 *
 * @module
 */
import { type DecodeResult, fail, ok } from "../util/mod.ts";
import {
  AES_BLOCK,
  aesCbcDecrypt,
  aesCbcEncrypt,
  aesCmac,
  deriveKey,
  KDF_CONSTANT,
} from "./aes.ts";
import { DECRYPTION_CHECK, SECURITY_MODE, WMBUS_ERRORS } from "./constants.ts";
import { DES_BLOCK, desCbcDecrypt } from "./des.ts";
import { type KeyInput, type MeterKey, meterKey } from "./meter_key.ts";
import { encodeDateG } from "../app/mod.ts";
import type { AflResult } from "./afl.ts";
import type { DecryptionIssue, TplHeader } from "./telegram.ts";

/** Inputs of {@link decryptTpl}. */
export interface TplSecurityInput {
  /** The TPL header. */
  tpl: TplHeader;
  /** M, ID, version, type (8 bytes, DLL order) of the long header, else of the DLL. */
  address: Uint8Array;
  /** Bytes from the TPL CI to the end of the telegram (ciphertext as received). */
  body: Uint8Array;
  /** TPL header length (CI included). */
  headerLength: number;
  /** The AFL, if any (mode 7 needs MCR and MAC). */
  afl: AflResult | null;
  /** Keys to try, in order (a {@link MeterKey} keeps its AES schedules between calls). */
  keys: readonly KeyInput[];
  /**
   * The keys are published defaults, not the meter's: a payload already starting with
   * `2F 2F` is taken as plain without trying them.
   */
  defaultKeys?: boolean;
  /** Offset of `body` in the frame (for errors). */
  offset: number;
  /** When the telegram was received, ms since the epoch (mode 3's IV holds the date). */
  receivedAt?: number;
}

/** The payload after the TPL header, and what security did to it. */
export interface TplSecurityResult {
  /** Application payload (decrypted when possible). */
  payload: Uint8Array;
  /** CFG says encrypted. */
  encrypted: boolean;
  /** `payload` is plaintext. */
  decrypted: boolean;
  /** Why not decrypted. */
  issue: DecryptionIssue | null;
  /** Index into `keys` of the key that worked, or -1. */
  keyIndex: number;
  /** Mode 7 MAC check result (undefined when not checked). */
  macOk?: boolean;
  /** Notes. */
  warnings: string[];
}

/**
 * The mode 5 IV: M, ID, version, type, then the access number 8 times.
 *
 * @param address 8 bytes in DLL order.
 * @param accessNumber TPL access number.
 * @returns 16 bytes.
 */
export function mode5Iv(address: Uint8Array, accessNumber: number): Uint8Array {
  const iv = new Uint8Array(AES_BLOCK).fill(accessNumber);
  iv.set(address.subarray(0, 8));
  return iv;
}

function startsPlain(bytes: Uint8Array): boolean {
  return bytes[0] === DECRYPTION_CHECK && bytes[1] === DECRYPTION_CHECK;
}

/** Length to decrypt: N × 16, or the largest whole number of blocks present. */
function cipherLength(blocks: number, available: number): number {
  const n = blocks * AES_BLOCK;
  return n === 0 || n > available ? available - (available % AES_BLOCK) : n;
}

function joined(plain: Uint8Array, tail: Uint8Array): Uint8Array {
  const out = new Uint8Array(plain.length + tail.length);
  out.set(plain);
  out.set(tail, plain.length);
  return out;
}

function result(
  payload: Uint8Array,
  decrypted: boolean,
  keyIndex: number,
  warnings: string[] = [],
): TplSecurityResult {
  return {
    payload,
    encrypted: true,
    decrypted,
    issue: null,
    keyIndex,
    warnings,
  };
}

function mode7Key(
  input: TplSecurityInput,
  key: MeterKey,
  dc: number,
): Uint8Array {
  // The address is the long header's when there is one, else the DLL's (doc §9.1).
  const id = input.address.subarray(2, 6);
  return deriveKey(key, {
    dc,
    mcr: input.afl?.mcrBytes ?? new Uint8Array(4),
    id,
  });
}

/**
 * Computes the mode 7 MAC over MCL || MCR || [ML] || TPL CI … end (doc §9.2).
 *
 * @param macKey Kmac.
 * @param macPrefix MCL, MCR, ML as transmitted.
 * @param body Bytes from the TPL CI to the end, as received.
 * @returns The full 16-byte CMAC (truncate to the AFL MAC length).
 */
export function mode7Mac(
  macKey: KeyInput,
  macPrefix: Uint8Array,
  body: Uint8Array,
): Uint8Array {
  return aesCmac(macKey, joined(macPrefix, body));
}

/** The mode 5 IV of the telegram being decrypted (as {@link mode5Iv}, without allocating). */
const MODE5_IV = new Uint8Array(AES_BLOCK);

/**
 * The DES IV: zero for mode 2; for mode 3 ID, M, then the type G date of the reception
 * day (zero without one). CBC carries the IV into the first block only, and the date into
 * its bytes 6–7: the `2F 2F` check passes whatever the date, so trying other days (as the
 * reference says it does) cannot tell them apart; a wrong date spoils those two bytes.
 */
function desIv(input: TplSecurityInput): Uint8Array {
  const iv = new Uint8Array(DES_BLOCK);
  if (input.tpl.securityMode === SECURITY_MODE.desCbc) return iv;
  iv.set(input.address.subarray(2, 6));
  iv.set(input.address.subarray(0, 2), 4);
  if (input.receivedAt !== undefined) {
    const day = new Date(input.receivedAt).toISOString().slice(0, 10);
    iv.set(encodeDateG(day), 6);
  }
  return iv;
}

function isDes(mode: number): boolean {
  return mode === SECURITY_MODE.desCbc || mode === SECURITY_MODE.desCbcIv;
}

function tryKey(
  input: TplSecurityInput,
  key: MeterKey,
  cipher: Uint8Array,
): { plain: Uint8Array | null; macOk?: boolean } {
  if (isDes(input.tpl.securityMode)) {
    if (key.length !== DES_BLOCK) return { plain: null };
    const plain = desCbcDecrypt(key.bytes, cipher, desIv(input));
    return { plain: startsPlain(plain) ? plain : null };
  }
  if (key.length !== AES_BLOCK) return { plain: null };
  if (input.tpl.securityMode === SECURITY_MODE.aesCbcIv) {
    const iv = MODE5_IV.fill(input.tpl.accessNumber ?? 0);
    iv.set(input.address.subarray(0, 8));
    const plain = aesCbcDecrypt(key, cipher, iv);
    return { plain: startsPlain(plain) ? plain : null };
  }
  const mac = input.afl?.afl.mac;
  let macOk: boolean | undefined;
  if (mac && mac.length > 0 && input.afl) {
    const full = mode7Mac(
      mode7Key(input, key, KDF_CONSTANT.macMeterToCollector),
      input.afl.macPrefix,
      input.body,
    );
    macOk = full.subarray(0, mac.length).every((b, i) => b === mac[i]);
    if (!macOk) return { plain: null, macOk };
  }
  const plain = aesCbcDecrypt(
    mode7Key(input, key, KDF_CONSTANT.encMeterToCollector),
    cipher,
  );
  return macOk === undefined
    ? { plain: startsPlain(plain) ? plain : null }
    : { plain: startsPlain(plain) ? plain : null, macOk };
}

/**
 * Decrypts the payload after a TPL header according to its security mode.
 *
 * Outcomes: mode 0 → plain; mode 5/7 already starting with `2F 2F` and no working key →
 * plain (a stored, decrypted telegram); no keys → `issue: NO_KEY`; other modes →
 * `issue: UNSUPPORTED_SECURITY_MODE`; keys given and none passes → `WRONG_KEY`.
 *
 * @param input The header, address, bytes and keys.
 * @returns The payload and flags, or `TRUNCATED` / `WRONG_KEY`.
 */
export function decryptTpl(
  input: TplSecurityInput,
): DecodeResult<TplSecurityResult> {
  const data = input.body.subarray(input.headerLength);
  const mode = input.tpl.securityMode;
  if (mode === SECURITY_MODE.none) {
    return ok({
      payload: data,
      encrypted: false,
      decrypted: true,
      issue: null,
      keyIndex: -1,
      warnings: [],
    });
  }
  if (
    mode !== SECURITY_MODE.aesCbcIv && mode !== SECURITY_MODE.aesCbcKdf &&
    !isDes(mode)
  ) {
    return ok({
      payload: data,
      encrypted: true,
      decrypted: false,
      issue: "UNSUPPORTED_SECURITY_MODE",
      keyIndex: -1,
      warnings: [`UNSUPPORTED_SECURITY_MODE: TPL security mode ${mode}`],
    });
  }
  const length = isDes(mode)
    ? data.length - (data.length % DES_BLOCK)
    : cipherLength(input.tpl.encryptedBlocks ?? 0, data.length);
  if (length === 0) {
    return data.length === 0 ? ok(result(data, true, -1)) : fail(
      WMBUS_ERRORS.truncated,
      input.offset + input.body.length,
      `Cannot decrypt TPL payload: less than one ${
        isDes(mode) ? "DES" : "AES"
      } block`,
    );
  }
  if (input.defaultKeys && startsPlain(data)) return ok(result(data, true, -1));
  const cipher = data.subarray(0, length);
  let macOk: boolean | undefined;
  for (let i = 0; i < input.keys.length; i++) {
    const key = input.keys[i] ?? new Uint8Array(AES_BLOCK);
    const attempt = tryKey(input, meterKey(key), cipher);
    if (attempt.macOk !== undefined) macOk = attempt.macOk;
    if (attempt.plain) {
      const plain = length === data.length
        ? attempt.plain
        : joined(attempt.plain, data.subarray(length));
      const r = result(plain, true, i);
      if (macOk !== undefined) r.macOk = macOk;
      return ok(r);
    }
  }
  if (startsPlain(data)) {
    const notes = input.keys.length > 0
      ? ["ALREADY_DECRYPTED: payload was plain although a key was given"]
      : [];
    return ok(result(data, true, -1, notes));
  }
  if (input.keys.length === 0 || input.defaultKeys) {
    const tried = input.defaultKeys
      ? " (published default keys do not fit)"
      : "";
    return ok({
      payload: data,
      encrypted: true,
      decrypted: false,
      issue: "NO_KEY",
      keyIndex: -1,
      warnings: [`NO_KEY: TPL security mode ${mode} needs a key${tried}`],
    });
  }
  return fail(
    WMBUS_ERRORS.wrongKey,
    input.offset + input.headerLength,
    macOk === false
      ? "Cannot decrypt TPL payload: MAC mismatch (wrong key)"
      : "Cannot decrypt TPL payload: no 2F2F after decryption (wrong key)",
  );
}

/**
 * Encrypts a mode 5 payload (test and benchmark helper; the plaintext should start with
 * `2F 2F` and be a multiple of 16 bytes).
 *
 * @param key 16-byte key.
 * @param plain Plaintext blocks.
 * @param iv From {@link mode5Iv}.
 * @returns Ciphertext.
 */
export function encryptMode5(
  key: Uint8Array,
  plain: Uint8Array,
  iv: Uint8Array,
): Uint8Array {
  return aesCbcEncrypt(key, plain, iv);
}
