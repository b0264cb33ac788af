/**
 * Combinable (orthogonal) VIFE codes (EN 13757-3, mbus-wired.md §3.8) and the combinable
 * extension table after VIFE `FC` (§3.8.3), as data.
 *
 * @module
 */

/** A range of combinable VIFE codes with one meaning; `{n}` in the text is the low bits. */
export interface VifeRow {
  /** First code (bit 7 masked). */
  readonly first: number;
  /** Last code, inclusive. */
  readonly last: number;
  /** Meaning. */
  readonly description: string;
}

function vr(first: number, last: number, description: string): VifeRow {
  return { first, last, description };
}

/** Combinable VIFE table, codes 0x00–0x7F (slave → master meanings for 0x00–0x1F). */
export const COMBINABLE_VIFE_ROWS: readonly VifeRow[] = [
  vr(0x00, 0x00, "None"),
  vr(0x01, 0x01, "Too many DIFEs"),
  vr(0x02, 0x02, "Storage number not implemented"),
  vr(0x03, 0x03, "Unit number not implemented"),
  vr(0x04, 0x04, "Tariff number not implemented"),
  vr(0x05, 0x05, "Function not implemented"),
  vr(0x06, 0x06, "Data class not implemented"),
  vr(0x07, 0x07, "Data size not implemented"),
  vr(0x08, 0x0a, "Reserved"),
  vr(0x0b, 0x0b, "Too many VIFEs"),
  vr(0x0c, 0x0c, "Illegal VIF-Group"),
  vr(0x0d, 0x0d, "Illegal VIF-Exponent"),
  vr(0x0e, 0x0e, "VIF/DIF mismatch"),
  vr(0x0f, 0x0f, "Unimplemented action"),
  vr(0x10, 0x11, "Reserved"),
  vr(0x12, 0x12, "Average value"),
  vr(0x13, 0x13, "Inverse compact profile"),
  vr(0x14, 0x14, "Relative deviation"),
  vr(0x15, 0x15, "No data available (undefined value)"),
  vr(0x16, 0x16, "Data overflow"),
  vr(0x17, 0x17, "Data underflow"),
  vr(0x18, 0x18, "Data error"),
  vr(0x19, 0x1b, "Reserved"),
  vr(0x1c, 0x1c, "Premature end of record"),
  vr(0x1d, 0x1d, "Standard conform data content"),
  vr(0x1e, 0x1e, "Compact profile with register numbers"),
  vr(0x1f, 0x1f, "Compact profile"),
  vr(0x20, 0x20, "per second"),
  vr(0x21, 0x21, "per minute"),
  vr(0x22, 0x22, "per hour"),
  vr(0x23, 0x23, "per day"),
  vr(0x24, 0x24, "per week"),
  vr(0x25, 0x25, "per month"),
  vr(0x26, 0x26, "per year"),
  vr(0x27, 0x27, "per revolution / measurement"),
  vr(0x28, 0x29, "increment per input pulse on input channel #{n}"),
  vr(0x2a, 0x2b, "increment per output pulse on output channel #{n}"),
  vr(0x2c, 0x2c, "per liter"),
  vr(0x2d, 0x2d, "per m3"),
  vr(0x2e, 0x2e, "per kg"),
  vr(0x2f, 0x2f, "per K (Kelvin)"),
  vr(0x30, 0x30, "per kWh"),
  vr(0x31, 0x31, "per GJ"),
  vr(0x32, 0x32, "per kW"),
  vr(0x33, 0x33, "per (K*l) (Kelvin*liter)"),
  vr(0x34, 0x34, "per V (Volt)"),
  vr(0x35, 0x35, "per A (Ampere)"),
  vr(0x36, 0x36, "multiplied by s"),
  vr(0x37, 0x37, "multiplied by s/V"),
  vr(0x38, 0x38, "multiplied by s/A"),
  vr(0x39, 0x39, "start date(/time) of"),
  vr(0x3a, 0x3a, "uncorrected unit"),
  vr(0x3b, 0x3b, "accumulation only if positive contributions"),
  vr(0x3c, 0x3c, "accumulation of abs value only if negative contributions"),
  vr(0x3d, 0x3d, "non-metric unit system"),
  vr(0x3e, 0x3e, "value at base conditions"),
  vr(0x3f, 0x3f, "OBIS declaration"),
  vr(0x40, 0x40, "lower limit value"),
  vr(0x41, 0x41, "# of exceeds of lower limit"),
  vr(0x42, 0x43, "date/time of lower limit exceed"),
  vr(0x44, 0x45, "Reserved"),
  vr(0x46, 0x47, "date/time of lower limit exceed (last)"),
  vr(0x48, 0x48, "upper limit value"),
  vr(0x49, 0x49, "# of exceeds of upper limit"),
  vr(0x4a, 0x4b, "date/time of upper limit exceed"),
  vr(0x4c, 0x4d, "Reserved"),
  vr(0x4e, 0x4f, "date/time of upper limit exceed (last)"),
  vr(0x50, 0x53, "duration of lower limit exceed (first)"),
  vr(0x54, 0x57, "duration of lower limit exceed (last)"),
  vr(0x58, 0x5b, "duration of upper limit exceed (first)"),
  vr(0x5c, 0x5f, "duration of upper limit exceed (last)"),
  vr(0x60, 0x63, "duration of (first)"),
  vr(0x64, 0x67, "duration of (last)"),
  vr(0x68, 0x68, "value during lower value limit exceed"),
  vr(0x69, 0x69, "leakage values"),
  vr(0x6a, 0x6b, "date/time of (first)"),
  vr(0x6c, 0x6c, "value during upper value limit exceed"),
  vr(0x6d, 0x6d, "overflow values"),
  vr(0x6e, 0x6f, "date/time of (last)"),
  vr(0x70, 0x77, "multiplicative correction factor: 10^{e}"),
  vr(0x78, 0x7b, "additive correction constant: 10^{e} * unit"),
  vr(0x7c, 0x7c, "extension of combinable VIFE"),
  vr(0x7d, 0x7d, "multiplicative correction factor: 10^3"),
  vr(0x7e, 0x7e, "future value"),
  vr(0x7f, 0x7f, "manufacturer specific"),
];

