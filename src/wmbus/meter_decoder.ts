/**
 * From received bytes to meter JSON: the per-meter key, layer parsing, duplicate
 * suppression, driver decoding and the per-meter driver state, in one object that the CLI
 * and the gateway share.
 *
 * @module
 */
import type { DecodeError, DecodeResult } from "../util/mod.ts";
import {
  createMeterState,
  decodeWithDriver,
  type DriverResult,
  type MeterState,
} from "./drivers/mod.ts";
import type { Deduplicator } from "./deduplicator.ts";
import { parseTelegram } from "./parse_telegram.ts";
import { FragmentAssembler } from "./fragments.ts";
import { formatWmbusId } from "./link.ts";
import { WMBUS_ERRORS } from "./constants.ts";
import type { WmbusTelegram } from "./telegram.ts";
import { type KeyInput, type MeterKey, meterKey } from "./meter_key.ts";

/** What one meter is decoded with. */
export interface MeterSettings {
  /**
   * Key: 16 bytes (AES), or 8 for the DES modes 2 and 3. Hand the same `MeterKey` on every
   * telegram to keep its AES schedules (bytes are expanded per telegram).
   */
  key?: KeyInput;
  /** Driver name or alias. */
  driver?: string;
  /** Meter name printed as `name`. */
  name?: string;
}

/** Options of a {@link WmbusMeterDecoder}. */
export interface WmbusMeterDecoderOptions {
  /** Keys by meter ID (any case); the key `""` applies to every meter. @default none */
  keys?: ReadonlyMap<string, Uint8Array>;
  /** Driver name or alias for every meter. @default "auto" */
  driver?: string;
  /** Meter name printed as `name`. @default "" */
  name?: string;
  /** Drops repeated telegrams (compared without DLL CRCs). @default null (keep all) */
  deduplicator?: Deduplicator | null;
  /**
   * Per-meter settings by meter ID (8 upper-case hex digits), asked on every telegram
   * (so changes apply to the next one); what it sets wins over `keys`, `driver`, `name`.
   */
  settings?: (id: string) => MeterSettings | undefined;
}

/** What became of one telegram. */
export type MeterDecodeOutcome =
  | {
    /** Parsed and handed to a driver (the driver may still have refused: see `result.ok`). */
    kind: "decoded";
    /** Meter ID, upper case. */
    id: string;
    /** The parsed telegram. */
    telegram: WmbusTelegram;
    /** The driver's result (`json` is the reference-shaped object, `fields` typed). */
    result: DriverResult;
  }
  | {
    /** The bytes could not be parsed (bad CRC, truncated, wrong key, …). */
    kind: "failed";
    /** The parse error. */
    error: DecodeError;
    /** The telegram read without key, when that much worked (the meter is known). */
    telegram?: WmbusTelegram;
    /** Meter ID, upper case, when known. */
    id?: string;
  }
  | {
    /** An AFL fragment kept until the rest of its message arrives. */
    kind: "fragment";
    /** Meter ID, upper case. */
    id: string;
    /** Its fragment ID. */
    fragmentId: number;
  }
  | {
    /** The same telegram was seen within the deduplicator's window. */
    kind: "duplicate";
    /** Meter ID, upper case. */
    id: string;
    /** The parsed telegram. */
    telegram: WmbusTelegram;
  };

/**
 * Decodes telegrams of many meters, keeping each meter's driver state: the one wireless
 * meter decoder of the CLI (`mbusgw wmbus`) and the gateway (wireless instances). Meter
 * IDs are upper case throughout.
 */
export class WmbusMeterDecoder {
  #keys: ReadonlyMap<string, MeterKey>;
  #driver: string;
  #name: string;
  #dedup: Deduplicator | null;
  #settings: (id: string) => MeterSettings | undefined;
  #states = new Map<string, { state: MeterState; driver: string }>();
  #fragments = new FragmentAssembler();

  /**
   * Creates a decoder.
   *
   * @param options Keys, driver, name, deduplicator, per-meter settings.
   */
  constructor(options: WmbusMeterDecoderOptions = {}) {
    this.#keys = new Map(
      [...(options.keys ?? new Map<string, Uint8Array>())].map((
        [id, key],
      ) => [id.toUpperCase(), meterKey(key)]),
    );
    this.#driver = options.driver ?? "auto";
    this.#name = options.name ?? "";
    this.#dedup = options.deduplicator ?? null;
    this.#settings = options.settings ?? (() => undefined);
  }

  /** Number of meters seen (with driver state). */
  get meters(): number {
    return this.#states.size;
  }

  /**
   * Forgets a meter's driver state.
   *
   * @param id Meter ID (any case).
   */
  forget(id: string): void {
    const suffix = `/${id.toUpperCase()}`;
    for (const k of [...this.#states.keys()]) {
      if (k.endsWith(suffix)) this.#states.delete(k);
    }
  }

  /**
   * Parses and decodes one telegram.
   *
   * @param bytes The telegram from L on (DLL CRCs optional) or a wired long frame.
   * @param receivedAt When it was received, ms since the epoch (DES mode 3 needs the date).
   * @returns The outcome; never throws on bad input.
   */
  decode(input: Uint8Array, receivedAt?: number): MeterDecodeOutcome {
    const piece = this.#fragments.push(input);
    if (piece.kind === "held") {
      const id = formatWmbusId(input.subarray(4, 8)).toUpperCase();
      return { kind: "fragment", id, fragmentId: piece.fragmentId };
    }
    if (piece.kind === "broken") {
      return {
        kind: "failed",
        error: {
          code: WMBUS_ERRORS.truncated,
          offset: 0,
          message: piece.message,
        },
      };
    }
    const bytes = piece.bytes;
    const at = receivedAt === undefined ? {} : { receivedAt };
    const plain = parseTelegram(bytes, {
      ...this.#keyFor("", undefined),
      ...at,
    });
    if (!plain.ok) return { kind: "failed", error: plain.error };
    const id = plain.value.id.toUpperCase();
    // A repeat is a duplicate whether or not it decrypts (a wrong key fails once, not per copy).
    if (this.#dedup?.isDuplicate(plain.value.raw)) {
      return { kind: "duplicate", id, telegram: plain.value };
    }
    const settings = this.#settings(id);
    let r: DecodeResult<WmbusTelegram> = plain;
    const key = this.#keyFor(id, settings);
    if (key.key !== undefined && key.key !== this.#keys.get("")) {
      r = parseTelegram(bytes, { ...key, ...at });
    }
    if (!r.ok) {
      return { kind: "failed", error: r.error, telegram: plain.value, id };
    }
    const telegram = r.value;
    const driver = settings?.driver ?? this.#driver;
    const stateKey = `${telegram.manufacturer}/${id}`;
    let kept = this.#states.get(stateKey);
    if (!kept || kept.driver !== driver) {
      kept = { state: createMeterState(), driver };
      this.#states.set(stateKey, kept);
    }
    const result = decodeWithDriver(telegram, {
      ...key,
      driver,
      name: settings?.name ?? this.#name,
      state: kept.state,
    });
    return { kind: "decoded", id, telegram, result };
  }

  #keyFor(
    id: string,
    settings: MeterSettings | undefined,
  ): { key?: KeyInput } {
    const key = settings?.key ?? this.#keys.get(id) ?? this.#keys.get("");
    return key ? { key } : {};
  }
}
