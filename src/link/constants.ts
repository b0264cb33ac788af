/**
 * The numbers of the EN 13757-2 link layer: start and stop bytes, C fields and their bits,
 * special addresses and the CI codes a wired master sends or meets.
 *
 * @module
 */

/** The single-character acknowledge sent by a slave. */
export const ACK = 0xe5;
/** Start byte of a short frame (`10 C A CS 16`). */
export const SHORT_START = 0x10;
/** Start byte (twice) of a control or long frame (`68 L L 68 …`). */
export const LONG_START = 0x68;
/** Stop byte of short, control and long frames. */
export const STOP = 0x16;

/** Total length of a short frame. */
export const SHORT_FRAME_LENGTH = 5;
/** Total length of a control frame (a long frame with L = 3). */
export const CONTROL_FRAME_LENGTH = 9;
/** Most user data bytes in one long frame. */
export const MAX_DATA_LENGTH = 252;
/** Longest frame on the wire: L = 255 plus 6 framing bytes. */
export const MAX_FRAME_LENGTH = 261;
/** Smallest legal L field (C, A, CI). */
export const MIN_L_FIELD = 3;

// C field bits.
/** C bit 6: set in frames from the master (primary message). */
export const C_PRM = 0b0100_0000;
/** C bit 5 from the master: frame count bit. */
export const C_FCB = 0b0010_0000;
/** C bit 4 from the master: the frame count bit is valid. */
export const C_FCV = 0b0001_0000;
/** C bit 5 from a slave: access demand (class 1 data waiting). */
export const C_ACD = 0b0010_0000;
/** C bit 4 from a slave: data flow control (cannot accept more data). */
export const C_DFC = 0b0001_0000;
/** C bits 3..0: the function code. */
export const C_FUNCTION_MASK = 0b0000_1111;

// C field values.
/** SND_NKE: link reset (and deselect at address 253). Answer `E5`. */
export const C_SND_NKE = 0x40;
/** SND_UD with FCV = 1, FCB = 0. Answer `E5`. */
export const C_SND_UD = 0x53;
/** SND_UD with FCV = 1, FCB = 1. */
export const C_SND_UD_FCB = 0x73;
/** REQ_UD1 (class 1 / alarm data) with FCB = 0. */
export const C_REQ_UD1 = 0x5a;
/** REQ_UD1 with FCB = 1. */
export const C_REQ_UD1_FCB = 0x7a;
/** REQ_UD2 (class 2 / normal data) with FCB = 0. */
export const C_REQ_UD2 = 0x5b;
/** REQ_UD2 with FCB = 1. */
export const C_REQ_UD2_FCB = 0x7b;
/** RSP_UD: the slave's answer. */
export const C_RSP_UD = 0x08;
/** RSP_UD with DFC = 1. */
export const C_RSP_UD_DFC = 0x18;
/** RSP_UD with ACD = 1. */
export const C_RSP_UD_ACD = 0x28;
/** RSP_UD with ACD = 1 and DFC = 1. */
export const C_RSP_UD_ACD_DFC = 0x38;

// Addresses.
/** Primary address of unconfigured slaves. */
export const ADDRESS_UNCONFIGURED = 0;
/** Highest assignable primary address. */
export const ADDRESS_MAX_PRIMARY = 250;
/** 253: the slave selected by secondary address (network layer). */
export const ADDRESS_NETWORK_LAYER = 0xfd;
/** 254: broadcast, every slave answers (bench use only). */
export const ADDRESS_BROADCAST_REPLY = 0xfe;
/** 255: broadcast, no slave answers. */
export const ADDRESS_BROADCAST_NO_REPLY = 0xff;

// CI codes.
/** Application reset (optional 1-byte subcode). */
export const CI_APPLICATION_RESET = 0x50;
/** Data send (SND_UD user data: writes, set address, readout selection). */
export const CI_DATA_SEND = 0x51;
/** Slave selection by secondary address. */
export const CI_SELECT = 0x52;
/** Application reset or selection with long header (newer editions). */
export const CI_SELECT_LONG = 0x53;
/** General application error (1 data byte). */
export const CI_APPLICATION_ERROR = 0x70;
/** Alarm status. */
export const CI_ALARM = 0x71;
/** Variable data response with long header: the normal RSP_UD. */
export const CI_RSP_UD_VARIABLE = 0x72;
/** Fixed data response (wired legacy). */
export const CI_RSP_UD_FIXED = 0x73;
/** Variable data response, mode 2 (MSB first). */
export const CI_RSP_UD_VARIABLE_MSB = 0x76;
/** Fixed data response, mode 2. */
export const CI_RSP_UD_FIXED_MSB = 0x77;
/** Set baud rate 300 (the first of eight consecutive codes). */
export const CI_BAUD_300 = 0xb8;
/** Set baud rate 38400 (the last baud code). */
export const CI_BAUD_38400 = 0xbf;

/** The baud rates selected by CI `B8`…`BF`, in code order. */
export const CI_BAUD_RATES = [
  300,
  600,
  1200,
  2400,
  4800,
  9600,
  19200,
  38400,
] as const;

/** Stable error codes of {@link decodeFrame} and the frame reader. */
export const LinkErrorCode = {
  /** The input ends before the frame does. */
  TRUNCATED: "TRUNCATED",
  /** The first (or fourth) byte is not a start byte. */
  BAD_START: "BAD_START",
  /** The two L bytes of a long frame differ. */
  LENGTH_MISMATCH: "LENGTH_MISMATCH",
  /** The L byte is below 3. */
  BAD_LENGTH: "BAD_LENGTH",
  /** The checksum byte does not match. */
  BAD_CHECKSUM: "BAD_CHECKSUM",
  /** The last byte is not `16`. */
  BAD_STOP: "BAD_STOP",
  /** Bytes follow a complete frame. */
  TRAILING_BYTES: "TRAILING_BYTES",
} as const;

/** One of {@link LinkErrorCode}. */
export type LinkErrorCode = typeof LinkErrorCode[keyof typeof LinkErrorCode];
