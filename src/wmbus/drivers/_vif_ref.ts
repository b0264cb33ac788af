/**
 * The VIF ranges as the driver tables name them (the reference decoder's names), read
 * from the application layer's one VIF table (its `ref` column): which range and
 * quantity a VIF belongs to, and the factor that brings its raw value to the canonical
 * unit of that quantity (kWh, m³, kg, kW, m³/h, °C, h, bar, V, A, %RH, Hz, kvarh).
 *
 * @module
 */
import { FB_VIF, FD_VIF, PRIMARY_VIF, type VifInfo } from "../../app/mod.ts";

/** Quantities (the reference's names) and their canonical units. */
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

/** What a VIF means to the drivers. */
export interface VifRef {
  /** The reference's range name (`EnergyWh`, `Volume`, …). */
  readonly range: string;
  /** The quantity. */
  readonly quantity: Quantity;
  /** Raw value × factor = value in the canonical unit. */
  readonly factor: number;
}

/** From the app table's unit to the canonical unit: power of ten and multiplier. */
const TO_CANONICAL: Readonly<Record<string, readonly [number, number]>> = {
  Wh: [-3, 1],
  J: [0, 1 / 3.6e6],
  W: [-3, 1],
  "J/h": [0, 1 / 3.6e6],
  "m^3/min": [0, 60],
  "m^3/s": [0, 3600],
  VARh: [-3, 1],
  VAh: [-3, 1],
};

function refOf(info: VifInfo | undefined): VifRef | undefined {
  if (info === undefined || info.ref === undefined) return undefined;
  const [range, quantity] = info.ref;
  let factor = 1;
  if (info.kind === "duration") factor = info.multiplier / 3600;
  else if (info.kind === "scaled") {
    const [pow, mul] = TO_CANONICAL[info.unit] ?? [0, 1];
    factor = 10 ** (info.exponent + pow) * mul;
  }
  return { range, quantity: quantity as Quantity, factor };
}

/** Slots of {@link vifSlot}: primary VIFs, `FD` extensions, `FB` extensions, other. */
const SLOTS = 0x181;

/**
 * A small index for a VIF code: `0x00–0x7f` as is, `FDxx` at `0x80 + xx`, `FBxx` at
 * `0x100 + xx`, anything else at `0x180`.
 *
 * @param vif True VIF code (see DvEntry.vif).
 * @returns The slot, below 0x181.
 */
export function vifSlot(vif: number): number {
  if (vif < 0x80) return vif < 0 ? 0x180 : vif;
  const hi = vif >> 8;
  if (hi === 0xfd && (vif & 0x80) === 0) return 0x80 + (vif & 0x7f);
  if (hi === 0xfb && (vif & 0x80) === 0) return 0x100 + (vif & 0x7f);
  return 0x180;
}

/** The driver meaning of every slot. */
const REFS: readonly (VifRef | undefined)[] = (() => {
  const out: (VifRef | undefined)[] = new Array(SLOTS).fill(undefined);
  for (let c = 0; c < 0x80; c++) {
    out[c] = refOf(PRIMARY_VIF[c]);
    out[0x80 + c] = refOf(FD_VIF[c]);
    out[0x100 + c] = refOf(FB_VIF[c]);
  }
  return out;
})();

/**
 * The range, quantity and canonical factor of a VIF, or undefined.
 *
 * @param vif True VIF code (see DvEntry.vif).
 * @returns The meaning.
 */
export function vifRow(vif: number): VifRef | undefined {
  return REFS[vifSlot(vif)];
}

/**
 * Factor that brings a raw value with this VIF to the canonical unit.
 *
 * @param vif True VIF code.
 * @returns The factor (1 when unknown).
 */
export function vifFactor(vif: number): number {
  return REFS[vifSlot(vif)]?.factor ?? 1;
}

/** Ranges that group several ranges. */
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

/** Range or group name → its VIF slot bitmap (filled on first use). */
const MASKS = new Map<string, Uint8Array>();

/**
 * The VIFs of a named range (or group) as a bitmap over {@link vifSlot}: `mask[slot]` is 1
 * inside the range.
 *
 * @param range Range name.
 * @returns The bitmap (shared; do not change).
 */
export function vifMask(range: string): Uint8Array {
  let mask = MASKS.get(range);
  if (mask === undefined) {
    const names = GROUPS[range] ?? [range];
    mask = new Uint8Array(SLOTS);
    for (let slot = 0; slot < SLOTS; slot++) {
      const r = REFS[slot];
      if (r !== undefined && names.includes(r.range)) mask[slot] = 1;
    }
    MASKS.set(range, mask);
  }
  return mask;
}

/**
 * Whether a VIF lies in a named range (or group of ranges).
 *
 * @param vif True VIF code.
 * @param range Range name.
 * @returns True when inside.
 */
export function inVifRange(vif: number, range: string): boolean {
  return vifMask(range)[vifSlot(vif)] === 1;
}

/**
 * Every range name the tables know, with its VIF codes (for `--listfields` and tests).
 *
 * @returns Range name → true VIF codes.
 */
export function vifRanges(): ReadonlyMap<string, readonly number[]> {
  const out = new Map<string, number[]>();
  for (let slot = 0; slot < SLOTS - 1; slot++) {
    const r = REFS[slot];
    if (r === undefined) continue;
    const code = slot < 0x80
      ? slot
      : slot < 0x100
      ? 0xfd00 | (slot - 0x80)
      : 0xfb00 | (slot - 0x100);
    const list = out.get(r.range) ?? [];
    list.push(code);
    out.set(r.range, list);
  }
  return out;
}
