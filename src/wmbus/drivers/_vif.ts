/**
 * VIF ranges as the driver tables name them (wmbusmeters' names), each with the quantity
 * and the factor that brings the raw value to the canonical unit of that quantity.
 *
 * @module
 */

/** Quantities and their canonical units. */
export type Quantity =
  | "energy" // kWh
  | "volume" // m3
  | "mass" // kg
  | "power" // kW
  | "flow" // m3/h
  | "temperature" // °C
  | "time" // h
  | "pressure" // bar
  | "hca" // units
  | "voltage" // V
  | "amperage" // A
  | "humidity" // %RH
  | "frequency" // Hz
  | "apparent_energy" // kVAh
  | "reactive_energy" // kvarh
  | "dimensionless" // plain counts
  | "date"
  | "datetime"
  | "text";

/** One VIF range row. */
interface VifRow {
  readonly range: string;
  readonly from: number;
  readonly to: number;
  readonly quantity: Quantity;
  /** Factor per offset `vif - from`. */
  readonly factors: readonly number[];
}

const TIME = [1 / 3600, 1 / 60, 1, 24];
const KWH_PER_J = 1 / 3.6e6;

/** Row source: range, first VIF, last VIF, quantity, decimal exponent of offset 0 (or "time"), multiplier. */
type RowSource = readonly [
  string,
  number,
  number,
  Quantity,
  number | "time" | "tariff",
  number?,
];

// deno-fmt-ignore
const SOURCES: readonly RowSource[] = [
  ["EnergyWh", 0x00, 0x07, "energy", -6],
  ["EnergyMJ", 0x08, 0x0f, "energy", 0, KWH_PER_J],
  ["Volume", 0x10, 0x17, "volume", -6],
  ["Mass", 0x18, 0x1f, "mass", -3],
  ["OnTime", 0x20, 0x23, "time", "time"],
  ["OperatingTime", 0x24, 0x27, "time", "time"],
  ["PowerW", 0x28, 0x2f, "power", -6],
  ["PowerJh", 0x30, 0x37, "power", 0, KWH_PER_J],
  ["VolumeFlow", 0x38, 0x3f, "flow", -6],
  ["VolumeFlowExt", 0x40, 0x47, "flow", -7, 60],
  ["VolumeFlowExtS", 0x48, 0x4f, "flow", -9, 3600],
  ["FlowTemperature", 0x58, 0x5b, "temperature", -3],
  ["ReturnTemperature", 0x5c, 0x5f, "temperature", -3],
  ["TemperatureDifference", 0x60, 0x63, "temperature", -3],
  ["ExternalTemperature", 0x64, 0x67, "temperature", -3],
  ["Pressure", 0x68, 0x6b, "pressure", -3],
  ["Date", 0x6c, 0x6c, "date", 0],
  ["DateTime", 0x6d, 0x6d, "datetime", 0],
  ["HeatCostAllocation", 0x6e, 0x6e, "hca", 0],
  ["AveragingDuration", 0x70, 0x73, "time", "time"],
  ["ActualityDuration", 0x74, 0x77, "time", "time"],
  ["FabricationNo", 0x78, 0x78, "text", 0],
  ["EnhancedIdentification", 0x79, 0x79, "text", 0],
  ["AccessNumber", 0xfd08, 0xfd08, "dimensionless", 0],
  ["Medium", 0xfd09, 0xfd09, "text", 0],
  ["Manufacturer", 0xfd0a, 0xfd0a, "text", 0],
  ["ParameterSet", 0xfd0b, 0xfd0b, "text", 0],
  ["ModelVersion", 0xfd0c, 0xfd0c, "text", 0],
  ["HardwareVersion", 0xfd0d, 0xfd0d, "text", 0],
  ["FirmwareVersion", 0xfd0e, 0xfd0e, "text", 0],
  ["SoftwareVersion", 0xfd0f, 0xfd0f, "text", 0],
  ["Location", 0xfd10, 0xfd10, "text", 0],
  ["Customer", 0xfd11, 0xfd11, "text", 0],
  ["ErrorFlags", 0xfd17, 0xfd17, "text", 0],
  ["DigitalOutput", 0xfd1a, 0xfd1a, "text", 0],
  ["DigitalInput", 0xfd1b, 0xfd1b, "text", 0],
  ["DurationSinceReadout", 0xfd2c, 0xfd2f, "time", "time"],
  ["DurationOfTariff", 0xfd31, 0xfd33, "time", "tariff"],
  ["Dimensionless", 0xfd3a, 0xfd3a, "dimensionless", 0],
  ["Voltage", 0xfd40, 0xfd4f, "voltage", -9],
  ["Amperage", 0xfd50, 0xfd5f, "amperage", -12],
  ["ResetCounter", 0xfd60, 0xfd60, "dimensionless", 0],
  ["CumulationCounter", 0xfd61, 0xfd61, "dimensionless", 0],
  ["SpecialSupplierInformation", 0xfd67, 0xfd67, "text", 0],
  ["RemainingBattery", 0xfd74, 0xfd74, "time", 0, 24],
  ["EnergyMWh", 0xfb00, 0xfb01, "energy", 2],
  ["ReactiveEnergy", 0xfb02, 0xfb03, "reactive_energy", -1],
  ["EnergyGJ", 0xfb08, 0xfb09, "energy", -1, 1e9 * KWH_PER_J],
  ["RelativeHumidity", 0xfb1a, 0xfb1b, "humidity", -1],
  ["Frequency", 0xfb2c, 0xfb2f, "frequency", -3],
];

