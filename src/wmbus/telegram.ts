/**
 * The shape of a parsed wireless M-Bus telegram and of the parse options: the contract
 * between the layer parser and the drivers.
 *
 * @module
 */
import type { HeaderType } from "./constants.ts";
import type { KeyInput } from "./meter_key.ts";

/** Frame format of a telegram as received. */
export type FrameFormat = "A" | "B" | "none";

/** Whether DLL CRCs are in the input: detect, require, or assume none. */
export type CrcPresence = "auto" | "present" | "absent";

/** Extended link layer header (CI 0x8C–0x8F). */
export interface EllHeader {
  /** The ELL CI. */
  ci: number;
  /** Communication control field. */
  cc: number;
  /** ELL access number. */
  acc: number;
  /** SN field (ELL II/IV), as a 32-bit number. */
  sessionNumber?: number;
  /** SN bits 29–31: 0 none, 1 AES-CTR (ELL II/IV). */
  encryption?: number;
  /** The payload CRC matched the (decrypted) payload (ELL II/IV). */
  payloadCrcOk?: boolean;
  /** Second address, M2 and A2 (ELL III/IV). */
  address?: WmbusAddress;
}

/** A manufacturer + A field identity. */
export interface WmbusAddress {
  /** 3-letter manufacturer. */
  manufacturer: string;
  /** ID as printed: 8 lowercase hex digits. */
  id: string;
  /** Version. */
  version: number;
  /** Device type (medium code). */
  deviceType: number;
}

/** Authentication and fragmentation layer (CI 0x90, doc §6). */
export interface AflHeader {
  /** Always 0x90. */
  ci: number;
  /** AFL.L: bytes after the length byte. */
  length: number;
  /** Fragmentation control field. */
  fcl: number;
  /** Fragment ID (FCL bits 0–7). */
  fragmentId: number;
  /** More fragments follow (FCL bit 14): the payload is incomplete. */
  moreFragments: boolean;
  /** Message control (MCL), when present. */
  mcl?: number;
  /** Key information, when present. */
  ki?: number;
  /** Message counter (MCR), when present. */
  mcr?: number;
  /** Message length (ML), when present. */
  ml?: number;
  /** The MAC bytes, when present. */
  mac?: Uint8Array;
  /** The MAC was checked against the key (mode 7): true match; absent when unchecked. */
  macOk?: boolean;
}

/** Transport layer header (doc §7). */
export interface TplHeader {
  /** The TPL CI (0x7A, 0x72, 0x78, 0x79, …). */
  ci: number;
  /** Header layout. */
  headerType: HeaderType;
  /** Access number (short and long headers). */
  accessNumber?: number;
  /** Status byte (short and long headers). */
  status?: number;
  /** CFG field, 16 bits (short and long headers). */
  config?: number;
  /** CFG extension byte (mode 7). */
  configExt?: number;
  /** Security mode (CFG bits 8–12); 0 without a header. */
  securityMode: number;
  /** Number of encrypted 16-byte blocks announced by CFG bits 4–7. */
  encryptedBlocks?: number;
  /** Long header: ID as printed. */
  id?: string;
  /** Long header: manufacturer. */
  manufacturer?: string;
  /** Long header: version. */
  version?: number;
  /** Long header: device type. */
  deviceType?: number;
}

/** Why an encrypted payload was left encrypted (the telegram is still `ok`). */
export type DecryptionIssue = "NO_KEY" | "UNSUPPORTED_SECURITY_MODE";

/** A wireless (or wired long-frame) telegram walked through DLL, ELL, AFL and TPL. */
export interface WmbusTelegram {
  /** The telegram without link-layer CRCs (as received: still encrypted). */
  raw: Uint8Array;
  /** L field (bytes after L; for a wired frame its L). */
  length: number;
  /** C field. */
  c: number;
  /**
   * Manufacturer (3 letters) of the meter: from the long TPL header when there is one,
   * else from the DLL M field.
   */
  manufacturer: string;
  /**
   * Meter ID as wmbusmeters prints it (8 digits, lowercase hex digits if any): the long
   * TPL header's ID when there is one, else the DLL ID; for Diehl telegrams with a
   * swapped A field (doc §13.2) the ID from DLL bytes 6–9.
   */
  id: string;
  /** Version of the meter (same source as `id`; 0 for Sappel PRIOS). */
  version: number;
  /** Device type / medium code of the meter (same source as `id`; 0x07 for Sappel PRIOS). */
  deviceType: number;
  /** The DLL address exactly as transmitted (M field and A field, not swapped). */
  dll: WmbusAddress;
  /** The frame format whose CRCs were removed (`none` when there were none). */
  frameFormat: FrameFormat | "wired";
  /** Extended link layer, if present. */
  ell: EllHeader | null;
  /** Authentication and fragmentation layer, if present. */
  afl: AflHeader | null;
  /** Transport layer, null for manufacturer CIs (0xA0–0xB7, 0x71) and undecryptable ELL. */
  tpl: TplHeader | null;
  /** CI of the application payload (0x78, 0x79, 0x7A, 0x72, 0xA0 …); with an undecryptable ELL, the ELL CI. */
  ci: number;
  /**
   * Application data after the TPL header, decrypted when possible. After AES it keeps
   * the leading `2F 2F` check bytes and the `2F` padding (idle fillers for the records).
   */
  payload: Uint8Array;
  /** A header announces encryption (ELL SN or TPL security mode ≠ 0). */
  encrypted: boolean;
  /** The payload is plaintext: decrypted by us, or already plain (2F2F / ELL CRC check). */
  decrypted: boolean;
  /** Why `encrypted && !decrypted`, else null. */
  decryptionIssue: DecryptionIssue | null;
  /** Quirks and notes, each `CODE: text` (e.g. `NO_KEY: …`, `DEFAULT_KEY: …`). */
  warnings: string[];
}

/** Options of `parseTelegram`. */
export interface ParseOptions {
  /**
   * The meter's key: 16 bytes (AES), or 8 for the DES modes 2 and 3; a `MeterKey` keeps
   * its AES schedules between telegrams. @default undefined (no key)
   */
  key?: KeyInput;
  /** When the telegram was received, ms since the epoch (DES mode 3's IV holds the date). @default undefined */
  receivedAt?: number;
  /** Whether DLL CRCs are in the input. @default "auto" */
  crc?: CrcPresence;
  /** Try published default keys (Diehl) when no key is given. @default true */
  tryDefaultKeys?: boolean;
}
