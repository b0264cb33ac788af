/**
 * Encryption side of the layer codecs: turns plaintext telegrams into mode 5, DES mode 2/3
 * or ELL AES-CTR telegrams. The simulator, the tests and the benchmark use it to build
 * encrypted telegrams with known keys.
 *
 * @module
 */
import { AES_BLOCK, aesCtr } from "./aes.ts";
import { CI, DECRYPTION_CHECK, SECURITY_MODE } from "./constants.ts";
import { crcWmbus } from "./crc.ts";
import { ellCounter } from "./ell.ts";
import { encryptMode5, mode5Iv } from "./security.ts";
import { DES_BLOCK, desCbcEncrypt } from "./des.ts";
import { encodeDateG } from "../app/mod.ts";
import { plainTplPayloadStart } from "./encode_layers.ts";

export {
  type CompactParts,
  compactParts,
  compactTelegram,
  type EllOptions,
  encryptMode7Telegram,
  type Mode7Options,
  scrambleRealData,
  wrapInEll,
} from "./encode_layers.ts";

const DLL_LENGTH = 10;

/**
 * Encrypts a plaintext short- or long-header TPL telegram with security mode 5: pads the
 * payload with `2F` to whole blocks, sets CFG mode 5 and the block count, fixes L.
 *
 * @param frame CRC-less frame `L C M A 7A|72 …` whose payload (after CFG) starts with `2F 2F`.
 * @param key 16-byte key.
 * @returns The encrypted frame; throws TypeError when the frame is not such a telegram.
 */
export function encryptMode5Telegram(
  frame: Uint8Array,
  key: Uint8Array,
): Uint8Array {
  const { ci, start } = plainTplPayloadStart(frame);
  const payload = frame.subarray(start);
  const blocks = Math.min(15, Math.ceil(payload.length / AES_BLOCK));
  const plainLength = blocks * AES_BLOCK;
  const out = new Uint8Array(start + Math.max(plainLength, payload.length));
  out.set(frame.subarray(0, start));
  out.fill(DECRYPTION_CHECK, start);
  out.set(payload, start);
  const cfgAt = start - 2;
  const config = ((out[cfgAt] ?? 0) | ((out[cfgAt + 1] ?? 0) << 8)) & ~0x1ff0 |
    (SECURITY_MODE.aesCbcIv << 8) | (blocks << 4);
  out[cfgAt] = config & 0xff;
  out[cfgAt + 1] = config >> 8;
  const address = ci === CI.tplLong
    ? Uint8Array.of(
      out[15] ?? 0,
      out[16] ?? 0,
      ...out.subarray(11, 15),
      out[17] ?? 0,
      out[18] ?? 0,
    )
    : out.subarray(2, 10);
  const accessNumber = out[start - 4] ?? 0;
  out.set(
    encryptMode5(
      key,
      out.subarray(start, start + plainLength),
      mode5Iv(address, accessNumber),
    ),
    start,
  );
  out[0] = out.length - 1;
  return out;
}

/**
 * Encrypts a plaintext ELL II or IV telegram (CI 0x8D, 0x8F) with AES-128-CTR: sets the
 * SN encryption bits to 1, recomputes the payload CRC and encrypts from the CRC on.
 *
 * @param frame CRC-less frame `L C M A 8D CC ACC SN(4) CRC(2) …` or `… 8F CC ACC M2 A2 SN
 *   CRC …` (CRC may be anything).
 * @param key 16-byte key.
 * @returns The encrypted frame; throws TypeError when CI is not 0x8D or 0x8F.
 */
export function encryptEllTelegram(
  frame: Uint8Array,
  key: Uint8Array,
): Uint8Array {
  const ci = frame[DLL_LENGTH];
  const snAt = DLL_LENGTH + (ci === CI.ellAddressSession ? 11 : 3);
  if (
    (ci !== CI.ellSession && ci !== CI.ellAddressSession) ||
    frame.length < snAt + 6
  ) {
    throw new TypeError(
      "Cannot encrypt telegram: expected an ELL II or IV (CI 8D, 8F) frame",
    );
  }
  const out = frame.slice();
  out[snAt + 3] = ((out[snAt + 3] ?? 0) & 0x1f) | 0x20;
  const crcAt = snAt + 4;
  const crc = crcWmbus(out, crcAt + 2);
  out[crcAt] = crc & 0xff;
  out[crcAt + 1] = crc >> 8;
  const counter = ellCounter(
    out.subarray(0, DLL_LENGTH),
    out[DLL_LENGTH + 1] ?? 0,
    out.subarray(snAt, snAt + 4),
  );
  out.set(aesCtr(key, out.subarray(crcAt), counter), crcAt);
  return out;
}

/**
 * Encrypts a plaintext short-header TPL telegram with the deprecated DES modes: mode 2
 * (DES-CBC, IV 0) or mode 3 (DES-CBC, IV = ID, M, type G date of `day`). Pads the payload
 * with `2F` to whole 8-byte blocks, sets CFG mode and fixes L.
 *
 * @param frame CRC-less frame `L C M A 7A …` whose payload (after CFG) starts with `2F 2F`.
 * @param key 8-byte key.
 * @param mode 2 or 3.
 * @param day Mode 3: the transmission day, `YYYY-MM-DD`.
 * @returns The encrypted frame; throws TypeError when the frame is not such a telegram.
 */
export function encryptDesTelegram(
  frame: Uint8Array,
  key: Uint8Array,
  mode: 2 | 3,
  day = "2000-01-01",
): Uint8Array {
  const start = DLL_LENGTH + 5;
  if (
    frame[DLL_LENGTH] !== CI.tplShort || frame[start] !== DECRYPTION_CHECK ||
    frame[start + 1] !== DECRYPTION_CHECK
  ) {
    throw new TypeError(
      "Cannot encrypt telegram: expected CI 7A and a 2F2F payload",
    );
  }
  const payload = frame.subarray(start);
  const plainLength = Math.ceil(payload.length / DES_BLOCK) * DES_BLOCK;
  const out = new Uint8Array(start + plainLength);
  out.set(frame.subarray(0, start));
  out.fill(DECRYPTION_CHECK, start);
  out.set(payload, start);
  const cfgAt = start - 2;
  const config = ((out[cfgAt] ?? 0) | ((out[cfgAt + 1] ?? 0) << 8)) & ~0x1f00 |
    (mode << 8);
  out[cfgAt] = config & 0xff;
  out[cfgAt + 1] = config >> 8;
  const iv = new Uint8Array(DES_BLOCK);
  if (mode === 3) {
    iv.set(out.subarray(4, 8));
    iv.set(out.subarray(2, 4), 4);
    iv.set(encodeDateG(day), 6);
  }
  out.set(desCbcEncrypt(key, out.subarray(start), iv), start);
  out[0] = out.length - 1;
  return out;
}
