/**
 * Fixed data structure (CI 0x73 wired legacy / 0x77 mode 2), mbus-wired.md §3.11: 16
 * bytes with ID, access number, status, two unit/medium bytes and two counters.
 *
 * @module
 */
import { byteHex, ByteReader, formatBcd } from "../util/mod.ts";
import type { DataRecord, Header, RecordValue } from "./types.ts";
import { readFixed } from "./_data_value.ts";
import { scaleByPowerOfTen } from "./decode_records.ts";

/** Medium names of the 4-bit fixed-data medium. */
export const FIXED_MEDIUM_NAMES: readonly string[] = [
  "Other",
  "Oil",
  "Electricity",
  "Gas",
  "Heat",
  "Steam",
  "Hot water",
  "Water",
  "Heat Cost Allocator",
  "Reserved",
  "Gas, mode 2",
  "Heat, mode 2",
  "Hot water, mode 2",
  "Water, mode 2",
  "Heat Cost Allocator, mode 2",
  "Reserved",
];

/** One fixed-data unit row: a code range with quantity, unit and exponent of `first`. */
interface FixedUnitRow {
  readonly first: number;
  readonly last: number;
  readonly quantity: string;
  readonly unit: string;
  readonly exponent: number;
}

/** Fixed-data unit codes (low 6 bits of the unit bytes). */
export const FIXED_UNIT_ROWS: readonly FixedUnitRow[] = [
  { first: 0x00, last: 0x00, quantity: "Time", unit: "", exponent: 0 },
  { first: 0x01, last: 0x01, quantity: "Date", unit: "", exponent: 0 },
  { first: 0x02, last: 0x0a, quantity: "Energy", unit: "Wh", exponent: 0 },
  { first: 0x0b, last: 0x13, quantity: "Energy", unit: "J", exponent: 3 },
  { first: 0x14, last: 0x1c, quantity: "Power", unit: "W", exponent: 0 },
  { first: 0x1d, last: 0x25, quantity: "Power", unit: "J/h", exponent: 3 },
  { first: 0x26, last: 0x2e, quantity: "Volume", unit: "m^3", exponent: -6 },
  {
    first: 0x2f,
    last: 0x37,
    quantity: "Volume flow",
    unit: "m^3/h",
    exponent: -6,
  },
  {
    first: 0x38,
    last: 0x38,
    quantity: "Temperature",
    unit: "°C",
    exponent: -3,
  },
  { first: 0x39, last: 0x39, quantity: "H.C.A.", unit: "HCA", exponent: 0 },
  { first: 0x3a, last: 0x3d, quantity: "Reserved", unit: "", exponent: 0 },
  {
    first: 0x3e,
    last: 0x3e,
    quantity: "Same as counter 1, historic",
    unit: "",
    exponent: 0,
  },
  { first: 0x3f, last: 0x3f, quantity: "Without units", unit: "", exponent: 0 },
];

function unitRow(code: number): FixedUnitRow & { exp: number } {
  for (const r of FIXED_UNIT_ROWS) {
    if (code >= r.first && code <= r.last) {
      return { ...r, exp: r.exponent + code - r.first };
    }
  }
  return {
    first: code,
    last: code,
    quantity: "Reserved",
    unit: "",
    exponent: 0,
    exp: 0,
  };
}

/** A decoded fixed data structure. */
export interface FixedData {
  /** Header fields (manufacturer "" and version 0: fixed data has neither). */
  header: Header;
  /** The two counters as records. */
  records: DataRecord[];
}

/**
 * Decodes a 16-byte fixed data structure. The caller checks the length.
 *
 * @param data 16 bytes after the CI.
 * @param applyUnitFactor Scale the counters.
 * @param msbFirst Mode 2 (CI 0x77): counters most significant byte first.
 * @returns Header and two records.
 */
export function decodeFixedData(
  data: Uint8Array,
  applyUnitFactor: boolean,
  msbFirst = false,
): FixedData {
  const r = new ByteReader(data);
  const id = formatBcd(r.bytesView(4));
  const accessNumber = r.u8();
  const status = r.u8();
  const u1 = r.u8();
  const u2 = r.u8();
  const medium = (u1 >> 6) | ((u2 >> 6) << 2);
  const binary = (status & 0x80) !== 0;
  const historic = (status & 0x40) !== 0 ? 1 : 0;
  const row1 = unitRow(u1 & 0x3f);
  const sameAs1 = (u2 & 0x3f) === 0x3e;
  const row2 = sameAs1 ? row1 : unitRow(u2 & 0x3f);
  const records: DataRecord[] = [];
  const rows = [row1, row2];
  for (let i = 0; i < 2; i++) {
    const row = rows[i] ?? row1;
    let counter = r.bytesView(4);
    if (msbFirst) counter = counter.slice().reverse();
    const raw: RecordValue = readFixed(
      counter,
      0,
      binary ? "int32" : "bcd8",
    );
    const value = applyUnitFactor && typeof raw === "number"
      ? scaleByPowerOfTen(raw, row.exp)
      : raw;
    records.push({
      index: i,
      dif: binary ? "04" : "0c",
      dife: [],
      vif: byteHex(i === 0 ? u1 : u2),
      vife: [],
      function: "instantaneous",
      storage: i === 1 && sameAs1 ? 1 : historic,
      tariff: 0,
      subunit: 0,
      quantity: row.quantity,
      unit: row.unit,
      value,
      raw,
      dataType: binary ? "int32" : "bcd8",
      factor: scaleByPowerOfTen(1, row.exp),
      offset: 0,
      vifeDescriptions: [],
    });
  }
  return {
    header: {
      id,
      manufacturer: "",
      version: 0,
      medium: { code: medium, name: FIXED_MEDIUM_NAMES[medium] ?? "Reserved" },
      accessNumber,
      status,
      signature: 0,
    },
    records,
  };
}
