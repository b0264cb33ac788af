/**
 * The one table of output units of the wireless drivers: the reference's JSON suffix
 * (`m3` in `total_m3`), the factor from the canonical unit of the quantity (kWh, m³, kW,
 * m³/h, °C, h, …), the unit as the gateway's records write it (`m^3`, as the wired
 * records do) and the reference's quantity name. Driver tables name units by suffix; the
 * JSON names are formed from it at the output edge, the gateway's records read the text.
 *
 * @module
 */

/** One output unit: factor from the canonical unit, display text, quantity. */
export interface OutputUnit {
  /** Canonical value × factor = value in this unit. */
  readonly factor: number;
  /** The unit as records write it (`kWh`, `m^3`, `°C`). */
  readonly text: string;
  /** The reference's quantity name (`energy`, `volume`, …). */
  readonly quantity: string;
}

function u(factor: number, text: string, quantity: string): OutputUnit {
  return { factor, text, quantity };
}

/** Output units by JSON suffix. */
export const UNITS: Readonly<Record<string, OutputUnit>> = {
  kwh: u(1, "kWh", "energy"),
  mj: u(3.6, "MJ", "energy"),
  gj: u(0.0036, "GJ", "energy"),
  m3: u(1, "m^3", "volume"),
  l: u(1000, "l", "volume"),
  kw: u(1, "kW", "power"),
  w: u(1000, "W", "power"),
  m3h: u(1, "m^3/h", "flow"),
  lh: u(1000, "l/h", "flow"),
  c: u(1, "°C", "temperature"),
  h: u(1, "h", "time"),
  s: u(3600, "s", "time"),
  min: u(60, "min", "time"),
  d: u(1 / 24, "d", "time"),
  y: u(1 / (24 * 365.2425), "years", "time"),
  bar: u(1, "bar", "pressure"),
  hca: u(1, "HCA", "hca"),
  v: u(1, "V", "voltage"),
  a: u(1, "A", "amperage"),
  rh: u(1, "%RH", "relative_humidity"),
  pct: u(1, "%", "dimensionless"),
  hz: u(1, "Hz", "frequency"),
  kvarh: u(1, "kvarh", "reactive_energy"),
  kvah: u(1, "kVAh", "apparent_energy"),
  m3c: u(1, "m^3 °C", "volume_temperature"),
  counter: u(1, "counter", "dimensionless"),
  nr: u(1, "nr", "dimensionless"),
  factor: u(1, "factor", "dimensionless"),
  kg: u(1, "kg", "mass"),
  ppm: u(1, "ppm", "dimensionless"),
  deg: u(1, "°", "angle"),
  kvar: u(1, "kvar", "reactive_power"),
  kva: u(1, "kVA", "apparent_power"),
};

/** A field of a driver's output, typed: the JSON name is formed from it. */
export interface DriverField {
  /** The JSON key (`total_m3`, `status`). */
  readonly key: string;
  /** The field name without unit (`total`, `status`). */
  readonly name: string;
  /** The reference's quantity (`volume`, …; `text` for texts and dates). */
  readonly quantity: string;
  /** The unit suffix (`m3`), `""` for texts. */
  readonly unit: string;
  /** The unit as records write it (`m^3`), `""` for texts. */
  readonly unitText: string;
  /** The value. */
  readonly value: unknown;
}

/** Typed fields by JSON key (keys are few: at most a few thousand across drivers). */
const BY_KEY = new Map<string, Omit<DriverField, "value">>();

/**
 * The typed field a JSON key stands for: a known unit suffix after the last `_` makes
 * it a number of that unit, anything else is text.
 *
 * @param key The JSON key.
 * @returns Name, quantity and unit.
 */
export function fieldOfKey(key: string): Omit<DriverField, "value"> {
  let f = BY_KEY.get(key);
  if (f === undefined) {
    const at = key.lastIndexOf("_");
    const unit = at > 0 ? UNITS[key.slice(at + 1)] : undefined;
    f = unit === undefined
      ? { key, name: key, quantity: "text", unit: "", unitText: "" }
      : {
        key,
        name: key.slice(0, at),
        quantity: unit.quantity,
        unit: key.slice(at + 1),
        unitText: unit.text,
      };
    if (BY_KEY.size < 10_000) BY_KEY.set(key, f);
  }
  return f;
}

/**
 * The JSON key of a field: `name_unit` for numbers, the name for texts.
 *
 * @param name Field name.
 * @param unit Unit suffix, or `""`.
 * @returns The key.
 */
export function jsonKey(name: string, unit: string): string {
  return unit === "" ? name : `${name}_${unit}`;
}
