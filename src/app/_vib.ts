/**
 * The meaning of the VIB (VIF, plain text, VIFE chain) of a record the walker
 * (`walk_records.ts`) has delimited, and the power-of-ten scaling the record decoder
 * shares. Internal to the app layer.
 *
 * @module
 */
import { byteHex } from "../util/mod.ts";
import {
  VIF_FB,
  VIF_FD,
  VIF_MANUFACTURER,
  VIFE_COMBINABLE_EXT,
} from "./constants.ts";
import {
  FB_VIF,
  FD_VIF,
  PRIMARY_VIF,
  RESERVED_VIF,
  type VifInfo,
} from "./vif_table.ts";
import {
  COMBINABLE_EXT_VIFE,
  COMBINABLE_VIFE,
  vifeExponent,
  vifeOffset,
} from "./vife_table.ts";
import type { RecordSpan } from "./walk_records.ts";

const POW10: readonly number[] = Array.from({ length: 40 }, (_, i) => 10 ** i);

/**
 * Scales a raw number by 10^exponent, dividing for negative exponents (exact for the
 * usual cases: 332 × 10^-3 = 0.332).
 *
 * @param raw The raw number.
 * @param exponent Power of ten.
 * @returns raw × 10^exponent.
 */
export function scaleByPowerOfTen(raw: number, exponent: number): number {
  if (exponent === 0) return raw;
  return exponent > 0
    ? raw * (POW10[exponent] ?? 10 ** exponent)
    : raw / (POW10[-exponent] ?? 10 ** -exponent);
}

/** The meaning of a record's VIB, read from bytes the walker has delimited. */
export interface Vib {
  /** The primary VIF byte. */
  vif: number;
  /** Meaning of the true VIF. */
  info: VifInfo;
  /** VIFE bytes as lowercase hex (after `fd`/`fb` the first is the true VIF). */
  vife: string[];
  /** Meanings of the combinable VIFEs. */
  descriptions: string[];
  /** Power-of-ten change from the combinable VIFEs. */
  exponentChange: number;
  /** Additive correction from the combinable VIFEs. */
  offset: number;
  /** Plain-text unit (VIF `7C`/`FC`), else null. */
  text: string | null;
}

function plainText(data: Uint8Array, at: number): string {
  const len = data[at] ?? 0;
  let s = "";
  for (let i = at + len; i > at; i--) s += String.fromCharCode(data[i] ?? 0);
  return s;
}

/**
 * Interprets the VIF, plain-text unit and VIFE chain of a record span.
 *
 * @param data The walked bytes.
 * @param span The record (from the walker: every byte it names is present).
 * @returns The VIB's meaning.
 */
export function interpretVib(data: Uint8Array, span: RecordSpan): Vib {
  const vif = span.vif;
  const vife: string[] = [];
  const descriptions: string[] = [];
  let info = PRIMARY_VIF[vif & 0x7f] ?? RESERVED_VIF;
  let exponentChange = 0;
  let offset = 0;
  if (vif === VIF_FD || vif === VIF_FB) {
    const e = data[span.vifAt + 1] ?? 0;
    vife.push(byteHex(e));
    info = (vif === VIF_FD ? FD_VIF : FB_VIF)[e & 0x7f] ?? RESERVED_VIF;
  }
  let extNext = false;
  let manufacturerChain = info.kind === "manufacturer";
  for (let at = span.combinableAt; at < span.headerEnd; at++) {
    const e = data[at] ?? 0;
    const code = e & 0x7f;
    vife.push(byteHex(e));
    if (manufacturerChain) {
      descriptions.push("manufacturer specific");
    } else if (extNext) {
      descriptions.push(COMBINABLE_EXT_VIFE[code] ?? "Reserved");
      extNext = false;
    } else if (code === VIFE_COMBINABLE_EXT) {
      extNext = true;
    } else {
      if (code === VIF_MANUFACTURER) manufacturerChain = true;
      descriptions.push(COMBINABLE_VIFE[code] ?? "Reserved");
      exponentChange += vifeExponent(code);
      offset += vifeOffset(code);
    }
  }
  return {
    vif,
    info,
    vife,
    descriptions,
    exponentChange,
    offset,
    text: span.textAt >= 0 ? plainText(data, span.textAt) : null,
  };
}
