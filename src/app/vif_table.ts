/**
 * VIF tables (EN 13757-3, mbus-wired.md §3.5–3.7) as data: the primary table, the first
 * extension table (VIF `FB`) and the second (VIF `FD`). Rows cover a code range; the
 * per-code lookup arrays are built once from the rows, and both the decoder and the
 * encoder read them.
 *
 * @module
 */

/**
 * How a VIF row scales or interprets its value:
 * - `scaled`: unit factor 10^(exponent + code − first);
 * - `duration`: a time unit picked by (code − first + exponent) from s, min, h, d, month, year;
 * - `plain`: a number without unit factor (identifiers, counters);
 * - `date`: a date/time; the type (G, F, J, I) follows from the data length;
 * - `daylight`: type K (daylight saving, kept as raw bytes);
 * - `text`: plain-text unit follows the VIF; `any`: any VIF (readout selection);
 * - `manufacturer`: manufacturer specific; `extension`: FB/FD marker; `reserved`.
 */
export type VifKind =
  | "scaled"
  | "duration"
  | "plain"
  | "date"
  | "daylight"
  | "text"
  | "any"
  | "manufacturer"
  | "extension"
  | "reserved";

/** One row of a VIF table: a code range with one quantity. */
export interface VifRow {
  /** First code (bit 7 masked). */
  readonly first: number;
  /** Last code, inclusive. */
  readonly last: number;
  /** Quantity name (libmbus's normalised names where it has one). */
  readonly quantity: string;
  /** Unit of the scaled value, `""` when dimensionless. */
  readonly unit: string;
  /** Exponent of `first` (`scaled`) or index of `first`'s time unit (`duration`). */
  readonly exponent: number;
  /** Interpretation. */
  readonly kind: VifKind;
  /**
   * The wireless reference decoder's (wmbusmeters') name of the VIF range and of its
   * quantity (`["EnergyWh", "energy"]`), where it has one: the drivers' matchers and
   * canonical units read this column.
   */
  readonly ref?: readonly [range: string, quantity: string];
}

/** Time units of `duration` rows: raw unit name and seconds per unit. */
export const DURATION_UNITS = [
  { unit: "s", seconds: 1 },
  { unit: "min", seconds: 60 },
  { unit: "h", seconds: 3600 },
  { unit: "d", seconds: 86400 },
  { unit: "month", seconds: 2629743.83 },
  { unit: "year", seconds: 31556926 },
] as const;

function row(
  first: number,
  last: number,
  quantity: string,
  unit: string,
  exponent: number,
  kind?: VifKind,
  ref?: readonly [string, string],
): VifRow {
  kind ??= "scaled";
  return ref === undefined
    ? { first, last, quantity, unit, exponent, kind }
    : { first, last, quantity, unit, exponent, kind, ref };
}

