/**
 * Medium / device type codes (EN 13757-3, mbus-wired.md §3.10) with libmbus's names and,
 * in a second column, the wireless reference decoder's media texts.
 *
 * @module
 */

/**
 * Medium rows: code and name (libmbus's names; for 0x2A, 0x31–0x33 and 0x38, which libmbus
 * calls "Reserved", the names of EN 13757-3:2013). Codes not listed are "Reserved".
 */
export const MEDIUM_ROWS: readonly {
  readonly code: number;
  readonly name: string;
  /** The reference decoder's (wmbusmeters') media text, where it names the code. */
  readonly ref?: string;
}[] = [
  { code: 0x00, name: "Other", ref: "other" },
  { code: 0x01, name: "Oil", ref: "oil" },
  { code: 0x02, name: "Electricity", ref: "electricity" },
  { code: 0x03, name: "Gas", ref: "gas" },
  { code: 0x04, name: "Heat: Outlet", ref: "heat" },
  { code: 0x05, name: "Steam", ref: "steam" },
  { code: 0x06, name: "Warm water (30-90°C)", ref: "warm water" },
  { code: 0x07, name: "Water", ref: "water" },
  { code: 0x08, name: "Heat Cost Allocator", ref: "heat cost allocation" },
  { code: 0x09, name: "Compressed Air", ref: "compressed air" },
  {
    code: 0x0a,
    name: "Cooling load meter: Outlet",
    ref: "cooling load volume at outlet",
  },
  {
    code: 0x0b,
    name: "Cooling load meter: Inlet",
    ref: "cooling load volume at inlet",
  },
  { code: 0x0c, name: "Heat: Inlet", ref: "heat volume at inlet" },
  { code: 0x0d, name: "Heat / Cooling load meter", ref: "heat/cooling load" },
  { code: 0x0e, name: "Bus/System", ref: "bus/system component" },
  { code: 0x0f, name: "Unknown Medium", ref: "unknown" },
  { code: 0x10, name: "Irrigation Water" },
  { code: 0x11, name: "Water Logger" },
  { code: 0x12, name: "Gas Logger" },
  { code: 0x13, name: "Gas Converter" },
  { code: 0x14, name: "Calorific value" },
  { code: 0x15, name: "Hot water (>90°C)", ref: "hot water" },
  { code: 0x16, name: "Cold water", ref: "cold water" },
  { code: 0x17, name: "Dual water", ref: "hot/cold water" },
  { code: 0x18, name: "Pressure", ref: "pressure" },
  { code: 0x19, name: "A/D Converter", ref: "a/d converter" },
  { code: 0x1a, name: "Smoke Detector", ref: "smoke detector" },
  { code: 0x1b, name: "Ambient Sensor", ref: "room sensor" },
  { code: 0x1c, name: "Gas Detector", ref: "gas detector" },
  { code: 0x20, name: "Breaker: Electricity", ref: "breaker" },
  { code: 0x21, name: "Valve: Gas or Water", ref: "valve" },
  {
    code: 0x25,
    name: "Customer Unit: Display Device",
    ref: "customer unit (display device)",
  },
  { code: 0x28, name: "Waste Water", ref: "waste water" },
  { code: 0x29, name: "Garbage", ref: "garbage" },
  { code: 0x2a, name: "Carbon dioxide" },
  { code: 0x30, name: "Service Unit" },
  { code: 0x31, name: "Communication controller" },
  { code: 0x32, name: "Unidirectional repeater" },
  { code: 0x33, name: "Bidirectional repeater" },
  {
    code: 0x36,
    name: "Radio Converter: System",
    ref: "radio converter (system side)",
  },
  {
    code: 0x37,
    name: "Radio Converter: Meter",
    ref: "radio converter (meter side)",
  },
  { code: 0x38, name: "Bus converter (meter side)" },
  { code: 0xff, name: "Wildcard" },
];

const MEDIUM_NAMES: readonly string[] = (() => {
  const names: string[] = new Array<string>(256).fill("Reserved");
  for (const r of MEDIUM_ROWS) names[r.code] = r.name;
  return names;
})();

/**
 * Names a medium (device type) code.
 *
 * @param code 0..255.
 * @returns The name, or "Reserved".
 * @example
 * ```ts
 * mediumName(0x07); // "Water"
 * ```
 */
export function mediumName(code: number): string {
  return MEDIUM_NAMES[code & 0xff] ?? "Reserved";
}

const MEDIUM_REFS: readonly string[] = (() => {
  const names: string[] = new Array<string>(256).fill("reserved");
  // The reference prints "Unknown" for codes it has no row for outside its reserved ranges.
  for (let c = 0; c < 256; c++) {
    if ((c >= 0x10 && c <= 0x14) || c === 0x1e || c >= 0x40) {
      names[c] = "Unknown";
    }
  }
  for (const r of MEDIUM_ROWS) if (r.ref !== undefined) names[r.code] = r.ref;
  return names;
})();

/**
 * The reference decoder's media text of a device type code (the `media` of its JSON).
 *
 * @param code 0..255.
 * @returns The text, "reserved" or "Unknown" (as the reference prints codes it has no name for).
 * @example
 * ```ts
 * mediumRefName(0x07); // "water"
 * ```
 */
export function mediumRefName(code: number): string {
  return MEDIUM_REFS[code & 0xff] ?? "reserved";
}
