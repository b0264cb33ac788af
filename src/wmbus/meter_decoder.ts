/**
 * From received bytes to meter JSON: the per-meter key, layer parsing, duplicate
 * suppression, driver decoding and the per-meter driver state, in one object that the CLI
 * and the gateway share.
 *
 * @module
 */
import type { DecodeError } from "../util/mod.ts";
import {
  createMeterState,
  decodeWithDriver,
  type DriverResult,
  type MeterState,
} from "./drivers/mod.ts";
import type { Deduplicator } from "./deduplicator.ts";
import { parseTelegram } from "./parse_telegram.ts";
import type { WmbusTelegram } from "./telegram.ts";

/** Options of a {@link WmbusMeterDecoder}. */
export interface WmbusMeterDecoderOptions {
  /** AES keys by meter id (8 lowercase digits); the key `""` applies to every meter. @default none */
  keys?: ReadonlyMap<string, Uint8Array>;
  /** Driver name or alias for every meter. @default "auto" */
  driver?: string;
  /** Meter name printed as `name`. @default "" */
  name?: string;
  /** Drops repeated telegrams (compared without DLL CRCs). @default null (keep all) */
  deduplicator?: Deduplicator | null;
}

/** What became of one telegram. */
export type MeterDecodeOutcome =
  | {
    /** Parsed and handed to a driver (the driver may still have refused: see `result.ok`). */
    kind: "decoded";
    /** The parsed telegram. */
    telegram: WmbusTelegram;
    /** The driver's result (`json` is the wmbusmeters-shaped object). */
    result: DriverResult;
  }
  | {
    /** The bytes could not be parsed (bad CRC, truncated, wrong key, …). */
    kind: "failed";
    /** The parse error. */
    error: DecodeError;
  }
  | {
    /** The same telegram was seen within the deduplicator's window. */
    kind: "duplicate";
    /** The parsed telegram. */
    telegram: WmbusTelegram;
  };

/** Decodes telegrams of many meters, keeping each meter's driver state. */
export class WmbusMeterDecoder {
  #keys: ReadonlyMap<string, Uint8Array>;
  #driver: string;
  #name: string;
  #dedup: Deduplicator | null;
  #states = new Map<string, MeterState>();

  /**
   * Creates a decoder.
   *
   * @param options Keys, driver, name, deduplicator.
   */
  constructor(options: WmbusMeterDecoderOptions = {}) {
    this.#keys = options.keys ?? new Map();
    this.#driver = options.driver ?? "auto";
    this.#name = options.name ?? "";
    this.#dedup = options.deduplicator ?? null;
  }

  /** Number of meters seen (with driver state). */
  get meters(): number {
    return this.#states.size;
  }

  /**
   * Parses and decodes one telegram.
   *
   * @param bytes The telegram from L on (DLL CRCs optional) or a wired long frame.
   * @returns The outcome; never throws on bad input.
   */
  decode(bytes: Uint8Array): MeterDecodeOutcome {
    let r = parseTelegram(bytes, this.#keyFor(""));
    if (r.ok && this.#keys.has(r.value.id)) {
      r = parseTelegram(bytes, this.#keyFor(r.value.id));
    }
    if (!r.ok) return { kind: "failed", error: r.error };
    const telegram = r.value;
    if (this.#dedup?.isDuplicate(telegram.raw)) {
      return { kind: "duplicate", telegram };
    }
    const stateKey = `${telegram.manufacturer}/${telegram.id}`;
    let state = this.#states.get(stateKey);
    if (!state) {
      state = createMeterState();
      this.#states.set(stateKey, state);
    }
    const result = decodeWithDriver(telegram, {
      driver: this.#driver,
      name: this.#name,
      state,
    });
    return { kind: "decoded", telegram, result };
  }

  #keyFor(id: string): { key?: Uint8Array } {
    const key = this.#keys.get(id) ?? this.#keys.get("");
    return key ? { key } : {};
  }
}
