/**
 * Walks a wireless M-Bus telegram through its layers: DLL (CRCs, C, M, A), ELL, NWL, AFL
 * and TPL, decrypting as it goes. Wired long frames (`68 L L 68 …`) are accepted too, so
 * drivers see one shape.
 *
 * @module
 */
import { type DecodeResult, fail, ok } from "../util/mod.ts";
import {
  C_FIELD,
  CI,
  isManufacturerCi,
  SECURITY_MODE,
  WMBUS_ERRORS,
} from "./constants.ts";
import { type AflResult, decodeAfl } from "./afl.ts";
import { decodeEll, isEllCi } from "./ell.ts";
import { defaultAesKeys } from "./keys.ts";
import { setIdentity } from "./identity.ts";
import { decodeLinkFrame, decodeWmbusAddress } from "./link.ts";
import { decryptTpl } from "./security.ts";
import type { KeyInput } from "./meter_key.ts";
import { decodeTpl } from "./tpl.ts";
import { descrambleDiehlRealData, isRealData } from "./real_data.ts";
import type { ParseOptions, WmbusAddress, WmbusTelegram } from "./telegram.ts";

const DLL_LENGTH = 10;

/** The empty payload of a telegram before its TPL is read (zero length: nothing to change). */
const NO_PAYLOAD = new Uint8Array(0);

/** The DLL bytes of a wired frame (none: read as zeros, never written). */
const NO_DLL = new Uint8Array(DLL_LENGTH);
const AES_KEY_LENGTH = 16;
const DES_KEY_LENGTH = 8;

interface Walk {
  telegram: WmbusTelegram;
  keys: readonly KeyInput[];
  defaultKeys: boolean;
  /** M, ID, version, type of the DLL (8 bytes). */
  dllAddress: Uint8Array;
  /** DLL bytes 0–9 (for the ELL counter). */
  dll: Uint8Array;
  /** Reception time, ms since the epoch (DES mode 3). */
  receivedAt?: number;
}

function keysFor(
  manufacturer: string,
  options: ParseOptions,
): { keys: readonly KeyInput[]; defaults: boolean } {
  if (options.key) return { keys: [options.key], defaults: false };
  if (options.tryDefaultKeys === false) return { keys: [], defaults: false };
  const keys = defaultAesKeys(manufacturer);
  return { keys, defaults: keys.length > 0 };
}

/** The Diehl default AES key: only for TPL mode 5 in a meter's SND_NR/SND_IR. */
function defaultKeyApplies(t: WmbusTelegram): boolean {
  return t.tpl?.securityMode === SECURITY_MODE.aesCbcIv &&
    (t.c === C_FIELD.sndNr || t.c === C_FIELD.sndIr);
}

/** Walks TPL (or a manufacturer CI) at `body`; fills the telegram. */
function walkTpl(
  walk: Walk,
  body: Uint8Array,
  offset: number,
  afl: AflResult | null,
): DecodeResult<WmbusTelegram> {
  const t = walk.telegram;
  const ci = body[0] ?? 0;
  t.ci = ci;
  if (isManufacturerCi(ci)) {
    t.payload = body.subarray(1);
    return ok(t);
  }
  const header = decodeTpl(body, offset);
  if (!header.ok) return header;
  t.tpl = header.value.tpl;
  if (offset === DLL_LENGTH && isRealData(t)) {
    return descrambleDiehlRealData(
      t,
      walk.defaultKeys ? [] : walk.keys,
      walk.defaultKeys,
      header.value.headerLength,
    );
  }
  const security = decryptTpl({
    tpl: header.value.tpl,
    address: header.value.longAddress ?? walk.dllAddress,
    body,
    headerLength: header.value.headerLength,
    afl,
    // Like the reference: the published default key only for TPL mode 5 sent by the meter.
    keys: walk.defaultKeys && !defaultKeyApplies(t) ? [] : walk.keys,
    defaultKeys: walk.defaultKeys,
    offset,
    ...(walk.receivedAt === undefined ? {} : { receivedAt: walk.receivedAt }),
  });
  if (!security.ok) return security;
  const s = security.value;
  t.payload = s.payload;
  t.encrypted ||= s.encrypted;
  t.decrypted = s.decrypted;
  t.decryptionIssue = s.issue;
  if (s.macOk !== undefined && t.afl) t.afl.macOk = s.macOk;
  if (walk.defaultKeys && s.keyIndex >= 0) {
    t.warnings.push("DEFAULT_KEY: decrypted with a published default key");
  }
  // A failed default key says nothing about the telegram's own plaintext.
  const notes = walk.defaultKeys
    ? s.warnings.filter((w) => !w.startsWith("ALREADY_DECRYPTED"))
    : s.warnings;
  t.warnings.push(...notes);
  return ok(t);
}

