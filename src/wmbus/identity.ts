/**
 * The meter identity of a telegram: which address names the meter (doc §3.2, §7.1,
 * §13.2).
 *
 * @module
 */
import { C_FIELD, CI } from "./constants.ts";
import { DIEHL_MANUFACTURERS } from "./keys.ts";
import { formatWmbusId } from "./link.ts";
import type { WmbusTelegram } from "./telegram.ts";

/** Diehl's address swap (doc §13.2): which frames carry ID in bytes 6–9. */
function diehlSwap(t: WmbusTelegram): "swapped" | "sap-prios" | null {
  if (!DIEHL_MANUFACTURERS.has(t.dll.manufacturer)) return null;
  if (t.c !== C_FIELD.sndNr && t.c !== C_FIELD.sndIr) return null;
  const ci = t.ci;
  if (ci >= 0xa0 && ci <= 0xa7) {
    return t.dll.manufacturer === "SAP" ? "sap-prios" : "swapped";
  }
  if (ci === 0x71 || (ci >= 0xb1 && ci <= 0xb3)) return "swapped";
  if (ci === CI.tplShort && ((t.tpl?.config ?? 0) & 0x1000) !== 0) {
    return "swapped";
  }
  return null;
}

/**
 * Sets the meter identity of a walked telegram: the long TPL header's address, the ELL
 * III/IV second address (M2 A2), the Diehl-swapped A field, or (already there) the DLL
 * address.
 *
 * @param t The telegram, `dll`, `ci` and `tpl` filled.
 * @param frame The CRC-less frame.
 */
export function setIdentity(t: WmbusTelegram, frame: Uint8Array): void {
  const tpl = t.tpl;
  if (tpl?.headerType === "long") {
    t.manufacturer = tpl.manufacturer ?? t.manufacturer;
    t.id = tpl.id ?? t.id;
    t.version = tpl.version ?? t.version;
    t.deviceType = tpl.deviceType ?? t.deviceType;
    return;
  }
  // ELL III/IV: the second address names the meter (e.g. behind a repeater), as in the reference.
  const ell = t.ell?.address;
  if (ell !== undefined) {
    t.manufacturer = ell.manufacturer;
    t.id = ell.id;
    t.version = ell.version;
    t.deviceType = ell.deviceType;
    return;
  }
  const swap = diehlSwap(t);
  if (swap === "swapped") {
    t.id = formatWmbusId(frame.subarray(6, 10));
    t.version = frame[4] ?? 0;
    t.deviceType = frame[5] ?? 0;
    t.warnings.push("DIEHL_ADDRESS: A field swapped, ID read from bytes 6-9");
  } else if (swap === "sap-prios") {
    t.version = 0;
    t.deviceType = 0x07;
  }
}
