/**
 * The engine's value readers: media texts and how a record becomes a number, a date, a
 * lookup or a text.
 *
 * @module
 */

import { mediumRefName } from "../../app/mod.ts";
import {
  asciiReversed,
  dateText,
  type DvEntry,
  hexReversed,
  rawNumber,
  round6,
  uintLE,
} from "./_records.ts";
import type { FieldSpec } from "./_spec.ts";
import { OUTPUT_UNITS } from "./_spec.ts";
import { lookupWords, NO_LOOKUPS } from "./_status.ts";
import type { DriverTelegram } from "./_types.ts";
import { vifFactor } from "./_vif_ref.ts";
import { binaryText } from "./text_bytes.ts";

const TECHEM_MEDIA: Readonly<Record<number, string>> = {
  0x62: "warm water",
  0x72: "cold water",
  0x80: "heat cost allocator",
  0x43: "heat",
  0xc3: "heat",
  0xf0: "smoke detector",
};

/**
 * The media text of a telegram, the reference's names from the app layer's medium table
 * (a long TPL header's type wins over the link layer's).
 *
 * @param t Telegram.
 * @returns Media text.
 */
export function mediaText(t: DriverTelegram): string {
  const tplType = (t.tpl as { deviceType?: number } | null)?.deviceType;
  const type = tplType ?? t.deviceType;
  if (t.manufacturer === "TCH") {
    const m = TECHEM_MEDIA[type];
    if (m !== undefined) return m;
  }
  return mediumRefName(type);
}

export function numberValue(
  f: FieldSpec & { kind: "num" },
  e: DvEntry,
): number | undefined {
  const raw = rawNumber(e, f.unsigned !== true);
  if (raw === undefined) return undefined;
  const factor = f.scale === "none"
    ? 1
    : vifFactor(e.vif) * (typeof f.scale === "number" ? f.scale : 1);
  // A fixed factor gives the value in the output unit already (the reference's force_scale).
  if (f.forceScale !== undefined) return round6(raw * factor * f.forceScale);
  return round6(raw * factor * (OUTPUT_UNITS[f.unit] ?? 1));
}

export function dateOrInvalid(
  v: string | null | undefined,
  invalid: null | string | undefined,
): string | null | undefined {
  return v === null ? invalid ?? null : v;
}

/** A lookup reads the low 32 bits of wider binary integers (as the reference does). */
export function lookupValue(e: DvEntry): number | undefined {
  if ((e.coding === 0x6 || e.coding === 0x7) && e.data.length > 4) {
    return uintLE(e.data.subarray(0, 4));
  }
  return rawNumber(e, false);
}

export function textValue(
  f: FieldSpec & { kind: "text" },
  e: DvEntry,
): string | number | null | undefined {
  switch (f.format) {
    case "date":
      return dateOrInvalid(dateText(e), f.invalid);
    case "datetime":
      return dateOrInvalid(dateText(e)?.slice(0, 16), f.invalid);
    case "hex":
    case "bcd":
      // Printable variable-length text reads as text, everything else as hex digits.
      if (e.coding === 0xd) {
        return e.lvar < 0xc0 && e.data.every((b) => b >= 0x20 && b < 0x7f)
          ? asciiReversed(e.data)
          : hexReversed(e.data);
      }
      // Binary integers holding letters print as the reference prints them.
      return (e.coding < 0x8 && binaryText(e.data)) || hexReversed(e.data);
    case "ascii":
      return asciiReversed(e.data);
    case "wirehex":
      return hexReversed(e.data.toReversed());
    case "wireascii":
      return asciiReversed(e.data.toReversed());
    case "number": {
      const n = rawNumber(e, f.unsigned !== true);
      return n === undefined ? undefined : String(n);
    }
    case "lookup": {
      const n = lookupValue(e);
      return n === undefined
        ? undefined
        : lookupWords(f.lookups ?? NO_LOOKUPS, n);
    }
  }
}
