/**
 * The `legacyDriver` profile's naming: records and meter headers published with libmbus's
 * normalised field names (`SlaveInformation`, `DataRecord`), as node-mbus users consume them.
 *
 * @module
 */
import type {
  SourceHeader,
  SourceRecord,
  SourceValue,
} from "./meter_source.ts";

/** libmbus's `SlaveInformation`. */
export interface LegacySlaveInformation {
  /** Identification number. */
  Id: string;
  /** Manufacturer letters. */
  Manufacturer: string;
  /** Version. */
  Version: number;
  /** libmbus's product name for the manufacturer and version, or "" ({@link legacyProductName}). */
  ProductName: string;
  /** Medium name. */
  Medium: string;
  /** Access number. */
  AccessNumber: number;
  /** Status, 2 hex digits. */
  Status: string;
  /** Signature, 4 hex digits. */
  Signature: string;
}

/** libmbus's `DataRecord`. */
export interface LegacyDataRecord {
  /** Record number. */
  id: number;
  /** "Instantaneous value", "Maximum value", "Minimum value" or "Value during error state". */
  Function: string;
  /** Storage number. */
  StorageNumber: number;
  /** Tariff (only when the record has a DIFE). */
  Tariff?: number;
  /** Subunit (only when the record has a DIFE). */
  Device?: number;
  /** Unit. */
  Unit: string;
  /** Quantity. */
  Quantity: string;
  /** Value as libmbus prints it: numbers with six decimals (`54.321000`), texts as they are. */
  Value: string;
  /** Time of the read, ISO 8601. */
  Timestamp: string;
}

/** A meter as node-mbus (libmbus's XML as JSON) returns it. */
export interface LegacyMeterData {
  /** The header. */
  SlaveInformation: LegacySlaveInformation;
  /** The records. */
  DataRecord: LegacyDataRecord[];
}

const FUNCTION_NAMES: Record<string, string> = {
  instantaneous: "Instantaneous value",
  maximum: "Maximum value",
  minimum: "Minimum value",
  error: "Value during error state",
};

/**
 * Product names libmbus prints for a manufacturer and version ("MAN/version"), as its
 * normalised output of the libmbus test frames shows them. Other meters get "".
 */
const PRODUCT_NAMES: Readonly<Record<string, string>> = {
  "ABB/2": "ABB Delta-Meter",
  "ACW/10": "Itron CF 51",
  "ACW/11": "Itron CF 55",
  "ACW/14": "Itron BM +m",
  "ACW/20": "Itron CYBLE M-Bus 1.4",
  "AMT/52": "Aquametro AMTRON",
  "EFE/1": "Engelmann SensoStar 2C",
  "ELS/47": "Elster F96 Plus",
  "ELV/22": "Elvaco CMa10",
  "ELV/50": "Elvaco CMa11",
  "EMH/0": "EMH DIZ",
  "EMU/16": "EMU Professional 3/75 M-Bus",
  "HYD/40": "ABB F95 Typ US770",
  "KAM/1": "Kamstrup 382 (6850-005)",
  "LSE/153": "Siemens WFH21",
  "LUG/2": "Landis & Gyr Ultraheat 2WR5",
  "LUG/7": "Landis & Gyr Ultraheat T230",
  "RAM/3": "Rossweiner ETK/ETW Modularis",
  "SEN/11": "Sensus PolluTherm",
  "SEN/14": "Sensus PolluStat E",
  "SEN/8": "Sensus PolluCom E",
  "SLB/2": "Allmess Megacontrol CF-50",
  "SLB/6": "CF Compact / Integral MK MaXX",
  "SON/13": "Sontex Supercal 531",
  "SPX/49": "Sensus PolluTherm",
  "SVM/9": "Elster F4 / Kamstrup SVM F22",
  "ZRM/129": "Minol Minocal C2",
  "ZRM/130": "Minol Minocal WR3",
};

/**
 * libmbus's `ProductName` of a meter: known for the manufacturer/version pairs of its test
 * frames, "" otherwise (libmbus's own table is larger: an unknown pair may differ).
 *
 * @param manufacturer Three letters.
 * @param version Version byte.
 * @returns The name or "".
 */
export function legacyProductName(
  manufacturer: string,
  version: number,
): string {
  return PRODUCT_NAMES[`${manufacturer}/${version}`] ?? "";
}

/** libmbus's unit texts where ours differ. */
const UNIT_NAMES: Record<string, string> = { HCA: "Units for H.C.A." };