/** Walks ELL, NWL and AFL from offset 10, then the TPL. */
function walkLayers(
  walk: Walk,
  frame: Uint8Array,
): DecodeResult<WmbusTelegram> {
  const t = walk.telegram;
  let body = frame.subarray(DLL_LENGTH);
  let offset = DLL_LENGTH;
  if (body.length === 0) {
    return fail(
      WMBUS_ERRORS.truncated,
      offset,
      "Cannot read CI: telegram ends after the DLL header",
    );
  }
  if (isEllCi(body[0] ?? 0)) {
    const ell = decodeEll(body, {
      dll: walk.dll,
      offset,
      // The reference applies no default key to the ELL.
      keys: walk.defaultKeys ? [] : walk.keys,
      defaultKeys: walk.defaultKeys,
    });
    if (!ell.ok) return ell;
    const e = ell.value;
    t.ell = e.ell;
    t.encrypted = e.encrypted;
    t.warnings.push(...e.warnings);
    if (!e.plain) {
      t.ci = e.ell.ci;
      t.payload = e.rest;
      t.decrypted = false;
      t.decryptionIssue = e.issue;
      return ok(t);
    }
    if (e.keyUsed && walk.defaultKeys) {
      t.warnings.push("DEFAULT_KEY: decrypted with a published default key");
    }
    offset += body.length - e.rest.length;
    body = e.rest;
    if (body.length === 0) {
      return fail(
        WMBUS_ERRORS.truncated,
        offset,
        "Cannot read CI: telegram ends after the ELL",
      );
    }
  }
  if (body[0] === CI.network) {
    body = body.subarray(2);
    offset += 2;
  }
  let afl: AflResult | null = null;
  if (body[0] === CI.afl) {
    const a = decodeAfl(body, offset);
    if (!a.ok) return a;
    afl = a.value;
    t.afl = afl.afl;
    if (afl.afl.moreFragments) {
      t.warnings.push("FRAGMENT: more fragments follow; payload is incomplete");
    }
    offset += body.length - afl.rest.length;
    body = afl.rest;
  }
  if (body.length === 0) {
    return fail(
      WMBUS_ERRORS.truncated,
      offset,
      "Cannot read TPL CI: telegram ends early",
    );
  }
  return walkTpl(walk, body, offset, afl);
}

function emptyTelegram(raw: Uint8Array): WmbusTelegram {
  return {
    raw,
    length: 0,
    c: 0,
    manufacturer: "",
    id: "",
    version: 0,
    deviceType: 0,
    frameFormat: "none",
    ell: null,
    afl: null,
    tpl: null,
    ci: 0,
    payload: NO_PAYLOAD,
    encrypted: false,
    decrypted: true,
    decryptionIssue: null,
    warnings: [],
    dll: { manufacturer: "", id: "", version: 0, deviceType: 0 },
  };
}

/** Takes the telegram's identity from its DLL address and records it as the DLL's own. */
function setDllAddress(t: WmbusTelegram, address: WmbusAddress): void {
  t.manufacturer = address.manufacturer;
  t.id = address.id;
  t.version = address.version;
  t.deviceType = address.deviceType;
  t.dll = address;
}

function isWiredLongFrame(bytes: Uint8Array): boolean {
  return bytes[0] === 0x68 && bytes[3] === 0x68 && bytes[1] === bytes[2] &&
    bytes.length === (bytes[1] ?? 0) + 6;
}

