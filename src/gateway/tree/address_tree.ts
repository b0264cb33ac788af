/**
 * The address tree of one instance: meters (`%mbus:5`), their records (`%mbus:5/0`) and
 * fields (`%mbus:5/0/value`). Readings replace a meter's records (multi-frame readings are
 * already merged by the source); `scale` and `offset` apply to numeric values.
 *
 * @module
 */
import type { AddressConfig } from "../config/mod.ts";
import {
  type LegacyDataRecord,
  type LegacyMeterData,
  type SourceHeader,
  type SourceReading,
  type SourceValue,
  toLegacyDataRecord,
  toLegacySlaveInformation,
} from "../source/mod.ts";
import type { MbusPath } from "./mbus_path.ts";

/** One record as published. Metadata fields are present when `onlyValues` is false. */
export interface TreeEntry {
  /** Record path, e.g. `%mbus:5/0`. */
  path: string;
  /** Instance name. */
  instance: string;
  /** Canonical meter name. */
  meter: string;
  /** Record index. */
  record: number;
  /** raw × scale + offset (numbers; other values unchanged). */
  value: SourceValue;
  /** Time of the read, ISO 8601. */
  timestamp: string;
  /** Value as coded. */
  raw?: SourceValue;
  /** Unit. */
  unit?: string;
  /** Quantity. */
  quantity?: string;
  /** Function. */
  function?: string;
  /** Storage number. */
  storage?: number;
  /** Tariff. */
  tariff?: number;
  /** Subunit. */
  subunit?: number;
  /** libmbus naming (legacyDriver profile). */
  legacy?: LegacyDataRecord;
}

/** One meter as published. */
export interface TreeNode {
  /** Meter path, e.g. `%mbus:5`. */
  path: string;
  /** Instance name. */
  instance: string;
  /** Canonical meter name. */
  meter: string;
  /** From the config. */
  description: string;
  /** Time of the last good read, ISO 8601, or null. */
  readAt: string | null;
  /** Frames in the last read. */
  frames: number;
  /** Last read was partial. */
  partial: boolean;
  /** Last failure since the last good read. */
  error: { code: string; message: string; at: string } | null;
  /** Header (when `onlyValues` is false). */
  header?: SourceHeader | null;
  /** The meter as node-mbus returns it (legacyDriver profile): `{ SlaveInformation, DataRecord }`. */
  legacy?: LegacyMeterData | null;
  /** Records. */
  records: TreeEntry[];
}

/** A single field. */
export interface TreeLeaf {
  /** Field path, e.g. `%mbus:5/0/value`. */
  path: string;
  /** The field's value. */
  value: SourceValue | boolean;
  /** Time of the read, ISO 8601, or null before the first answer. */
  timestamp: string | null;
}

/** The result of applying a reading to one record. */
export interface RecordUpdate {
  /** The new entry. */
  entry: TreeEntry;
  /** The previous value, undefined for a new record. */
  previous: SourceValue | undefined;
  /** True when the value differs from the previous one (or the record is new). */
  changed: boolean;
}

/** Options of {@link AddressTree}. */
export interface AddressTreeOptions {
  /** Instance name. */
  instance: string;
  /** Path prefix, e.g. `%mbus:` or `%mbus2:`. */
  prefix: string;
  /** Publish values only. */
  onlyValues: boolean;
  /** Add libmbus naming. */
  legacy: boolean;
}

interface MeterState {
  config: AddressConfig | undefined;
  node: TreeNode;
  header: SourceHeader | null;
  readAtMs: number | null;
}

/** Scales a value; non-numbers pass unchanged. */
export function scaleValue(
  v: SourceValue,
  scale: number,
  offset: number,
): SourceValue {
  if (typeof v !== "number" || (scale === 1 && offset === 0)) return v;
  return Number((v * scale + offset).toPrecision(15));
}

/** The tree of one instance. */
export class AddressTree {
  readonly #o: AddressTreeOptions;
  readonly #meters = new Map<string, MeterState>();

  /**
   * Creates a tree with a node per configured meter.
   *
   * @param options Naming and publication options.
   * @param addresses Configured meters.
   */
  constructor(
    options: AddressTreeOptions,
    addresses: readonly AddressConfig[] = [],
  ) {
    this.#o = options;
    for (const a of addresses) this.#ensure(a.name, a);
  }

  /**
   * Applies a new list of configured meters: new ones get a node (records appear when they
   * answer), configured ones that are gone leave the tree, the others take the new
   * settings (`scale`/`offset` from their next reading, `description` at once). Meters that
   * were read without being configured stay.
   *
   * @param addresses Configured meters.
   */
  setAddresses(addresses: readonly AddressConfig[]): void {
    const names = new Set(addresses.map((a) => a.name));
    for (const [name, s] of this.#meters) {
      if (s.config !== undefined && !names.has(name)) this.#meters.delete(name);
    }
    for (const a of addresses) {
      const s = this.#ensure(a.name, a);
      s.config = a;
      s.node.description = a.description;
    }
  }

  /** Path of a meter. @param meter Canonical name. @returns e.g. `%mbus:5`. */
  meterPath(meter: string): string {
    return `${this.#o.prefix}${meter}`;
  }

