/**
 * Names of C fields and CI values for the analyzer (part of `analyze.ts`).
 *
 * @module
 */
import { byteHex } from "../util/mod.ts";
import { isManufacturerCi } from "./constants.ts";

const C_NAMES: Readonly<Record<number, string>> = {
  0x44: "SND_NR: meter sends data, no reply expected",
  0x46: "SND_IR: installation request",
  0x47: "ACC_NR: no data, meter reachable",
  0x48: "ACC_DMD: access demand",
  0x08: "RSP_UD: response with user data",
  0x18: "RSP_UD: response with user data",
  0x40: "SND_NKE: link reset",
  0x53: "SND_UD: send user data",
  0x73: "SND_UD: send user data (FCB)",
  0x5b: "REQ_UD2: request class 2 data",
  0x7b: "REQ_UD2: request class 2 data (FCB)",
  0x5a: "REQ_UD1: request class 1 data",
  0x7a: "REQ_UD1: request class 1 data (FCB)",
};

/**
 * The meaning of a C field.
 *
 * @param c The C byte.
 * @returns Text.
 */
export function cName(c: number): string {
  return C_NAMES[c] ?? `C field 0x${byteHex(c)}`;
}

const CI_NAMES: Readonly<Record<number, string>> = {
  0x72: "variable data, long header",
  0x76: "variable data (mode 2), long header",
  0x7a: "variable data, short header",
  0x78: "variable data, no header",
  0x79: "compact frame, no header",
  0x7b: "compact frame, short header",
  0x73: "fixed data / compact frame, long header",
  0x70: "application error",
  0x71: "alarm",
  0x51: "data send",
  0x8c: "ELL I (CC, ACC)",
  0x8d: "ELL II (CC, ACC, SN, payload CRC)",
  0x8e: "ELL III (CC, ACC, M2, A2)",
  0x8f: "ELL IV (CC, ACC, M2, A2, SN, payload CRC)",
  0x86: "ELL V (variable)",
  0x90: "AFL (authentication and fragmentation)",
};

/**
 * The meaning of a CI.
 *
 * @param ci The CI byte.
 * @returns Text.
 */
export function ciName(ci: number): string {
  if (isManufacturerCi(ci)) return "manufacturer specific application data";
  return CI_NAMES[ci] ?? `CI 0x${byteHex(ci)}`;
}