/** Combinable extension table (the VIFE after `FC`/`7C` in a combinable chain). */
export const COMBINABLE_EXT_VIFE_ROWS: readonly VifeRow[] = [
  vr(0x00, 0x00, "Reserved"),
  vr(0x01, 0x01, "at phase L1"),
  vr(0x02, 0x02, "at phase L2"),
  vr(0x03, 0x03, "at phase L3"),
  vr(0x04, 0x04, "at neutral"),
  vr(0x05, 0x05, "between L1 and L2"),
  vr(0x06, 0x06, "between L2 and L3"),
  vr(0x07, 0x07, "between L3 and L1"),
  vr(0x08, 0x08, "at quadrant Q1"),
  vr(0x09, 0x09, "at quadrant Q2"),
  vr(0x0a, 0x0a, "at quadrant Q3"),
  vr(0x0b, 0x0b, "at quadrant Q4"),
  vr(0x0c, 0x0c, "delta between import and export"),
  vr(0x0d, 0x0f, "Reserved"),
  vr(0x10, 0x10, "accumulation of abs value for both contributions"),
  vr(0x11, 0x11, "data presented with type C"),
  vr(0x12, 0x12, "data presented with type D"),
  vr(0x13, 0x13, "Reserved"),
  vr(0x14, 0x14, "direction: communication partner to meter"),
  vr(0x15, 0x15, "direction: meter to communication partner"),
  vr(0x16, 0x7f, "Reserved"),
];

function buildDescriptions(
  rows: readonly VifeRow[],
  withParams: boolean,
): readonly string[] {
  const out: string[] = [];
  for (const r of rows) {
    for (let code = r.first; code <= r.last; code++) {
      let text = r.description;
      if (withParams) {
        text = text.replace("{n}", String(code - r.first));
        if (code >= 0x70 && code <= 0x77) {
          text = text.replace("{e}", String((code & 0x07) - 6));
        }
        if (code >= 0x78 && code <= 0x7b) {
          text = text.replace("{e}", String((code & 0x03) - 3));
        }
      }
      out[code] = text;
    }
  }
  return out;
}

/** Combinable VIFE meaning by code (0..127). */
export const COMBINABLE_VIFE: readonly string[] = buildDescriptions(
  COMBINABLE_VIFE_ROWS,
  true,
);
/** Combinable extension (after `FC`) meaning by code (0..127). */
export const COMBINABLE_EXT_VIFE: readonly string[] = buildDescriptions(
  COMBINABLE_EXT_VIFE_ROWS,
  false,
);

/**
 * The power-of-ten correction a combinable VIFE applies to the value (codes 0x70–0x77:
 * 10^(n−6); 0x7D: 10^3), or 0 for none.
 *
 * @param code VIFE code with bit 7 masked.
 * @returns The exponent change.
 */
export function vifeExponent(code: number): number {
  if (code >= 0x70 && code <= 0x77) return (code & 0x07) - 6;
  if (code === 0x7d) return 3;
  return 0;
}

/**
 * The additive correction constant of VIFE codes 0x78–0x7B: 10^(n−3), added to the
 * scaled value (as libmbus does), or 0 for other codes.
 *
 * @param code VIFE code with bit 7 masked.
 * @returns The constant to add.
 */
export function vifeOffset(code: number): number {
  return code >= 0x78 && code <= 0x7b ? 10 ** ((code & 0x03) - 3) : 0;
}