/** Quantities that libmbus prints with unit "-" (time points). */
const DASH_UNIT_QUANTITIES = new Set([
  "Time point (date)",
  "Time point (date & time)",
]);

/** VIFs of plain-text records (quantity = the meter's text), printed with unit "-". */
const PLAIN_TEXT_VIFS = new Set(["7c", "fc"]);

function hex(n: number, digits: number): string {
  return n.toString(16).toUpperCase().padStart(digits, "0");
}

/**
 * Converts a header to libmbus's `SlaveInformation`.
 *
 * @param h The header.
 * @returns The legacy object.
 */
export function toLegacySlaveInformation(
  h: SourceHeader,
): LegacySlaveInformation {
  return {
    Id: h.id.replace(/^0+(?=.)/, ""),
    Manufacturer: h.manufacturer,
    Version: h.version,
    ProductName: legacyProductName(h.manufacturer, h.version),
    Medium: h.medium.name,
    AccessNumber: h.accessNumber,
    Status: hex(h.status, 2),
    Signature: hex(h.signature, 4),
  };
}

/**
 * Formats a value as libmbus's normalised output prints it: a number like C's `%f` (six
 * decimals, exact round-half-even on the binary value, `-0.000000` for a negative zero),
 * a text unchanged, no value as "".
 *
 * @param v The value.
 * @returns The text.
 */
export function formatLegacyValue(v: SourceValue): string {
  if (v === null) return "";
  if (typeof v === "string") return v;
  if (Number.isNaN(v)) return Object.is(v, NaN) ? "nan" : "-nan";
  const negative = v < 0 || Object.is(v, -0);
  if (!Number.isFinite(v)) return negative ? "-inf" : "inf";
  return (negative ? "-" : "") + formatFixed6(Math.abs(v));
}

/** `%f` of a finite non-negative number: exact digits, then round half to even. */
function formatFixed6(x: number): string {
  if (x >= 1e21) return `${BigInt(x)}.000000`;
  const exact = x.toFixed(100); // the exact binary value, 100 decimals
  const dot = exact.indexOf(".");
  const kept = exact.slice(0, dot) + exact.slice(dot + 1, dot + 7);
  const rest = exact.slice(dot + 7);
  const last = Number(kept.at(-1));
  const tie = rest[0] === "5" && /^0*$/.test(rest.slice(1));
  const up = rest[0] !== undefined && rest[0] > "5" ||
    (rest[0] === "5" && !tie) || (tie && last % 2 === 1);
  const digits = (BigInt(kept) + (up ? 1n : 0n)).toString().padStart(7, "0");
  return `${digits.slice(0, -6)}.${digits.slice(-6)}`;
}

/**
 * libmbus's unit text of a record: "-" for time points and plain-text quantities,
 * "Units for H.C.A." for heat cost allocator units, else ours.
 *
 * @param r The record (its `vif`, when present, tells a plain-text record).
 * @returns The unit text.
 */
export function legacyUnit(r: SourceRecord & { vif?: string }): string {
  if (DASH_UNIT_QUANTITIES.has(r.quantity)) return "-";
  if (r.vif !== undefined && PLAIN_TEXT_VIFS.has(r.vif)) return "-";
  return UNIT_NAMES[r.unit] ?? r.unit;
}

/**
 * Converts a record to libmbus's `DataRecord`.
 *
 * @param r The record (a decoded `DataRecord` also gives its `vif` and `dife`; without
 *   them, Tariff and Device are printed when not 0).
 * @param value The published value (formatted with {@link formatLegacyValue}).
 * @param timestamp ISO time of the read.
 * @returns The legacy object.
 */
export function toLegacyDataRecord(
  r: SourceRecord & { vif?: string; dife?: readonly string[] },
  value: SourceValue,
  timestamp: string,
): LegacyDataRecord {
  const out: LegacyDataRecord = {
    id: r.index,
    Function: FUNCTION_NAMES[r.function] ?? r.function,
    StorageNumber: r.storage,
    Unit: legacyUnit(r),
    Quantity: r.quantity,
    Value: formatLegacyValue(value),
    Timestamp: timestamp,
  };
  // libmbus prints both whenever the record has a DIFE, else neither.
  const hasDife = r.dife === undefined
    ? r.tariff !== 0 || r.subunit !== 0
    : r.dife.length > 0;
  if (hasDife) {
    out.Tariff = r.tariff;
    out.Device = r.subunit;
  }
  return out;
}
