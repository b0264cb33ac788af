/**
 * Reading the VIB (VIF, plain text, VIFE chain) of a data record into the decoder's
 * cursor, and the small helpers the record decoder shares. Internal to the app layer.
 *
 * @module
 */
import { byteHex, type ByteReader, type DecodeError } from "../util/mod.ts";
import { APP_ERROR, MAX_VIFE, VIF_FB, VIF_FD } from "./constants.ts";
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

export function truncated(offset: number, what: string): DecodeError {
  return {
    code: APP_ERROR.TRUNCATED_RECORD,
    offset,
    message: `Cannot decode record: premature end of data in ${what}`,
  };
}

/** Decoder state shared by the record loop; the VIB fields are rewritten per record. */
export interface Cursor {
  r: ByteReader;
  apply: boolean;
  msbFirst: boolean;
  vif: number;
  info: VifInfo;
  vife: string[];
  descriptions: string[];
  exponentChange: number;
  offset: number;
  text: string | null;
}

function readPlainText(r: ByteReader): string | null {
  const len = r.u8();
  if (len > r.remaining) return null;
  const bytes = r.bytes;
  const start = r.offset;
  let s = "";
  for (let i = start + len - 1; i >= start; i--) {
    s += String.fromCharCode(bytes[i] ?? 0);
  }
  r.skip(len);
  return s;
}

/** Reads the VIF and VIFEs into the cursor; returns null or an error. */
export function readVib(c: Cursor): DecodeError | null {
  const r = c.r;
  if (r.remaining === 0) return truncated(r.offset, "VIF");
  const vif = r.u8();
  c.vif = vif;
  c.info = PRIMARY_VIF[vif & 0x7f] ?? RESERVED_VIF;
  const vife: string[] = [];
  c.vife = vife;
  c.descriptions = [];
  c.exponentChange = 0;
  c.offset = 0;
  c.text = null;
  let more = vif & 0x80;
  if (vif === VIF_FD || vif === VIF_FB) {
    if (r.remaining === 0) return truncated(r.offset, "VIFE");
    const e = r.u8();
    vife.push(byteHex(e));
    c.info = (vif === VIF_FD ? FD_VIF : FB_VIF)[e & 0x7f] ?? RESERVED_VIF;
    more = e & 0x80;
  } else if (c.info.kind === "text") {
    if (r.remaining === 0) return truncated(r.offset, "plain-text VIF");
    const at = r.offset;
    c.text = readPlainText(r);
    if (c.text === null) return truncated(at, "plain-text VIF");
  }
  return more ? readCombinable(c) : null;
}

/** Reads the combinable VIFE chain (after the VIF or the FB/FD code). */
function readCombinable(c: Cursor): DecodeError | null {
  const r = c.r;
  const vife = c.vife;
  let extNext = false;
  let manufacturerChain = c.info.kind === "manufacturer";
  let more = 0x80;
  while (more) {
    if (vife.length >= MAX_VIFE) {
      return {
        code: APP_ERROR.TOO_MANY_VIFES,
        offset: r.offset,
        message: `Cannot decode record: more than ${MAX_VIFE} VIFEs`,
      };
    }
    if (r.remaining === 0) return truncated(r.offset, "VIFE");
    const e = r.u8();
    const code = e & 0x7f;
    more = e & 0x80;
    vife.push(byteHex(e));
    if (manufacturerChain) {
      c.descriptions.push("manufacturer specific");
    } else if (extNext) {
      c.descriptions.push(COMBINABLE_EXT_VIFE[code] ?? "Reserved");
      extNext = false;
    } else if (code === 0x7c) {
      extNext = true;
    } else {
      if (code === 0x7f) manufacturerChain = true;
      c.descriptions.push(COMBINABLE_VIFE[code] ?? "Reserved");
      c.exponentChange += vifeExponent(code);
      c.offset += vifeOffset(code);
    }
  }
  return null;
}
