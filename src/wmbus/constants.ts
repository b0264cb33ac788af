/**
 * Wireless M-Bus constants (EN 13757-4, OMS): C fields, CI fields of the layer chain,
 * security modes and the error codes of this layer.
 *
 * @module
 */

/** C field values a listening collector sees (doc §3.1). */
export const C_FIELD = {
  /** SND_NR: periodic data, no reply expected. */
  sndNr: 0x44,
  /** SND_IR: installation request. */
  sndIr: 0x46,
  /** ACC_NR: no data, meter reachable. */
  accNr: 0x47,
  /** ACC_DMD: access demand. */
  accDmd: 0x48,
  /** RSP_UD: answer in a bidirectional mode. */
  rspUd: 0x08,
} as const;

/** CI values of the layer chain (doc §4). */
export const CI = {
  /** ELL I: CC, ACC. */
  ellShort: 0x8c,
  /** ELL II: CC, ACC, SN, payload CRC. */
  ellSession: 0x8d,
  /** ELL III: CC, ACC, M2, A2. */
  ellAddress: 0x8e,
  /** ELL IV: CC, ACC, M2, A2, SN, payload CRC. */
  ellAddressSession: 0x8f,
  /** ELL V: variable (unsupported). */
  ellVariable: 0x86,
  /** Network layer. */
  network: 0x81,
  /** Authentication and fragmentation layer. */
  afl: 0x90,
  /** TPL long header + APL. */
  tplLong: 0x72,
  /** TPL short header + APL. */
  tplShort: 0x7a,
  /** APL without TPL header. */
  tplNone: 0x78,
  /** Compact frame, long header. */
  compactLong: 0x73,
  /** Compact frame, short header. */
  compactShort: 0x7b,
  /** Compact frame, no header. */
  compactNone: 0x79,
} as const;

/** How a TPL CI lays out its header. */
export type HeaderType = "none" | "short" | "long";

/** TPL CIs and their header type (doc §4, §7.1); everything else has no TPL. */
export const TPL_HEADERS: ReadonlyMap<number, HeaderType> = new Map<
  number,
  HeaderType
>([
  [0x78, "none"],
  [0x79, "none"],
  [0x69, "none"],
  [0x70, "none"],
  [0x7a, "short"],
  [0x7b, "short"],
  [0x6a, "short"],
  [0x74, "short"],
  [0x8a, "short"],
  [0x72, "long"],
  [0x73, "long"],
  [0x6b, "long"],
  [0x75, "long"],
  [0x8b, "long"],
]);

/** True for a manufacturer specific CI (0xA0–0xB7) or Diehl's 0x71 "real data". */
export function isManufacturerCi(ci: number): boolean {
  return (ci >= 0xa0 && ci <= 0xb7) || ci === 0x71;
}

/** Security modes of the TPL CFG field (doc §7.4) handled here. */
export const SECURITY_MODE = {
  /** No encryption. */
  none: 0,
  /** DES-CBC, IV 0, 8-byte key (deprecated). */
  desCbc: 2,
  /** DES-CBC, IV from ID, M and the transmission date, 8-byte key (deprecated). */
  desCbcIv: 3,
  /** AES-128-CBC, IV from address and access number. */
  aesCbcIv: 5,
  /** AES-128-CBC, IV 0, ephemeral keys, MAC in the AFL. */
  aesCbcKdf: 7,
} as const;

/** The first two plaintext bytes of a correctly decrypted APL (idle fillers). */
export const DECRYPTION_CHECK = 0x2f;

/** Error codes of {@link parseTelegram}'s failed results. */
export const WMBUS_ERRORS = {
  /** Fewer bytes than a header or the L field needs. */
  truncated: "TRUNCATED",
  /** DLL CRCs were required and did not match. */
  badCrc: "BAD_CRC",
  /** L field inconsistent with the bytes (and not a known quirk). */
  badLength: "BAD_LENGTH",
  /** Encrypted, no key (only in {@link WmbusTelegram.decryptionIssue}). */
  noKey: "NO_KEY",
  /** Decryption check (2F2F, ELL CRC) or MAC failed. */
  wrongKey: "WRONG_KEY",
  /** A CI this layer cannot walk. */
  unsupportedCi: "UNSUPPORTED_CI",
} as const;
