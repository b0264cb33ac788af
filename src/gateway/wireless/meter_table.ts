/**
 * What a wireless receiver has heard, per meter: the last reading (decoded with the
 * meter's configured `key` and `driver` by the one wireless meter decoder the CLI uses
 * too, `WmbusMeterDecoder`), the last error, and identity for scans. Pure: telegrams in,
 * state out; duplicates are suppressed on the injected clock. Meter IDs are upper case.
 *
 * @module
 */
import type { Clock } from "../../util/mod.ts";
import {
  Deduplicator,
  MeterKey,
  type ReceivedTelegram,
  WmbusMeterDecoder,
  type WmbusTelegram,
} from "../../wmbus/mod.ts";
import {
  detectDriver,
  driverFields,
  type DriverResult,
} from "../../wmbus/drivers/mod.ts";
import type { AddressConfig } from "../config/mod.ts";
import type { SourceReading } from "../source/mod.ts";
import { driverRecords, telegramHeader } from "./driver_records.ts";

/** A meter error as kept and reported. */
export interface WirelessMeterError {
  /** `NO_KEY`, `WRONG_KEY`, `UNKNOWN_DRIVER`, a driver's code, … */
  code: string;
  /** One line. */
  message: string;
}

/** A meter heard on air. */
export interface HeardMeter {
  /** Meter ID, 8 upper-case hex digits (the gateway's meter name). */
  id: string;
  /** Manufacturer letters. */
  manufacturer: string;
  /** Version. */
  version: number;
  /** Medium (device type) code. */
  medium: number;
  /** Driver used (configured) or detected (`generic` when none claims the meter). */
  driver: string;
  /** The meter is in the instance's `addresses`. */
  configured: boolean;
  /** Telegrams accepted (duplicates not counted). */
  telegrams: number;
  /** Last reception, ms since the epoch. */
  lastHeardAt: number;
  /** Signal level of the last telegram, when the receiver reports one. */
  rssi?: number;
  /** Link mode of the last telegram, when the receiver reports it. */
  mode?: string;
  /** The telegrams announce encryption. */
  encrypted: boolean;
  /** Error of the last telegram, or null when it decoded. */
  error: WirelessMeterError | null;
}

/** What became of one telegram. */
export type AcceptOutcome =
  | { kind: "decoded"; meter: string }
  | { kind: "failed"; meter: string; error: WirelessMeterError }
  | { kind: "duplicate"; meter: string }
  | { kind: "undecodable"; error: WirelessMeterError };

/** Counters of the table. */
export interface WirelessCounters {
  /** Telegrams handed in. */
  telegrams: number;
  /** Telegrams decoded into a reading. */
  decoded: number;
  /** Repeats suppressed. */
  duplicates: number;
  /** Telegrams of a known meter that failed (key, driver). */
  failed: number;
  /** Telegrams that could not be parsed at all (no meter to blame). */
  undecodable: number;
}

/** Options of {@link WirelessMeterTable}. */
export interface WirelessMeterTableOptions {
  /** Clock of the duplicate window. */
  clock: Clock;
  /** Configured meters (`name` = ID, `key`, `driver`). @default [] */
  addresses?: readonly AddressConfig[];
  /** Duplicate window, ms; 0 keeps every telegram. @default 10000 */
  dedupWindowMs?: number;
  /** Most unconfigured meters remembered (the oldest heard is forgotten). @default 1000 */
  maxUnconfigured?: number;
}

interface Entry {
  heard: HeardMeter;
  reading: SourceReading | null;
  /** Field name → stable record index. */
  fields: Map<string, number>;
}

/** A configured meter and its key, expanded once (kept until the key changes). */
interface Configured {
  config: AddressConfig;
  key?: MeterKey;
}