/** Primary VIF table (bit 7 masked), §3.5.1. */
export const PRIMARY_VIF_ROWS: readonly VifRow[] = [
  row(0x00, 0x07, "Energy", "Wh", -3, "scaled", ["EnergyWh", "energy"]),
  row(0x08, 0x0f, "Energy", "J", 0, "scaled", ["EnergyMJ", "energy"]),
  row(0x10, 0x17, "Volume", "m^3", -6, "scaled", ["Volume", "volume"]),
  row(0x18, 0x1f, "Mass", "kg", -3, "scaled", ["Mass", "mass"]),
  row(0x20, 0x23, "On time", "s", 0, "duration", ["OnTime", "time"]),
  row(0x24, 0x27, "Operating time", "s", 0, "duration", [
    "OperatingTime",
    "time",
  ]),
  row(0x28, 0x2f, "Power", "W", -3, "scaled", ["PowerW", "power"]),
  row(0x30, 0x37, "Power", "J/h", 0, "scaled", ["PowerJh", "power"]),
  row(0x38, 0x3f, "Volume flow", "m^3/h", -6, "scaled", ["VolumeFlow", "flow"]),
  row(0x40, 0x47, "Volume flow", "m^3/min", -7, "scaled", [
    "VolumeFlowExt",
    "flow",
  ]),
  row(0x48, 0x4f, "Volume flow", "m^3/s", -9, "scaled", [
    "VolumeFlowExtS",
    "flow",
  ]),
  row(0x50, 0x57, "Mass flow", "kg/h", -3),
  row(0x58, 0x5b, "Flow temperature", "°C", -3, "scaled", [
    "FlowTemperature",
    "temperature",
  ]),
  row(0x5c, 0x5f, "Return temperature", "°C", -3, "scaled", [
    "ReturnTemperature",
    "temperature",
  ]),
  row(0x60, 0x63, "Temperature difference", "K", -3, "scaled", [
    "TemperatureDifference",
    "temperature",
  ]),
  row(0x64, 0x67, "External temperature", "°C", -3, "scaled", [
    "ExternalTemperature",
    "temperature",
  ]),
  row(0x68, 0x6b, "Pressure", "bar", -3, "scaled", ["Pressure", "pressure"]),
  row(0x6c, 0x6c, "Time point (date)", "", 0, "date", ["Date", "date"]),
  row(0x6d, 0x6d, "Time point (date & time)", "", 0, "date", [
    "DateTime",
    "datetime",
  ]),
  row(0x6e, 0x6e, "H.C.A.", "HCA", 0, "scaled", ["HeatCostAllocation", "hca"]),
  row(0x6f, 0x6f, "Reserved", "", 0, "reserved"),
  row(0x70, 0x73, "Averaging Duration", "s", 0, "duration", [
    "AveragingDuration",
    "time",
  ]),
  row(0x74, 0x77, "Actuality Duration", "s", 0, "duration", [
    "ActualityDuration",
    "time",
  ]),
  row(0x78, 0x78, "Fabrication No", "", 0, "plain", ["FabricationNo", "text"]),
  row(0x79, 0x79, "(Enhanced) Identification", "", 0, "plain", [
    "EnhancedIdentification",
    "text",
  ]),
  row(0x7a, 0x7a, "Bus Address", "", 0, "plain"),
  row(0x7b, 0x7b, "Extension (FB)", "", 0, "extension"),
  row(0x7c, 0x7c, "Plain text", "", 0, "text"),
  row(0x7d, 0x7d, "Extension (FD)", "", 0, "extension"),
  row(0x7e, 0x7e, "Any VIF", "", 0, "any"),
  row(0x7f, 0x7f, "Manufacturer specific", "", 0, "manufacturer"),
];

