/**
 * Builders for the optional layers around a TPL: an ELL I–IV (plain or AES-128-CTR), an
 * AFL carrying a mode 7 telegram's MAC, and compact frames equivalent to a full frame.
 * Tests, the simulator and the differential harness build framing variants with them; the
 * decoders (`ell.ts`, `afl.ts`, `security.ts`, `drivers/_compact.ts`) read them back.
 *
 * All take a CRC-less frame `L C M A …` and return a new one with L fixed; they throw
 * TypeError on inputs that are not such frames (builders, not decoders).
 *
 * @module
 */
import { walkRecords } from "../app/mod.ts";
import {
  AES_BLOCK,
  aesCbcEncrypt,
  aesCtr,
  deriveKey,
  KDF_CONSTANT,
} from "./aes.ts";
import { CI, DECRYPTION_CHECK } from "./constants.ts";
import { crcWmbus } from "./crc.ts";
import { ellCounter } from "./ell.ts";
import { mode7Mac } from "./security.ts";
import { priosXor } from "./vendor_security.ts";

const DLL_LENGTH = 10;

/** What an ELL carries. */
export interface EllOptions {
  /** 0x8C (I), 0x8D (II), 0x8E (III) or 0x8F (IV). */
  ci: number;
  /** Communication control. @default 0x20 (synchronised) */
  cc?: number;
  /** ELL access number. @default 0 */
  acc?: number;
  /** ELL III/IV: M2 and A2 as transmitted (8 bytes). @default 8 zero bytes */
  address2?: Uint8Array;
  /** ELL II/IV: session number bits 0–28 (session counter and time). @default 0 */
  session?: number;
  /** ELL II/IV: encrypt with AES-128-CTR under this key (SN encryption 1). */
  key?: Uint8Array;
}

function setL(out: Uint8Array): Uint8Array {
  out[0] = (out.length - 1) & 0xff;
  return out;
}

/**
 * Inserts an ELL after the DLL of a frame, with the payload CRC over everything after it,
 * and encrypts from the CRC on when a key is given.
 *
 * @param frame CRC-less frame `L C M A CI …` (the CI of the layer after the ELL).
 * @param options The ELL variant and fields.
 * @returns The frame with the ELL.
 */
export function wrapInEll(frame: Uint8Array, options: EllOptions): Uint8Array {
  const { ci } = options;
  const hasAddress = ci === CI.ellAddress || ci === CI.ellAddressSession;
  const hasSession = ci === CI.ellSession || ci === CI.ellAddressSession;
  if (
    frame.length <= DLL_LENGTH ||
    (!hasSession && !hasAddress && ci !== CI.ellShort)
  ) {
    throw new TypeError(
      "Cannot build ELL: expected CI 8C–8F and a frame with a CI after the DLL",
    );
  }
  if (options.key !== undefined && !hasSession) {
    throw new TypeError("Cannot build ELL: only ELL II and IV are encrypted");
  }
  const header: number[] = [ci, options.cc ?? 0x20, options.acc ?? 0];
  if (hasAddress) {
    const a = options.address2 ?? new Uint8Array(8);
    if (a.length !== 8) {
      throw new TypeError("Cannot build ELL: M2 A2 must be 8 bytes");
    }
    header.push(...a);
  }
  const snAt = DLL_LENGTH + header.length;
  if (hasSession) {
    const sn = ((options.session ?? 0) & 0x1fffffff) +
      (options.key === undefined ? 0 : 0x20000000);
    header.push(sn & 0xff, (sn >>> 8) & 0xff, (sn >>> 16) & 0xff, sn >>> 24);
    header.push(0, 0);
  }
  const inner = frame.subarray(DLL_LENGTH);
  const out = new Uint8Array(DLL_LENGTH + header.length + inner.length);
  out.set(frame.subarray(0, DLL_LENGTH));
  out.set(header, DLL_LENGTH);
  out.set(inner, DLL_LENGTH + header.length);
  setL(out);
  if (!hasSession) return out;
  const crcAt = snAt + 4;
  const crc = crcWmbus(out, crcAt + 2);
  out[crcAt] = crc & 0xff;
  out[crcAt + 1] = crc >> 8;
  if (options.key !== undefined) {
    const counter = ellCounter(
      out.subarray(0, DLL_LENGTH),
      out[DLL_LENGTH + 1] ?? 0,
      out.subarray(snAt, snAt + 4),
    );
    out.set(aesCtr(options.key, out.subarray(crcAt), counter), crcAt);
  }
  return out;
}