/** A configured key as bytes: 32 hex digits (AES) or 16 (DES modes 2 and 3). */
function hexKey(text: string): Uint8Array {
  const out = new Uint8Array(text.length >> 1);
  for (let i = 0; i < out.length; i++) {
    out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}

/** Per-meter state of a wireless instance. */
export class WirelessMeterTable {
  #config = new Map<string, Configured>();
  readonly #entries = new Map<string, Entry>();
  readonly #decoder: WmbusMeterDecoder;
  readonly #maxUnconfigured: number;
  readonly #counters: WirelessCounters = {
    telegrams: 0,
    decoded: 0,
    duplicates: 0,
    failed: 0,
    undecodable: 0,
  };

  /** @param options Clock, configured meters, duplicate window, bound. */
  constructor(options: WirelessMeterTableOptions) {
    this.setAddresses(options.addresses ?? []);
    const windowMs = options.dedupWindowMs ?? 10_000;
    this.#decoder = new WmbusMeterDecoder({
      deduplicator: windowMs > 0
        ? new Deduplicator({ clock: options.clock, windowMs })
        : null,
      settings: (id) => {
        const c = this.#config.get(id);
        if (c === undefined) return undefined;
        const driver = c.config.driver;
        return {
          ...(c.key === undefined ? {} : { key: c.key }),
          ...(driver === undefined ? {} : { driver }),
        };
      },
    });
    this.#maxUnconfigured = Math.max(0, options.maxUnconfigured ?? 1000);
  }

  /**
   * Replaces the configured meters; a changed `key` or `driver` applies from the next
   * telegram (a changed driver starts with a fresh driver state). Each meter's key is
   * expanded once here and kept while it stays the same; a removed meter's is dropped.
   *
   * @param addresses The instance's meters (`name` = ID).
   */
  setAddresses(addresses: readonly AddressConfig[]): void {
    const config = new Map<string, Configured>();
    for (const a of addresses) {
      const id = a.name.toUpperCase();
      const before = this.#config.get(id);
      const key = a.key === undefined ? undefined : before?.key !== undefined &&
          before.config.key?.toUpperCase() === a.key.toUpperCase()
        ? before.key
        : new MeterKey(hexKey(a.key));
      config.set(id, key === undefined ? { config: a } : { config: a, key });
    }
    this.#config = config;
    for (const e of this.#entries.values()) {
      e.heard.configured = config.has(e.heard.id);
    }
  }

  /** Counters (a copy). */
  get counters(): WirelessCounters {
    return { ...this.#counters };
  }

  /** Every meter heard, configured or not, in order of first reception. */
  heard(): HeardMeter[] {
    return [...this.#entries.values()].map((e) => ({ ...e.heard }));
  }

  /**
   * A meter's state.
   *
   * @param id Meter ID (any case).
   * @returns The last reading and heard info, or undefined when never heard.
   */
  get(
    id: string,
  ): { heard: HeardMeter; reading: SourceReading | null } | undefined {
    const e = this.#entries.get(id.toUpperCase());
    return e ? { heard: { ...e.heard }, reading: e.reading } : undefined;
  }

  /**
   * Takes one received telegram.
   *
   * @param received From the receiver.
   * @returns What became of it; never throws on bad input.
   */
  accept(received: ReceivedTelegram): AcceptOutcome {
    this.#counters.telegrams++;
    const out = this.#decoder.decode(received.telegram, received.receivedAt);
    if (out.kind === "failed" && out.telegram === undefined) {
      this.#counters.undecodable++;
      return { kind: "undecodable", error: out.error };
    }
    const meter = out.id ?? "";
    if (out.kind === "duplicate") {
      this.#counters.duplicates++;
      return { kind: "duplicate", meter };
    }
    // A fragment waits for the rest of its message (the last one brings the reading).
    if (out.kind === "fragment") return { kind: "duplicate", meter };
    const t = out.telegram;
    if (t === undefined) return { kind: "duplicate", meter };
    const entry = this.#entry(t, this.#config.has(meter));
    if (!entry) {
      this.#decoder.forget(meter);
      return { kind: "duplicate", meter };
    }
    this.#note(entry, t, received);
    const error = out.kind === "failed"
      ? {
        code: out.error.code,
        message: `Cannot decode meter ${meter}: ${out.error.message}`,
      }
      : this.#reading(entry, out.telegram, out.result, received);
    entry.heard.error = error;
    if (error) {
      this.#counters.failed++;
      return { kind: "failed", meter, error };
    }
    this.#counters.decoded++;
    return { kind: "decoded", meter };
  }

  #reading(
    entry: Entry,
    t: WmbusTelegram,
    result: DriverResult,
    received: ReceivedTelegram,
  ): WirelessMeterError | null {
    if (t.encrypted && !t.decrypted) {
      const code = t.decryptionIssue ?? "NO_KEY";
      return {
        code,
        message: code === "NO_KEY"
          ? `Cannot decode meter ${entry.heard.id}: its telegrams are encrypted; configure its "key"`
          : `Cannot decode meter ${entry.heard.id}: ${t.warnings.join("; ")}`,
      };
    }
    entry.heard.driver = result.driver;
    if (!result.ok) {
      return {
        code: result.error?.code ?? "DRIVER_FAILED",
        message: result.error?.message ??
          `Cannot decode meter ${entry.heard.id} with driver "${result.driver}"`,
      };
    }
    entry.reading = {
      header: telegramHeader(t),
      records: driverRecords(driverFields(result), (field) => {
        let i = entry.fields.get(field);
        if (i === undefined) {
          i = entry.fields.size;
          entry.fields.set(field, i);
        }
        return i;
      }),
      frames: 1,
      partial: false,
      readAt: received.receivedAt,
    };
    return null;
  }

  #entry(t: WmbusTelegram, configured: boolean): Entry | null {
    const id = t.id.toUpperCase();
    const known = this.#entries.get(id);
    if (known) return known;
    if (!configured && !this.#makeRoom()) return null;
    const entry: Entry = {
      heard: {
        id,
        manufacturer: t.manufacturer,
        version: t.version,
        medium: t.deviceType,
        driver: detectDriver(t),
        configured,
        telegrams: 0,
        lastHeardAt: 0,
        encrypted: t.encrypted,
        error: null,
      },
      reading: null,
      fields: new Map(),
    };
    this.#entries.set(id, entry);
    return entry;
  }

  /** Forgets the oldest unconfigured meter when the bound is reached. */
  #makeRoom(): boolean {
    if (this.#maxUnconfigured === 0) return false;
    const unconfigured = [...this.#entries.values()].filter((e) =>
      !e.heard.configured
    );
    if (unconfigured.length < this.#maxUnconfigured) return true;
    const oldest = unconfigured.reduce((a, b) =>
      a.heard.lastHeardAt <= b.heard.lastHeardAt ? a : b
    );
    this.#entries.delete(oldest.heard.id);
    this.#decoder.forget(oldest.heard.id);
    return true;
  }

  #note(entry: Entry, t: WmbusTelegram, received: ReceivedTelegram): void {
    const h = entry.heard;
    h.telegrams++;
    h.lastHeardAt = received.receivedAt;
    h.encrypted = t.encrypted;
    if (received.rssi !== undefined) h.rssi = received.rssi;
    if (received.mode !== undefined) h.mode = received.mode;
  }
}
