/**
 * Medium / device type codes (EN 13757-3, mbus-wired.md §3.10) with libmbus's names.
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
}[] = [
  { code: 0x00, name: "Other" },
  { code: 0x01, name: "Oil" },
  { code: 0x02, name: "Electricity" },
  { code: 0x03, name: "Gas" },
  { code: 0x04, name: "Heat: Outlet" },
  { code: 0x05, name: "Steam" },
  { code: 0x06, name: "Warm water (30-90°C)" },
  { code: 0x07, name: "Water" },
  { code: 0x08, name: "Heat Cost Allocator" },
  { code: 0x09, name: "Compressed Air" },
  { code: 0x0a, name: "Cooling load meter: Outlet" },
  { code: 0x0b, name: "Cooling load meter: Inlet" },
  { code: 0x0c, name: "Heat: Inlet" },
  { code: 0x0d, name: "Heat / Cooling load meter" },
  { code: 0x0e, name: "Bus/System" },
  { code: 0x0f, name: "Unknown Medium" },
  { code: 0x10, name: "Irrigation Water" },
  { code: 0x11, name: "Water Logger" },
  { code: 0x12, name: "Gas Logger" },
  { code: 0x13, name: "Gas Converter" },
  { code: 0x14, name: "Calorific value" },
  { code: 0x15, name: "Hot water (>90°C)" },
  { code: 0x16, name: "Cold water" },
  { code: 0x17, name: "Dual water" },
  { code: 0x18, name: "Pressure" },
  { code: 0x19, name: "A/D Converter" },
  { code: 0x1a, name: "Smoke Detector" },
  { code: 0x1b, name: "Ambient Sensor" },
  { code: 0x1c, name: "Gas Detector" },
  { code: 0x20, name: "Breaker: Electricity" },
  { code: 0x21, name: "Valve: Gas or Water" },
  { code: 0x25, name: "Customer Unit: Display Device" },
  { code: 0x28, name: "Waste Water" },
  { code: 0x29, name: "Garbage" },
  { code: 0x2a, name: "Carbon dioxide" },
  { code: 0x30, name: "Service Unit" },
  { code: 0x31, name: "Communication controller" },
  { code: 0x32, name: "Unidirectional repeater" },
  { code: 0x33, name: "Bidirectional repeater" },
  { code: 0x36, name: "Radio Converter: System" },
  { code: 0x37, name: "Radio Converter: Meter" },
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