/** Second extension table: true VIF = first VIFE after `FD`, §3.6. */
export const FD_VIF_ROWS: readonly VifRow[] = [
  row(0x00, 0x03, "Credit", "Currency units", -3),
  row(0x04, 0x07, "Debit", "Currency units", -3),
  row(0x08, 0x08, "Access Number (transmission count)", "", 0, "plain", [
    "AccessNumber",
    "dimensionless",
  ]),
  row(0x09, 0x09, "Medium", "", 0, "plain", ["Medium", "text"]),
  row(0x0a, 0x0a, "Manufacturer", "", 0, "plain", ["Manufacturer", "text"]),
  row(0x0b, 0x0b, "Parameter set identification", "", 0, "plain", [
    "ParameterSet",
    "text",
  ]),
  row(0x0c, 0x0c, "Model / Version", "", 0, "plain", ["ModelVersion", "text"]),
  row(0x0d, 0x0d, "Hardware version", "", 0, "plain", [
    "HardwareVersion",
    "text",
  ]),
  row(0x0e, 0x0e, "Firmware version", "", 0, "plain", [
    "FirmwareVersion",
    "text",
  ]),
  row(0x0f, 0x0f, "Software version", "", 0, "plain", [
    "SoftwareVersion",
    "text",
  ]),
  row(0x10, 0x10, "Customer location", "", 0, "plain", ["Location", "text"]),
  row(0x11, 0x11, "Customer", "", 0, "plain", ["Customer", "text"]),
  row(0x12, 0x12, "Access Code User", "", 0, "plain"),
  row(0x13, 0x13, "Access Code Operator", "", 0, "plain"),
  row(0x14, 0x14, "Access Code System Operator", "", 0, "plain"),
  row(0x15, 0x15, "Access Code Developer", "", 0, "plain"),
  row(0x16, 0x16, "Password", "", 0, "plain"),
  row(0x17, 0x17, "Error flags", "", 0, "plain", ["ErrorFlags", "text"]),
  row(0x18, 0x18, "Error mask", "", 0, "plain"),
  row(0x19, 0x19, "Reserved", "", 0, "reserved"),
  row(0x1a, 0x1a, "Digital Output", "", 0, "plain", ["DigitalOutput", "text"]),
  row(0x1b, 0x1b, "Digital Input", "", 0, "plain", ["DigitalInput", "text"]),
  row(0x1c, 0x1c, "Baudrate", "Baud", 0, "plain"),
  row(0x1d, 0x1d, "Response delay time", "Bittimes", 0, "plain"),
  row(0x1e, 0x1e, "Retry", "", 0, "plain"),
  row(0x1f, 0x1f, "Remote control", "", 0, "plain"),
  row(0x20, 0x20, "First storage # for cyclic storage", "", 0, "plain"),
  row(0x21, 0x21, "Last storage # for cyclic storage", "", 0, "plain"),
  row(0x22, 0x22, "Size of storage block", "", 0, "plain"),
  row(0x23, 0x23, "Reserved", "", 0, "reserved"),
  row(0x24, 0x27, "Storage interval", "s", 0, "duration"),
  row(0x28, 0x29, "Storage interval", "s", 4, "duration"),
  row(0x2a, 0x2a, "Operator specific data", "", 0, "plain"),
  row(0x2b, 0x2b, "Time point second", "s", 0, "plain"),
  row(0x2c, 0x2f, "Duration since last readout", "s", 0, "duration", [
    "DurationSinceReadout",
    "time",
  ]),
  row(0x30, 0x30, "Start of tariff", "", 0, "date"),
  row(0x31, 0x33, "Duration of tariff", "s", 1, "duration", [
    "DurationOfTariff",
    "time",
  ]),
  row(0x34, 0x37, "Period of tariff", "s", 0, "duration"),
  row(0x38, 0x39, "Period of tariff", "s", 4, "duration"),
  row(0x3a, 0x3a, "Dimensionless", "", 0, "plain", [
    "Dimensionless",
    "dimensionless",
  ]),
  row(0x3b, 0x3b, "Wireless container", "", 0, "plain"),
  row(0x3c, 0x3f, "Period of nominal data transmissions", "s", 0, "duration"),
  row(0x40, 0x4f, "Voltage", "V", -9, "scaled", ["Voltage", "voltage"]),
  row(0x50, 0x5f, "Current", "A", -12, "scaled", ["Amperage", "amperage"]),
  row(0x60, 0x60, "Reset counter", "", 0, "plain", [
    "ResetCounter",
    "dimensionless",
  ]),
  row(0x61, 0x61, "Cumulation counter", "", 0, "plain", [
    "CumulationCounter",
    "dimensionless",
  ]),
  row(0x62, 0x62, "Control signal", "", 0, "plain"),
  row(0x63, 0x63, "Day of week", "", 0, "plain"),
  row(0x64, 0x64, "Week number", "", 0, "plain"),
  row(0x65, 0x65, "Time point of day change", "", 0, "plain"),
  row(0x66, 0x66, "State of parameter activation", "", 0, "plain"),
  row(0x67, 0x67, "Special supplier information", "", 0, "plain", [
    "SpecialSupplierInformation",
    "text",
  ]),
  row(0x68, 0x6b, "Duration since last cumulation", "s", 2, "duration"),
  row(0x6c, 0x6f, "Operating time battery", "s", 2, "duration"),
  row(0x70, 0x70, "Date and time of battery change", "", 0, "date"),
  row(0x71, 0x71, "RF level", "dBm", 0, "plain"),
  row(0x72, 0x72, "Daylight saving", "", 0, "daylight"),
  row(0x73, 0x73, "Listening window management", "", 0, "plain"),
  row(0x74, 0x74, "Remaining battery lifetime", "s", 3, "duration", [
    "RemainingBattery",
    "time",
  ]),
  row(0x75, 0x75, "Meter stopped count", "", 0, "plain"),
  row(0x76, 0x76, "Manufacturer container", "", 0, "plain"),
  row(0x77, 0x7f, "Reserved", "", 0, "reserved"),
];

