/**
 * Pure formatting of the page: units in their typography (m³, °C), values scaled to a readable
 * unit (Wh → kWh → MWh), record labels from quantity, function, storage, tariff and subunit,
 * medium names and ages. No DOM here, so it is tested in Deno.
 *
 * @module
 */

/** A value entry as the API returns it (the fields the page uses). */
export interface Entry {
  /** `%mbus:1/0`. */
  path: string;
  /** Record number. */
  record: number;
  /** Value after scale and offset. */
  value: number | string | boolean | null;
  /** Unit as the API writes it (`m^3`, `°C`, `Wh`, "" when none). */
  unit?: string;
  /** Quantity name (`Energy`, `Flow temperature`, a driver field name). */
  quantity?: string;
  /** `instantaneous`, `maximum`, `minimum` or `error`. */
  function?: string;
  /** Storage number. */
  storage?: number;
  /** Tariff. */
  tariff?: number;
  /** Subunit. */
  subunit?: number;
  /** ISO time of the read. */
  timestamp: string | null;
}

/**
 * A unit in print: `m^3` → `m³`, `m^3/h` → `m³/h`, `m^2` → `m²`.
 *
 * @param unit The API's unit text.
 * @returns The unit as it is printed.
 */
export function unitText(unit: string | undefined): string {
  return (unit ?? "").replace(/\^3/g, "³").replace(/\^2/g, "²");
}

const STEPS: Record<string, readonly [number, string][]> = {
  Wh: [[1e6, "MWh"], [1e3, "kWh"]],
  W: [[1e6, "MW"], [1e3, "kW"]],
  J: [[1e9, "GJ"], [1e6, "MJ"], [1e3, "kJ"]],
  "J/h": [[1e9, "GJ/h"], [1e6, "MJ/h"], [1e3, "kJ/h"]],
  s: [[86400, "d"], [3600, "h"], [60, "min"]],
};

/**
 * A number in the unit a person reads: energy in kWh or MWh, power in kW, heat in GJ.
 *
 * @param value The value in the API's unit.
 * @param unit The API's unit.
 * @returns The scaled value and its printed unit.
 */
export function scaleUnit(
  value: number,
  unit: string | undefined,
): { value: number; unit: string } {
  const steps = STEPS[unit ?? ""];
  if (steps) {
    for (const [factor, name] of steps) {
      if (Math.abs(value) >= factor) {
        return { value: value / factor, unit: name };
      }
    }
  }
  return { value, unit: unitText(unit) };
}

const NUMBER = new Intl.NumberFormat("en", { maximumFractionDigits: 3 });
const PLAIN = new Intl.NumberFormat("en", {
  maximumFractionDigits: 3,
  useGrouping: false,
});

/**
 * A value with its unit, ready to print: `31.415 MWh`, `65.12 °C`, `912.6 d`, `2025-12-31`,
 * `–` for null; numbers without a unit (serial numbers, flags) are not grouped.
 *
 * @param value The value.
 * @param unit The API's unit.
 * @returns Value text and unit text.
 */
export function formatValue(
  value: Entry["value"] | undefined,
  unit: string | undefined,
): { text: string; unit: string } {
  if (value === null || value === undefined) return { text: "–", unit: "" };
  if (typeof value === "number") {
    const s = scaleUnit(value, unit);
    // A number without a unit is an identifier, a count or flags: no digit grouping.
    const f = unit ? NUMBER : PLAIN;
    return { text: f.format(s.value), unit: s.unit };
  }
  return { text: String(value), unit: unitText(unit) };
}

/**
 * What a record measures, in words: `Energy`, `Energy · storage 1`, `Volume flow · maximum ·
 * tariff 2`; driver field names such as `total_m3` become `total m3`.
 *
 * @param e The entry.
 * @returns The label.
 */
export function recordLabel(e: Entry): string {
  const name = (e.quantity || `record ${e.record}`).replace(/_/g, " ");
  const parts = [name.charAt(0).toUpperCase() + name.slice(1)];
  if (e.function && e.function !== "instantaneous") parts.push(e.function);
  if (e.storage) parts.push(`storage ${e.storage}`);
  if (e.tariff) parts.push(`tariff ${e.tariff}`);
  if (e.subunit) parts.push(`subunit ${e.subunit}`);
  return parts.join(" · ");
}

const MEDIA: Record<number, string> = {
  0: "Other",
  1: "Oil",
  2: "Electricity",
  3: "Gas",
  4: "Heat (outlet)",
  5: "Steam",
  6: "Warm water",
  7: "Water",
  8: "Heat cost allocator",
  9: "Compressed air",
  10: "Cooling (outlet)",
  11: "Cooling (inlet)",
  12: "Heat (inlet)",
  13: "Heat / cooling",
  14: "Bus / system",
  15: "Unknown",
  21: "Hot water",
  22: "Cold water",
  23: "Dual water",
  24: "Pressure",
  25: "A/D converter",
};

/**
 * The name of an M-Bus medium code.
 *
 * @param code Medium byte.
 * @returns Its name, or `medium 0xNN`.
 */
export function mediumName(code: number | null | undefined): string {
  if (code === null || code === undefined) return "–";
  return MEDIA[code] ??
    `medium 0x${code.toString(16).toUpperCase().padStart(2, "0")}`;
}

/**
 * How long ago something happened: `just now`, `12 s ago`, `5 min ago`, `3 h ago`, `2 d ago`.
 *
 * @param then Epoch ms or ISO text (null: never).
 * @param now Epoch ms.
 * @returns The text.
 */
export function formatAge(
  then: number | string | null | undefined,
  now: number,
): string {
  if (then === null || then === undefined || then === "") return "never";
  const t = typeof then === "number" ? then : Date.parse(then);
  if (!Number.isFinite(t)) return "never";
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 2) return "just now";
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/**
 * A secondary address made readable: `12345678 KAM 08 04` from `12345678 2C2D 08 04` is not
 * derivable here, so the 16 digits are grouped as ID, manufacturer, version, medium.
 *
 * @param secondary 16 hex digits.
 * @returns Grouped text.
 */
export function groupSecondary(secondary: string | null | undefined): string {
  if (!secondary || secondary.length !== 16) return secondary || "–";
  return `${secondary.slice(0, 8)} ${secondary.slice(8, 12)} ${
    secondary.slice(12, 14)
  } ${secondary.slice(14)}`;
}

/**
 * A received signal strength: in dBm when negative (as receivers report it), else the
 * receiver's raw figure.
 *
 * @param rssi The value, or null.
 * @returns Text.
 */
export function rssiText(rssi: number | null | undefined): string {
  if (rssi === null || rssi === undefined) return "–";
  return rssi < 0 ? `${rssi} dBm` : String(rssi);
}

/** A meter a scan found (the fields the console uses). */
export interface Found {
  primary?: number;
  secondary?: string;
  id?: string;
  manufacturer?: string;
  version?: number;
  medium?: number;
  collision?: boolean;
}

/**
 * The name a found meter gets in the config: its primary address, or its secondary address
 * when it has none (or shares it), or its wireless ID.
 *
 * @param f The found meter.
 * @param kind Scan kind.
 * @returns The config name.
 */
export function foundName(f: Found, kind: string): string {
  if (kind === "wireless") return f.id ?? f.secondary ?? "";
  if (f.primary !== undefined && !f.collision && kind === "primary") {
    return String(f.primary);
  }
  return f.secondary ?? (f.primary === undefined ? "" : String(f.primary));
}