function parseWired(
  bytes: Uint8Array,
  options: ParseOptions,
): DecodeResult<WmbusTelegram> {
  const end = bytes.length - 2;
  let sum = 0;
  for (let i = 4; i < end; i++) sum += bytes[i] ?? 0;
  if ((sum & 0xff) !== bytes[end] || bytes[end + 1] !== 0x16) {
    return fail(
      WMBUS_ERRORS.badCrc,
      end,
      "Cannot read wired frame: bad checksum or stop byte",
    );
  }
  const t = emptyTelegram(bytes);
  t.frameFormat = "wired";
  t.length = bytes[1] ?? 0;
  t.c = bytes[4] ?? 0;
  t.warnings.push(`WIRED: long frame, primary address ${bytes[5] ?? 0}`);
  const body = bytes.subarray(6, end);
  let address = new Uint8Array(8);
  if (body[0] === CI.tplLong && body.length >= 9) {
    address = Uint8Array.of(
      body[5] ?? 0,
      body[6] ?? 0,
      ...body.subarray(1, 5),
      body[7] ?? 0,
      body[8] ?? 0,
    );
    setDllAddress(t, decodeWmbusAddress(address));
  }
  const { keys, defaults } = keysFor(t.manufacturer, options);
  if (body.length === 0) {
    return fail(
      WMBUS_ERRORS.truncated,
      6,
      "Cannot read CI: wired frame has no data",
    );
  }
  return walkTpl(
    {
      telegram: t,
      keys,
      defaultKeys: defaults,
      dllAddress: address,
      dll: NO_DLL,
    },
    body,
    6,
    null,
  );
}

/**
 * Parses a wireless M-Bus telegram (from L on, with or without DLL CRCs) through DLL, ELL,
 * AFL and TPL, decrypting ELL AES-CTR and TPL modes 5 and 7.
 *
 * Never throws. An encrypted telegram without a key is still `ok`: the header fields are
 * filled, `decrypted` is false, `decryptionIssue` is `NO_KEY` and a `NO_KEY: …` warning
 * is added; the same holds for unsupported security modes (`UNSUPPORTED_SECURITY_MODE`,
 * e.g. Diehl's scrambled "real data"). Failed results carry `TRUNCATED`, `BAD_CRC`,
 * `BAD_LENGTH`, `WRONG_KEY` or `UNSUPPORTED_CI`.
 *
 * @param bytes The telegram.
 * @param options Key, CRC presence, default keys.
 * @returns The parsed telegram or a typed error.
 *
 * @example
 * ```ts
 * import { fromHex } from "../util/mod.ts";
 * const r = parseTelegram(fromHex("1C44333003020100071B7A630020002F2F0265D2000242657E000165B5"));
 * if (r.ok) r.value.manufacturer; // "LAS"
 * ```
 */
export function parseTelegram(
  bytes: Uint8Array,
  options: ParseOptions = {},
): DecodeResult<WmbusTelegram> {
  if (
    options.key !== undefined && options.key.length !== AES_KEY_LENGTH &&
    options.key.length !== DES_KEY_LENGTH
  ) {
    return fail(
      WMBUS_ERRORS.wrongKey,
      0,
      `Cannot use key: expected 16 bytes (AES) or 8 (DES), got ${options.key.length}`,
    );
  }
  if (isWiredLongFrame(bytes)) return parseWired(bytes, options);
  const link = decodeLinkFrame(bytes, options.crc ?? "auto");
  if (!link.ok) return link;
  const frame = link.value.frame;
  const t = emptyTelegram(frame);
  t.frameFormat = link.value.format;
  t.warnings.push(...link.value.warnings);
  t.length = frame[0] ?? 0;
  t.c = frame[1] ?? 0;
  setDllAddress(t, decodeWmbusAddress(frame.subarray(2, 10)));
  const { keys, defaults } = keysFor(t.manufacturer, options);
  const walked = walkLayers({
    telegram: t,
    keys,
    defaultKeys: defaults,
    dllAddress: frame.subarray(2, 10),
    dll: frame.subarray(0, DLL_LENGTH),
    ...(options.receivedAt === undefined
      ? {}
      : { receivedAt: options.receivedAt }),
  }, frame);
  if (walked.ok) setIdentity(walked.value, frame);
  return walked;
}
