/**
 * Record splitting reused across telegrams of one layout. The record walker reads every
 * byte of the application data except the data bytes of the records, so data that equals
 * an earlier telegram's outside those data bytes splits into the same records: only the
 * data views are new. Meters send the same layout telegram after telegram with new values,
 * so most telegrams skip the walk, the record keys and the combinable lists.
 *
 * Limits: the last {@link PER_LENGTH} layouts per data length, at most
 * {@link MAX_LAYOUTS} lengths (the cache starts again when full); data with a record error
 * is never cached.
 *
 * @module
 */

import { type DvEntry, type DvRecords, splitRecords } from "./_records.ts";

/** Data lengths whose last layout is kept. */
export const MAX_LAYOUTS = 512;

/** A split kept for reuse: a copy of its bytes and where the data of each record lies. */
interface Layout {
  readonly bytes: Uint8Array;
  /** Start, end (relative to the data) of each record's data bytes, in record order. */
  readonly ranges: Int32Array;
  readonly entries: readonly DvEntry[];
  /** Offset of the manufacturer data, -1 when it is null, -2 for a shared empty one. */
  readonly mfctAt: number;
  readonly mfct: Uint8Array | null;
}

/** Layouts kept per data length (newest first). */
export const PER_LENGTH = 16;

const LAYOUTS = new Map<number, Layout[]>();

/**
 * Whether `p` equals `bytes` (of the same length) outside the given ranges.
 *
 * @param bytes Earlier data.
 * @param ranges Start, end pairs in ascending order.
 * @param p New data.
 * @returns True when every byte outside the ranges is equal.
 */
export function sameOutside(
  bytes: Uint8Array,
  ranges: ArrayLike<number>,
  p: Uint8Array,
): boolean {
  if (bytes.length !== p.length) return false;
  let at = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    const to = ranges[i] ?? 0;
    for (; at < to; at++) if (bytes[at] !== p[at]) return false;
    at = ranges[i + 1] ?? 0;
  }
  for (; at < bytes.length; at++) if (bytes[at] !== p[at]) return false;
  return true;
}

/** An entry of a kept layout with the data of the new telegram (same shape as entryOf). */
function withData(e: DvEntry, data: Uint8Array): DvEntry {
  return {
    offset: e.offset,
    key: e.key,
    dif: e.dif,
    vif: e.vif,
    combinables: e.combinables,
    mt: e.mt,
    storage: e.storage,
    tariff: e.tariff,
    subunit: e.subunit,
    coding: e.coding,
    lvar: e.lvar,
    data,
  };
}

/**
 * Splits records like {@link splitRecords}, reusing the records of an earlier telegram of
 * the same layout.
 *
 * @param data Application data.
 * @returns The records, manufacturer data and the first error (as splitRecords).
 */
export function splitRecordsReusing(data: Uint8Array): DvRecords {
  const bucket = LAYOUTS.get(data.length);
  const kept = bucket === undefined ? undefined : find(bucket, data);
  if (kept !== undefined) {
    const r = kept.ranges;
    const entries: DvEntry[] = new Array(kept.entries.length);
    for (let i = 0; i < entries.length; i++) {
      entries[i] = withData(
        kept.entries[i] as DvEntry,
        data.subarray(r[2 * i] ?? 0, r[2 * i + 1] ?? 0),
      );
    }
    return {
      entries,
      manufacturerData: kept.mfctAt >= 0
        ? data.subarray(kept.mfctAt)
        : kept.mfct,
      error: null,
    };
  }
  const split = splitRecords(data);
  if (split.error === null) keep(data, split);
  return split;
}

function find(bucket: readonly Layout[], data: Uint8Array): Layout | undefined {
  for (let i = 0; i < bucket.length; i++) {
    const l = bucket[i] as Layout;
    if (sameOutside(l.bytes, l.ranges, data)) return l;
  }
  return undefined;
}

function keep(data: Uint8Array, split: DvRecords): void {
  const ranges = new Int32Array(split.entries.length * 2);
  let at = 0;
  for (let i = 0; i < split.entries.length; i++) {
    const d = (split.entries[i] as DvEntry).data;
    if (d.buffer !== data.buffer) return;
    const start = d.byteOffset - data.byteOffset;
    if (start < at) return;
    ranges[2 * i] = start;
    ranges[2 * i + 1] = start + d.length;
    at = start + d.length;
  }
  const m = split.manufacturerData;
  let mfctAt = -1;
  if (m !== null) {
    const shared = m.buffer !== data.buffer;
    if (!shared && m.byteOffset - data.byteOffset + m.length !== data.length) {
      return;
    }
    mfctAt = shared ? -2 : m.byteOffset - data.byteOffset;
  }
  let bucket = LAYOUTS.get(data.length);
  if (bucket === undefined) {
    if (LAYOUTS.size >= MAX_LAYOUTS) LAYOUTS.clear();
    bucket = [];
    LAYOUTS.set(data.length, bucket);
  }
  bucket.unshift({
    bytes: data.slice(),
    ranges,
    entries: split.entries.slice(),
    mfctAt,
    mfct: mfctAt === -2 ? m : null,
  });
  if (bucket.length > PER_LENGTH) bucket.pop();
}
