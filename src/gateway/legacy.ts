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
  /** Tariff (only when not 0). */
  Tariff?: number;
  /** Subunit (only when not 0). */
  Device?: number;
  /** Unit. */
  Unit: string;
  /** Quantity. */
  Quantity: string;
  /** Value. */
  Value: SourceValue;
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
    Id: h.id,
    Manufacturer: h.manufacturer,
    Version: h.version,
    Medium: h.medium.name,
    AccessNumber: h.accessNumber,
    Status: hex(h.status, 2),
    Signature: hex(h.signature, 4),
  };
}

/**
 * Converts a record to libmbus's `DataRecord`.
 *
 * @param r The record.
 * @param value The published value.
 * @param timestamp ISO time of the read.
 * @returns The legacy object.
 */
export function toLegacyDataRecord(
  r: SourceRecord,
  value: SourceValue,
  timestamp: string,
): LegacyDataRecord {
  const out: LegacyDataRecord = {
    id: r.index,
    Function: FUNCTION_NAMES[r.function] ?? r.function,
    StorageNumber: r.storage,
    Unit: r.unit,
    Quantity: r.quantity,
    Value: value,
    Timestamp: timestamp,
  };
  if (r.tariff !== 0) out.Tariff = r.tariff;
  if (r.subunit !== 0) out.Device = r.subunit;
  return out;
}
