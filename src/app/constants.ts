/**
 * Application layer constants: CI values, DIF/VIF masks and the decoder's error codes.
 *
 * @module
 */

/** CI field values the codec understands (EN 13757-3, mbus-wired.md §3.1). */
export const CI = {
  /** Data send (SND_UD), records without header. */
  DATA_SEND: 0x51,
  /** Application reset / select with long header. */
  SELECT_LONG: 0x53,
  /** Command to device, short header. */
  COMMAND_SHORT: 0x5a,
  /** Command to device, long header. */
  COMMAND_LONG: 0x5b,
  /** Response of selected application, no / short / long header. */
  RESPONSE_NONE: 0x66,
  RESPONSE_SHORT: 0x67,
  RESPONSE_LONG: 0x68,
  /** General application error (1 byte). */
  APPLICATION_ERROR: 0x70,
  /** Alarm status (manufacturer specific data). */
  ALARM: 0x71,
  /** Variable data response, long header. */
  VARIABLE_LONG: 0x72,
  /** Fixed data response (wired legacy). */
  FIXED: 0x73,
  /** Variable data, mode 2 (MSB first; decoded like 0x72). */
  VARIABLE_MODE2: 0x76,
  /** Fixed data, mode 2. */
  FIXED_MODE2: 0x77,
  /** Variable data, no header. */
  VARIABLE_NONE: 0x78,
  /** Variable data, short header. */
  VARIABLE_SHORT: 0x7a,
} as const;

/** Length of the long transport header (ID, manufacturer, version, medium, ACC, STS, signature). */
export const LONG_HEADER_LENGTH = 12;
/** Length of the short transport header (ACC, STS, signature). */
export const SHORT_HEADER_LENGTH = 4;
/** Length of a fixed data structure. */
export const FIXED_DATA_LENGTH = 16;

/** DIF / DIFE / VIF masks. */
export const EXTENSION_BIT = 0b1000_0000;
/** DIF bit 6: storage number LSB. */
export const DIF_STORAGE_BIT = 0b0100_0000;
/** DIF bits 5–4: function. */
export const DIF_FUNCTION_MASK = 0b0011_0000;
/** DIF bits 3–0: data field. */
export const DIF_DATA_MASK = 0b0000_1111;
/** DIFE bit 6: subunit. */
export const DIFE_SUBUNIT_BIT = 0b0100_0000;
/** DIFE bits 5–4: tariff. */
export const DIFE_TARIFF_MASK = 0b0011_0000;
/** DIFE bits 3–0: storage. */
export const DIFE_STORAGE_MASK = 0b0000_1111;
/** VIF/VIFE bits 6–0. */
export const VIF_CODE_MASK = 0b0111_1111;

/** Special DIFs (data field F). */
export const DIF_MANUFACTURER = 0x0f;
/** More records follow in the next telegram. */
export const DIF_MORE_RECORDS = 0x1f;
/** Idle filler. */
export const DIF_IDLE_FILLER = 0x2f;
/** Global readout request. */
export const DIF_GLOBAL_READOUT = 0x7f;

/** Extension VIFs. */
export const VIF_FB = 0xfb;
/** Second extension table. */
export const VIF_FD = 0xfd;
/** Plain-text VIF (bit 7 masked). */
export const VIF_PLAIN_TEXT = 0x7c;
/** Manufacturer specific VIF (bit 7 masked). */
export const VIF_MANUFACTURER = 0x7f;
/** In a combinable chain: next VIFE is from the combinable extension table. */
export const VIFE_COMBINABLE_EXT = 0x7c;

/** Maximum DIFEs and VIFEs per record (libmbus and wmbusmeters enforce 10). */
export const MAX_DIFE = 10;
/** Maximum VIFEs per record. */
export const MAX_VIFE = 10;

/** Error codes of the application layer decoder. */
export const APP_ERROR = {
  UNSUPPORTED_CI: "UNSUPPORTED_CI",
  TRUNCATED_HEADER: "TRUNCATED_HEADER",
  TRUNCATED_RECORD: "TRUNCATED_RECORD",
  TOO_MANY_DIFES: "TOO_MANY_DIFES",
  TOO_MANY_VIFES: "TOO_MANY_VIFES",
  RESERVED_DIF: "RESERVED_DIF",
  RESERVED_LVAR: "RESERVED_LVAR",
  APPLICATION_ERROR: "APPLICATION_ERROR",
} as const;

/** Application error messages of CI 0x70 (EN 13757-3, §3.12), libmbus's wording. */
export const APPLICATION_ERROR_MESSAGES: readonly string[] = [
  "Unspecified error",
  "Unimplemented CI-Field",
  "Buffer too long, truncated",
  "Too many records",
  "Premature end of record",
  "More than 10 DIFE's",
  "More than 10 VIFE's",
  "Reserved",
  "Application busy",
  "Too many readouts",
];