/** The VIF range table (primary VIFs, `FD` and `FB` extensions). */
export const VIF_ROWS: readonly VifRow[] = SOURCES.map(
  ([range, from, to, quantity, base, mul]) => ({
    range,
    from,
    to,
    quantity,
    factors: base === "time"
      ? TIME
      : base === "tariff"
      ? TIME.slice(1)
      : Array.from({ length: to - from + 1 }, (_, i) =>
        10 ** (base + i) * (mul ?? 1)),
  }),
);

/** Ranges that group several rows. */
const GROUPS: Readonly<Record<string, readonly string[]>> = {
  AnyEnergyVIF: ["EnergyWh", "EnergyMJ", "EnergyMWh", "EnergyGJ"],
  AnyPowerVIF: ["PowerW", "PowerJh"],
  AnyVolumeVIF: ["Volume"],
  AnyFlowVIF: ["VolumeFlow", "VolumeFlowExt", "VolumeFlowExtS"],
  AnyTemperatureVIF: [
    "FlowTemperature",
    "ReturnTemperature",
    "TemperatureDifference",
    "ExternalTemperature",
  ],
};

/**
 * The row of a primary VIF, or undefined.
 *
 * @param vif Primary VIF code (see DvEntry.vif).
 * @returns The row.
 */
export function vifRow(vif: number): VifRow | undefined {
  return ROW_BY_VIF.get(vif);
}

/** Every VIF code of the table → its row (the first row wins, as a linear search would). */
const ROW_BY_VIF: ReadonlyMap<number, VifRow> = (() => {
  const m = new Map<number, VifRow>();
  for (const r of VIF_ROWS) {
    for (let v = r.from; v <= r.to; v++) if (!m.has(v)) m.set(v, r);
  }
  return m;
})();

/** Range or group name → the VIF codes inside (filled on first use). */
const VIFS_BY_RANGE = new Map<string, ReadonlySet<number>>();

function vifsIn(range: string): ReadonlySet<number> {
  let set = VIFS_BY_RANGE.get(range);
  if (set === undefined) {
    const names = GROUPS[range] ?? [range];
    const vifs = new Set<number>();
    for (const [v, r] of ROW_BY_VIF) if (names.includes(r.range)) vifs.add(v);
    set = vifs;
    VIFS_BY_RANGE.set(range, set);
  }
  return set;
}

/**
 * Whether a VIF lies in a named range (or group of ranges).
 *
 * @param vif Primary VIF code.
 * @param range Range name.
 * @returns True when inside.
 */
export function inVifRange(vif: number, range: string): boolean {
  return vifsIn(range).has(vif);
}

/**
 * Factor that brings a raw value with this VIF to the canonical unit.
 *
 * @param vif Primary VIF code.
 * @returns The factor (1 when unknown).
 */
export function vifFactor(vif: number): number {
  const row = vifRow(vif);
  if (row === undefined) return 1;
  return row.factors[vif - row.from] ?? 1;
}

/** Slots of {@link vifSlot}: primary VIFs, `FD` extensions, `FB` extensions, other. */
const SLOTS = 0x181;

/**
 * A small index for a VIF code: `0x00–0x7f` as is, `FDxx` at `0x80 + xx`, `FBxx` at
 * `0x100 + xx`, anything else at `0x180`.
 *
 * @param vif Primary VIF code (see DvEntry.vif).
 * @returns The slot, below 0x181.
 */
export function vifSlot(vif: number): number {
  if (vif < 0x80) return vif < 0 ? 0x180 : vif;
  const hi = vif >> 8;
  if (hi === 0xfd && (vif & 0x80) === 0) return 0x80 + (vif & 0x7f);
  if (hi === 0xfb && (vif & 0x80) === 0) return 0x100 + (vif & 0x7f);
  return 0x180;
}

/** Range or group name → its VIF slot bitmap (filled on first use). */
const MASKS = new Map<string, Uint8Array>();

/**
 * The VIFs of a named range (or group) as a bitmap over {@link vifSlot}: `mask[slot]` is 1
 * inside the range. Same answer as {@link inVifRange}.
 *
 * @param range Range name.
 * @returns The bitmap (shared; do not change).
 */
export function vifMask(range: string): Uint8Array {
  let mask = MASKS.get(range);
  if (mask === undefined) {
    mask = new Uint8Array(SLOTS);
    for (const v of vifsIn(range)) mask[vifSlot(v)] = 1;
    MASKS.set(range, mask);
  }
  return mask;
}