/** Mode 7 options. */
export interface Mode7Options {
  /** Message counter MCR (AFL), 32 bits. @default 1 */
  counter?: number;
  /** AFL MAC length: 8 (AT 5) or 16 (AT 7, full CMAC). @default 8 */
  macLength?: 8 | 16;
  /** Put ML (message length) into the AFL (the MAC then covers it). @default true */
  withLength?: boolean;
}

/**
 * Where the `2F 2F` payload of a plaintext short- or long-header TPL telegram starts.
 *
 * @param frame CRC-less frame `L C M A 7A|72 …`.
 * @returns The CI, the TPL header length after it (5 or 13) and the payload offset.
 * @throws {TypeError} when the frame is not such a telegram.
 */
export function plainTplPayloadStart(
  frame: Uint8Array,
): { ci: number; header: number; start: number } {
  const ci = frame[DLL_LENGTH];
  const header = ci === CI.tplShort ? 5 : ci === CI.tplLong ? 13 : 0;
  const start = DLL_LENGTH + header;
  if (
    header === 0 || frame[start] !== DECRYPTION_CHECK ||
    frame[start + 1] !== DECRYPTION_CHECK
  ) {
    throw new TypeError(
      "Cannot encrypt telegram: expected CI 7A or 72 and a 2F2F payload",
    );
  }
  return { ci: ci ?? 0, header, start };
}

/**
 * Encrypts a plaintext short- or long-header telegram with security mode 7 (AES-CBC, IV 0,
 * keys derived with KDF-A from the MCR and the meter ID) and puts an AFL with MCL, MCR,
 * the CMAC and optional ML (EN 13757-7 order) in front of the TPL.
 *
 * @param frame CRC-less frame `L C M A 7A|72 …` whose payload (after CFG) starts with `2F 2F`.
 * @param key The meter's 16-byte key.
 * @param options Counter, MAC length, ML.
 * @returns The mode 7 frame.
 */
export function encryptMode7Telegram(
  frame: Uint8Array,
  key: Uint8Array,
  options: Mode7Options = {},
): Uint8Array {
  const { ci, header, start } = plainTplPayloadStart(frame);
  const payload = frame.subarray(start);
  const blocks = Math.min(15, Math.ceil(payload.length / AES_BLOCK));
  const plain = new Uint8Array(
    Math.max(blocks * AES_BLOCK, payload.length),
  ).fill(DECRYPTION_CHECK);
  plain.set(payload);
  const tpl = new Uint8Array(header + 1 + plain.length);
  tpl.set(frame.subarray(DLL_LENGTH, start));
  const cfgAt = header - 2;
  const cfg = ((tpl[cfgAt] ?? 0) | ((tpl[cfgAt + 1] ?? 0) << 8)) & ~0x1ff0 |
    (7 << 8) | (blocks << 4);
  tpl[cfgAt] = cfg & 0xff;
  tpl[cfgAt + 1] = cfg >> 8;
  tpl[header] = 0x10; // CFG extension: KDF-A (KDFS 1)
  const id = ci === CI.tplLong
    ? frame.subarray(DLL_LENGTH + 1, DLL_LENGTH + 5)
    : frame.subarray(4, 8);
  const counter = options.counter ?? 1;
  const mcr = Uint8Array.of(
    counter & 0xff,
    (counter >>> 8) & 0xff,
    (counter >>> 16) & 0xff,
    counter >>> 24,
  );
  const derive = (dc: number) => deriveKey(key, { dc, mcr, id });
  const enc = plain.subarray(0, blocks * AES_BLOCK);
  tpl.set(plain, header + 1);
  tpl.set(
    aesCbcEncrypt(derive(KDF_CONSTANT.encMeterToCollector), enc),
    header + 1,
  );
  const macLength = options.macLength ?? 8;
  const withLength = options.withLength ?? true;
  const mcl = (macLength === 16 ? 0x07 : 0x05) | 0x20 | (withLength ? 0x40 : 0);
  const ml = withLength
    ? Uint8Array.of(tpl.length & 0xff, tpl.length >> 8)
    : new Uint8Array(0);
  const mac = mode7Mac(
    derive(KDF_CONSTANT.macMeterToCollector),
    Uint8Array.of(mcl, ...mcr, ...ml),
    tpl,
  ).subarray(0, macLength);
  // FCL: MCL (bit 13), MCR (bit 11), ML (bit 12), MAC (bit 10); fragment 0, the last.
  const fcl = 0x2000 | 0x0800 | 0x0400 | (withLength ? 0x1000 : 0);
  const afl = [fcl & 0xff, fcl >> 8, mcl, ...mcr, ...mac, ...ml];
  const out = new Uint8Array(DLL_LENGTH + 2 + afl.length + tpl.length);
  out.set(frame.subarray(0, DLL_LENGTH));
  out.set([CI.afl, afl.length, ...afl], DLL_LENGTH);
  out.set(tpl, DLL_LENGTH + 2 + afl.length);
  return setL(out);
}

