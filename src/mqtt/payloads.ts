/**
 * What the bridge publishes for a reading: the meter's state as JSON (every record with
 * value, unit, quantity, function, storage, tariff, subunit, and the reading's time), the
 * plain value of each record, and for wireless meters the state in the wmbusmeters JSON
 * shape (`{"_":"telegram","media":…,"meter":<driver>,"name":…,"id":…,"total_m3":…,
 * "timestamp":…}`) that existing wmbusmeters set-ups already parse.
 *
 * @module
 */
import { mediumName } from "../app/mod.ts";
import {
  type Gateway,
  scaleValue,
  type SourceReading,
  type SourceRecord,
  type SourceValue,
  WIRELESS_UNITS,
} from "../gateway/mod.ts";

/** One reading of one meter, with what the bridge knows of the meter. */
export interface MeterReading {
  /** Instance name. */
  instance: string;
  /** Instance cluster. */
  cluster: number;
  /** The instance is a wireless receiver. */
  wireless: boolean;
  /** Canonical meter name. */
  meter: string;
  /** Meter path, e.g. `%mbus:5`. */
  path: string;
  /** Description from the config. */
  description: string;
  /** Wireless driver name, when known. */
  driver: string | undefined;
  /** The reading, scale and offset applied. */
  reading: SourceReading;
}

/** Wireless unit as the gateway writes it → the wmbusmeters field suffix. */
const SUFFIX: ReadonlyMap<string, string> = new Map(
  Object.entries(WIRELESS_UNITS).map(([suffix, unit]): [string, string] => [
    unit,
    suffix,
  ]),
);

/**
 * Applies a meter's scale and offset to every numeric record (as the address tree does).
 *
 * @param reading The reading as the source returned it.
 * @param scale Multiplier.
 * @param offset Added after scaling.
 * @returns The reading (the same object when scale is 1 and offset 0).
 */
export function scaleReading(
  reading: SourceReading,
  scale: number,
  offset: number,
): SourceReading {
  if (scale === 1 && offset === 0) return reading;
  return {
    ...reading,
    records: reading.records.map((r) => ({
      ...r,
      value: scaleValue(r.value, scale, offset),
    })),
  };
}

/**
 * The medium of a reading as text (`""` without a header).
 *
 * @param reading The reading.
 * @returns The medium name.
 */
export function mediumOf(reading: SourceReading): string {
  const h = reading.header;
  return h ? h.medium.name || mediumName(h.medium.code) : "";
}

function recordJson(r: SourceRecord): Record<string, SourceValue> {
  return {
    index: r.index,
    value: r.value,
    unit: r.unit,
    quantity: r.quantity,
    function: r.function,
    storage: r.storage,
    tariff: r.tariff,
    subunit: r.subunit,
  };
}

/**
 * The wmbusmeters field name of a wireless record (`total` + `m^3` → `total_m3`).
 *
 * @param r The record.
 * @returns The field name.
 */
export function wirelessField(r: SourceRecord): string {
  const suffix = SUFFIX.get(r.unit);
  return suffix === undefined ? r.quantity : `${r.quantity}_${suffix}`;
}

/** ISO 8601 to the second, as wmbusmeters writes its timestamps. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + "Z";
}

/**
 * The state JSON of a meter.
 *
 * @param m The reading.
 * @returns A plain object for JSON.stringify.
 */
export function statePayload(m: MeterReading): Record<string, unknown> {
  const r = m.reading;
  if (m.wireless) {
    const out: Record<string, unknown> = {
      _: "telegram",
      media: mediumOf(r).toLowerCase().split(/[:(]/)[0]?.trim() ?? "",
      meter: m.driver ?? "unknown",
      name: m.description || m.meter,
      id: r.header?.id ?? m.meter,
    };
    for (const rec of r.records) out[wirelessField(rec)] = rec.value;
    out.timestamp = isoSeconds(r.readAt);
    return out;
  }
  const h = r.header;
  return {
    instance: m.instance,
    cluster: m.cluster,
    meter: m.meter,
    path: m.path,
    timestamp: new Date(r.readAt).toISOString(),
    id: h?.id ?? null,
    manufacturer: h?.manufacturer ?? null,
    version: h?.version ?? null,
    medium: h ? mediumOf(r) : null,
    status: h?.status ?? null,
    accessNumber: h?.accessNumber ?? null,
    frames: r.frames,
    partial: r.partial,
    records: r.records.map(recordJson),
  };
}

/**
 * A record's value as a plain payload: numbers and text as they are, null as `""`.
 *
 * @param v The value.
 * @returns The payload text.
 */
export function valuePayload(v: SourceValue): string {
  return v === null ? "" : String(v);
}

/**
 * A reading with what the gateway's configuration says of the meter: description, scale
 * and offset, and for wireless meters the driver (configured, else detected).
 *
 * @param gateway The instance.
 * @param meter Canonical meter name.
 * @param reading The reading as the source returned it.
 * @returns The reading for publishing.
 */
export function meterReadingOf(
  gateway: Gateway,
  meter: string,
  reading: SourceReading,
): MeterReading {
  const cfg = gateway.config;
  const a = cfg.addresses.find((x) => x.name === meter);
  const wireless = cfg.type === "wireless";
  let driver = a?.driver;
  if (wireless && driver === undefined) {
    const row = gateway.heard().find((h) =>
      (h as { id?: unknown }).id === meter
    ) as { driver?: unknown } | undefined;
    if (typeof row?.driver === "string") driver = row.driver;
  }
  return {
    instance: gateway.name,
    cluster: gateway.cluster,
    wireless,
    meter,
    path: `%mbus${gateway.cluster === 0 ? "" : gateway.cluster}:${meter}`,
    description: a?.description ?? "",
    driver,
    reading: scaleReading(reading, a?.scale ?? 1, a?.offset ?? 0),
  };
}