  /** Canonical names of the meters in the tree. */
  get meters(): string[] {
    return [...this.#meters.keys()];
  }

  /** Time of a meter's last good read (ms) or null. @param meter Name. */
  readAt(meter: string): number | null {
    return this.#meters.get(meter)?.readAtMs ?? null;
  }

  #ensure(meter: string, config?: AddressConfig): MeterState {
    let s = this.#meters.get(meter);
    if (!s) {
      const node: TreeNode = {
        path: this.meterPath(meter),
        instance: this.#o.instance,
        meter,
        description: config?.description ?? "",
        readAt: null,
        frames: 0,
        partial: false,
        error: null,
        records: [],
      };
      s = { config, node, header: null, readAtMs: null };
      this.#meters.set(meter, s);
    }
    return s;
  }

  /**
   * Applies a reading.
   *
   * @param meter Canonical name.
   * @param reading What the source returned.
   * @returns One update per record.
   */
  apply(meter: string, reading: SourceReading): RecordUpdate[] {
    const s = this.#ensure(meter);
    const scale = s.config?.scale ?? 1;
    const offset = s.config?.offset ?? 0;
    const timestamp = new Date(reading.readAt).toISOString();
    const old = new Map(s.node.records.map((e) => [e.record, e.value]));
    const updates: RecordUpdate[] = [];
    const entries: TreeEntry[] = [];
    for (const r of reading.records) {
      const value = scaleValue(r.value, scale, offset);
      const entry: TreeEntry = {
        path: `${s.node.path}/${r.index}`,
        instance: this.#o.instance,
        meter,
        record: r.index,
        value,
        timestamp,
      };
      if (!this.#o.onlyValues) {
        Object.assign(entry, {
          raw: r.raw,
          unit: r.unit,
          quantity: r.quantity,
          function: r.function,
          storage: r.storage,
          tariff: r.tariff,
          subunit: r.subunit,
        });
      }
      if (this.#o.legacy) {
        entry.legacy = toLegacyDataRecord(r, value, timestamp);
      }
      const previous = old.get(r.index);
      entries.push(entry);
      updates.push({
        entry,
        previous,
        changed: !old.has(r.index) || previous !== value,
      });
    }
    s.node.records = entries;
    s.node.readAt = timestamp;
    s.node.frames = reading.frames;
    s.node.partial = reading.partial;
    s.node.error = null;
    s.header = reading.header;
    s.readAtMs = reading.readAt;
    if (!this.#o.onlyValues) s.node.header = reading.header;
    if (this.#o.legacy) {
      s.node.legacy = reading.header
        ? {
          SlaveInformation: toLegacySlaveInformation(reading.header),
          DataRecord: entries.flatMap((e) => e.legacy ?? []),
        }
        : null;
    }
    return updates;
  }

  /**
   * Records a failed read.
   *
   * @param meter Canonical name.
   * @param error Code and message.
   * @param atMs Time of the failure.
   */
  fail(
    meter: string,
    error: { code: string; message: string },
    atMs: number,
  ): void {
    const s = this.#ensure(meter);
    s.node.error = { ...error, at: new Date(atMs).toISOString() };
  }

  /**
   * All record entries, optionally filtered.
   *
   * @param filter `meter` (canonical) and `q` (substring of path, unit or quantity, case-insensitive).
   * @returns The entries.
   */
  entries(filter: { meter?: string; q?: string } = {}): TreeEntry[] {
    const out: TreeEntry[] = [];
    const q = filter.q?.toLowerCase();
    for (const [name, s] of this.#meters) {
      if (filter.meter !== undefined && filter.meter !== name) continue;
      for (const e of s.node.records) {
        if (q !== undefined && !matches(e, q)) continue;
        out.push(e);
      }
    }
    return out;
  }

  /** A meter node (a copy of its record list). @param meter Canonical name. */
  node(meter: string): TreeNode | undefined {
    const s = this.#meters.get(meter);
    return s ? { ...s.node, records: [...s.node.records] } : undefined;
  }

  /**
   * Looks a parsed path up.
   *
   * @param path A path of this instance.
   * @returns The node, entry or leaf; undefined when it does not exist (yet).
   */
  lookup(path: MbusPath): TreeEntry | TreeNode | TreeLeaf | undefined {
    const s = this.#meters.get(path.meter);
    if (!s) return undefined;
    if (path.record === undefined) {
      if (path.field === undefined) return this.node(path.meter);
      const h = s.header;
      const value = path.field === "readAt"
        ? s.node.readAt
        : h === null
        ? null
        : path.field === "medium"
        ? h.medium.name
        : (h as unknown as Record<string, SourceValue>)[path.field] ?? null;
      return {
        path: `${s.node.path}/${path.field}`,
        value,
        timestamp: s.node.readAt,
      };
    }
    const e = s.node.records.find((r) => r.record === path.record);
    if (!e) return undefined;
    if (path.field === undefined) return e;
    const v =
      (e as unknown as Record<string, SourceValue | undefined>)[path.field];
    if (v === undefined) return undefined;
    return {
      path: `${e.path}/${path.field}`,
      value: v,
      timestamp: e.timestamp,
    };
  }
}

function matches(e: TreeEntry, q: string): boolean {
  return e.path.toLowerCase().includes(q) ||
    (e.unit ?? "").toLowerCase().includes(q) ||
    (e.quantity ?? "").toLowerCase().includes(q);
}
