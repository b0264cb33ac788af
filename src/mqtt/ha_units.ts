/**
 * From M-Bus units and quantities to Home Assistant's sensor vocabulary: the unit as Home
 * Assistant spells it (`m³`, `kWh`, `°C`, `W`), the `device_class` and the `state_class`.
 * Units come from two sources and both are covered: the wired VIF tables (`m^3`, `Wh`,
 * `°C`, `K`, `m^3/h`) and the wireless drivers' suffixes as the gateway writes them
 * (`m^3`, `kWh`, `°C`, `l/h`).
 *
 * @module
 */

/** What Home Assistant needs to show one record as a sensor. */
export interface HaSensorClass {
  /** `unit_of_measurement`, or undefined for a unitless value. */
  unit: string | undefined;
  /** `device_class`, or undefined. */
  deviceClass: string | undefined;
  /** `state_class`, or undefined (text, dates, historic values of counters). */
  stateClass: "measurement" | "total_increasing" | undefined;
}

/** Our unit → Home Assistant's spelling and the device class it implies. */
const UNITS: Readonly<
  Record<string, { unit: string; cls?: string; counter?: true }>
> = {
  "Wh": { unit: "Wh", cls: "energy", counter: true },
  "kWh": { unit: "kWh", cls: "energy", counter: true },
  "MWh": { unit: "MWh", cls: "energy", counter: true },
  "J": { unit: "J", cls: "energy", counter: true },
  "MJ": { unit: "MJ", cls: "energy", counter: true },
  "GJ": { unit: "GJ", cls: "energy", counter: true },
  "m^3": { unit: "m³", cls: "volume", counter: true },
  "l": { unit: "L", cls: "volume", counter: true },
  "feet^3": { unit: "ft³", cls: "volume", counter: true },
  "American gallon": { unit: "gal", cls: "volume", counter: true },
  "kg": { unit: "kg", cls: "weight", counter: true },
  "W": { unit: "W", cls: "power" },
  "kW": { unit: "kW", cls: "power" },
  "°C": { unit: "°C", cls: "temperature" },
  "°F": { unit: "°F", cls: "temperature" },
  "K": { unit: "K", cls: "temperature" },
  "m^3/h": { unit: "m³/h", cls: "volume_flow_rate" },
  "m^3/min": { unit: "m³/min", cls: "volume_flow_rate" },
  "m^3/s": { unit: "m³/s", cls: "volume_flow_rate" },
  "l/h": { unit: "L/h", cls: "volume_flow_rate" },
  "American gallon/min": { unit: "gal/min", cls: "volume_flow_rate" },
  "bar": { unit: "bar", cls: "pressure" },
  "V": { unit: "V", cls: "voltage" },
  "A": { unit: "A", cls: "current" },
  "Hz": { unit: "Hz", cls: "frequency" },
  "VA": { unit: "VA", cls: "apparent_power" },
  "kVAh": { unit: "kVAh" },
  "VAR": { unit: "var", cls: "reactive_power" },
  "VARh": { unit: "varh", counter: true },
  "kvarh": { unit: "kvarh", counter: true },
  "%RH": { unit: "%", cls: "humidity" },
  "%": { unit: "%" },
  "dBm": { unit: "dBm", cls: "signal_strength" },
  "s": { unit: "s", cls: "duration" },
  "min": { unit: "min", cls: "duration" },
  "h": { unit: "h", cls: "duration" },
  "d": { unit: "d", cls: "duration" },
  "kg/h": { unit: "kg/h" },
  "HCA": { unit: "HCA", counter: true },
};

/** Media whose volume is water or gas (Home Assistant's energy dashboard wants these). */
function volumeClass(medium: string): string {
  const m = medium.toLowerCase();
  if (m.includes("gas")) return "gas";
  if (m.includes("water") && !m.includes("heat")) return "water";
  return "volume";
}

/**
 * Classifies one record for Home Assistant.
 *
 * A counter (energy, volume, mass, heat-cost units) is `total_increasing` when it is the
 * current value (storage 0, function instantaneous); its historic storages keep the device
 * class without a state class. Other numbers are `measurement`; text and dates get neither.
 *
 * @param r The record's unit, function, storage, whether its value is a number, and the meter's medium name.
 * @returns Unit, device class and state class.
 */
export function haSensorClass(r: {
  unit: string;
  function: string;
  storage: number;
  numeric: boolean;
  medium: string;
}): HaSensorClass {
  if (!r.numeric) {
    return { unit: undefined, deviceClass: undefined, stateClass: undefined };
  }
  const u = UNITS[r.unit];
  if (!u) {
    return {
      unit: r.unit === "" ? undefined : r.unit,
      deviceClass: undefined,
      stateClass: r.storage === 0 ? "measurement" : undefined,
    };
  }
  const deviceClass = u.cls === "volume" ? volumeClass(r.medium) : u.cls;
  const current = r.storage === 0 && r.function === "instantaneous";
  let stateClass: HaSensorClass["stateClass"];
  if (u.counter) stateClass = current ? "total_increasing" : undefined;
  else if (r.storage === 0) stateClass = "measurement";
  return { unit: u.unit, deviceClass, stateClass };
}