/** First extension table: true VIF = first VIFE after `FB`, §3.7. */
export const FB_VIF_ROWS: readonly VifRow[] = [
  row(0x00, 0x01, "Energy", "Wh", 5, "scaled", ["EnergyMWh", "energy"]),
  row(0x02, 0x03, "Reactive energy", "VARh", 3, "scaled", [
    "ReactiveEnergy",
    "reactive_energy",
  ]),
  row(0x04, 0x05, "Apparent energy", "VAh", 3),
  row(0x06, 0x07, "Reserved", "", 0, "reserved"),
  row(0x08, 0x09, "Energy", "J", 8, "scaled", ["EnergyGJ", "energy"]),
  row(0x0a, 0x0b, "Reserved", "", 0, "reserved"),
  row(0x0c, 0x0f, "Energy", "cal", 5),
  row(0x10, 0x11, "Volume", "m^3", 2),
  row(0x12, 0x13, "Reserved", "", 0, "reserved"),
  row(0x14, 0x17, "Reactive power", "VAR", 0),
  row(0x18, 0x19, "Mass", "kg", 5),
  row(0x1a, 0x1b, "Relative humidity", "%", -1, "scaled", [
    "RelativeHumidity",
    "humidity",
  ]),
  row(0x1c, 0x1f, "Reserved", "", 0, "reserved"),
  row(0x20, 0x20, "Volume", "feet^3", 0),
  row(0x21, 0x21, "Volume", "feet^3", -1),
  row(0x22, 0x23, "Volume", "American gallon", -1),
  row(0x24, 0x24, "Volume flow", "American gallon/min", -3),
  row(0x25, 0x25, "Volume flow", "American gallon/min", 0),
  row(0x26, 0x26, "Volume flow", "American gallon/h", 0),
  row(0x27, 0x27, "Reserved", "", 0, "reserved"),
  row(0x28, 0x29, "Power", "W", 5),
  row(0x2a, 0x2a, "Phase angle U-U", "°", -1),
  row(0x2b, 0x2b, "Phase angle U-I", "°", -1),
  row(0x2c, 0x2f, "Frequency", "Hz", -3, "scaled", ["Frequency", "frequency"]),
  row(0x30, 0x31, "Power", "J/h", 8),
  row(0x32, 0x33, "Reserved", "", 0, "reserved"),
  row(0x34, 0x37, "Apparent power", "VA", 0),
  row(0x38, 0x57, "Reserved", "", 0, "reserved"),
  row(0x58, 0x5b, "Flow temperature", "°F", -3),
  row(0x5c, 0x5f, "Return temperature", "°F", -3),
  row(0x60, 0x63, "Temperature difference", "°F", -3),
  row(0x64, 0x67, "External temperature", "°F", -3),
  row(0x68, 0x6f, "Reserved", "", 0, "reserved"),
  row(0x70, 0x73, "Cold / Warm Temperature Limit", "°F", -3),
  row(0x74, 0x77, "Cold / Warm Temperature Limit", "°C", -3),
  row(0x78, 0x7f, "Cumul count max power", "W", -3),
];

/** Per-code meaning of a VIF: what the decoder needs, precomputed. */
export interface VifInfo {
  /** Code (bit 7 masked). */
  readonly code: number;
  /** Quantity name. */
  readonly quantity: string;
  /** Unit of the scaled value. */
  readonly unit: string;
  /** Unit of the raw value (differs for durations: `d` vs `s`). */
  readonly rawUnit: string;
  /** Power of ten from raw to value (scaled rows). */
  readonly exponent: number;
  /** Extra multiplier (seconds per unit for durations, else 1). */
  readonly multiplier: number;
  /** multiplier × 10^exponent. */
  readonly factor: number;
  /** Interpretation. */
  readonly kind: VifKind;
  /** The reference's range and quantity names (see {@link VifRow.ref}), or undefined. */
  readonly ref: readonly [range: string, quantity: string] | undefined;
}

function buildLookup(rows: readonly VifRow[]): readonly VifInfo[] {
  const out: VifInfo[] = [];
  for (const r of rows) {
    for (let code = r.first; code <= r.last; code++) {
      const step = code - r.first;
      let exponent = 0;
      let multiplier = 1;
      let rawUnit = r.unit;
      if (r.kind === "scaled") exponent = r.exponent + step;
      if (r.kind === "duration") {
        const d = DURATION_UNITS[r.exponent + step] ?? DURATION_UNITS[0];
        multiplier = d.seconds;
        rawUnit = d.unit;
      }
      out[code] = {
        code,
        quantity: r.quantity,
        unit: r.unit,
        rawUnit,
        exponent,
        multiplier,
        factor: exponent >= 0
          ? multiplier * 10 ** exponent
          : multiplier / 10 ** -exponent,
        kind: r.kind,
        ref: r.ref,
      };
    }
  }
  return out;
}

/** Primary VIF meaning by code (0..127). */
export const PRIMARY_VIF: readonly VifInfo[] = buildLookup(PRIMARY_VIF_ROWS);
/** `FD` extension meaning by code (0..127). */
export const FD_VIF: readonly VifInfo[] = buildLookup(FD_VIF_ROWS);
/** `FB` extension meaning by code (0..127). */
export const FB_VIF: readonly VifInfo[] = buildLookup(FB_VIF_ROWS);

/** Fallback for a code missing from a table (never happens for 0..127). */
export const RESERVED_VIF: VifInfo = {
  code: -1,
  quantity: "Reserved",
  unit: "",
  rawUnit: "",
  exponent: 0,
  multiplier: 1,
  factor: 1,
  kind: "reserved",
  ref: undefined,
};