/** A full frame's records split for a compact frame. */
export interface CompactParts {
  /** The DIF/VIF header bytes of every record, concatenated. */
  format: Uint8Array;
  /** Format signature: CRC of `format`. */
  signature: number;
  /** Data CRC: CRC of the record bytes (headers and data). */
  crc: number;
  /** The data bytes only. */
  data: Uint8Array;
}

/**
 * Splits full-frame record bytes into the parts of the equivalent compact frame.
 *
 * @param records Record bytes (no `2F` fillers, no DIF 0F tail, no variable lengths).
 * @returns Format, signature, data CRC and data.
 */
export function compactParts(records: Uint8Array): CompactParts {
  const format: number[] = [];
  const data: number[] = [];
  const walk = walkRecords(records, (s) => {
    for (let i = s.start; i < s.headerEnd; i++) format.push(records[i] ?? 0);
    for (let i = s.headerEnd; i < s.dataAt + s.dataLength; i++) {
      data.push(records[i] ?? 0);
    }
  });
  if (walk.error !== null || walk.manufacturerData !== null) {
    throw new TypeError(
      "Cannot build compact frame: records must be standard records only",
    );
  }
  const f = Uint8Array.from(format);
  return {
    format: f,
    signature: crcWmbus(f),
    crc: crcWmbus(records),
    data: Uint8Array.from(data),
  };
}

/** Full-frame CI → compact-frame CI, and the TPL header length after the CI. */
const COMPACT_OF: ReadonlyMap<number, readonly [number, number]> = new Map([
  [CI.tplNone, [CI.compactNone, 0]],
  [CI.tplShort, [CI.compactShort, 4]],
  [CI.tplLong, [CI.compactLong, 12]],
]);

/**
 * Turns a plain full frame (`L C M A 78|7A|72 [header] records`) into its compact frame
 * (`L C M A 79|7B|73 [header] signature crc data`), the TPL header kept.
 *
 * @param frame CRC-less frame with CI 78, 7A or 72 (security mode 0) and standard records.
 * @returns The compact frame.
 */
export function compactTelegram(frame: Uint8Array): Uint8Array {
  const kind = COMPACT_OF.get(frame[DLL_LENGTH] ?? 0);
  if (kind === undefined) {
    throw new TypeError("Cannot build compact frame: expected CI 78, 7A or 72");
  }
  const [ci, header] = kind;
  const start = DLL_LENGTH + 1 + header;
  const p = compactParts(frame.subarray(start));
  const out = new Uint8Array(start + 4 + p.data.length);
  out.set(frame.subarray(0, start));
  out[DLL_LENGTH] = ci;
  out.set(
    [p.signature & 0xff, p.signature >> 8, p.crc & 0xff, p.crc >> 8],
    start,
  );
  out.set(p.data, start + 4);
  return setL(out);
}

/**
 * Scrambles a Diehl "real data" telegram: sets CFG bit 12 and the checksum bits of CFG's
 * high byte (sum of the plain bytes from offset 15, AND 0xEF) and XORs those bytes with
 * the PRIOS key stream of `key`.
 *
 * @param frame CRC-less frame `L C M A 7A ACC STS CFG CFG records`, A as transmitted (the
 *   real-data A field has version and type in bytes 4–5 and the ID in bytes 6–9).
 * @param key 8-byte PRIOS key.
 * @returns The scrambled frame.
 */
export function scrambleRealData(
  frame: Uint8Array,
  key: Uint8Array,
): Uint8Array {
  if (frame[DLL_LENGTH] !== CI.tplShort || frame.length <= 15) {
    throw new TypeError("Cannot scramble real data: expected CI 7A and data");
  }
  const out = frame.slice();
  let sum = 0;
  for (let i = 15; i < out.length; i++) sum += out[i] ?? 0;
  out[14] = (sum & 0xef) | 0x10;
  out.set(priosXor(out, key), 15);
  return setL(out);
}
