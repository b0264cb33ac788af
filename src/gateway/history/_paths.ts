/**
 * How history rows are keyed and filtered: a record path's meter path, meter name and record
 * number, and the SQL conditions of a query's `address`.
 *
 * @module
 */
import { parseMbusPath, parseMeterName } from "../tree/mod.ts";

/** The key columns of a record path. */
export interface PathKey {
  /** The meter's path (`%mbus:5`, `%mbus2:5`). */
  mpath: string;
  /** The meter name. */
  meter: string;
  /** The record number, -1 for none. */
  rec: number;
}

/**
 * A meter's path.
 *
 * @param cluster The cluster (0 or undefined: none).
 * @param meter The meter name.
 * @returns `%mbus:meter` or `%mbusN:meter`.
 */
export function meterPath(cluster: number | undefined, meter: string): string {
  return cluster ? `%mbus${cluster}:${meter}` : `%mbus:${meter}`;
}

/** The key columns of a record path. @param path A `%mbus:` record path. @returns The key. */
export function pathKey(path: string): PathKey {
  const r = parseMbusPath(path);
  if (!r.ok) return { mpath: path, meter: "", rec: -1 };
  const p = r.value;
  return {
    mpath: meterPath(p.cluster, p.meter),
    meter: p.meter,
    rec: p.record ?? -1,
  };
}

/**
 * SQL conditions (with their arguments) selecting the rows of a query's `address`.
 *
 * @param address A record path, a meter path or a bare meter name.
 * @returns The conditions and their arguments.
 */
export function addressFilter(
  address: string,
): { where: string[]; args: (string | number)[] } {
  if (!address.startsWith("%mbus")) {
    const m = parseMeterName(address);
    return { where: ["meter = ?"], args: [m?.text ?? address] };
  }
  const r = parseMbusPath(address);
  if (!r.ok) return { where: ["path = ?"], args: [address] };
  const p = r.value;
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (p.instance !== undefined) {
    where.push("instance = ?", "meter = ?");
    args.push(p.instance, p.meter);
  } else {
    where.push("mpath = ?");
    args.push(meterPath(p.cluster, p.meter));
  }
  if (p.record !== undefined) {
    where.push("rec = ?");
    args.push(p.record);
  }
  return { where, args };
}
