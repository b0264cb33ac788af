/**
 * A virtual wireless M-Bus meter: a fixture (identity, records, link mode, interval, key)
 * turned into telegrams by the project's encoders: `encodeRecords` for the data records,
 * the DLL and short TPL header written here, and `encryptMode5Telegram` for meters with a
 * key (security mode 5, EN 13757-4 / OMS).
 *
 * @module
 */
import { encodeManufacturer, encodeRecords } from "../../src/app/mod.ts";
import type { RecordInput } from "../../src/app/mod.ts";
import { ByteWriter, ConfigError, parseHex } from "../../src/util/mod.ts";
import { C_FIELD, CI, encryptMode5Telegram } from "../../src/wmbus/mod.ts";

/** A record of a wireless fixture: an encoder record, optionally growing per telegram. */
export type WirelessRecord = RecordInput & {
  /** Added to a numeric `raw` with each telegram when live values are on. @default 0 */
  growPerTelegram?: number;
};

/** A wireless meter model in `fixtures/wmbus/*.json`. */
export interface WirelessMeterFixture {
  /** Registry name, equal to the file name without `.json`. */
  name: string;
  /** What the meter is. */
  description: string;
  /** Meter ID, 8 digits (as printed: the A field's ID, most significant digit first). */
  id: string;
  /** Manufacturer letters. */
  manufacturer: string;
  /** Version byte. */
  version: number;
  /** Medium (device type) code. */
  medium: number;
  /** Link mode it transmits in. @default "T1" */
  mode?: "T1" | "C1" | "S1";
  /** Transmission interval, ms. @default 60000 */
  intervalMs?: number;
  /** Each telegram is sent this many times (repeats test duplicate suppression). @default 1 */
  repeats?: number;
  /** AES-128 key (32 hex digits): telegrams are encrypted with security mode 5. */
  key?: string;
  /** Status byte of the TPL header. @default 0 */
  status?: number;
  /** The data records. */
  records: WirelessRecord[];
}

/** Options of {@link VirtualWirelessMeter}. */
export interface VirtualWirelessMeterOptions {
  /** Counters grow with each telegram (`growPerTelegram`). @default false */
  liveValues?: boolean;
  /** Override of the fixture's ID. */
  id?: string;
  /** First access number. @default derived from the ID */
  accessNumber?: number;
}

const ID_RE = /^[0-9A-Fa-f]{8}$/;

/**
 * Builds a plaintext wireless telegram (CRC-less, from L on) with a short TPL header
 * (CI 0x7A) and the `2F 2F` decryption check in front of the records.
 *
 * @param fixture Identity and status.
 * @param records Records to encode.
 * @param accessNumber Access number of the TPL header.
 * @returns The frame `L 44 M A 7A ACC ST CFG 2F 2F records`.
 * @throws {RangeError} For an ID that is not 8 hex digits or a bad manufacturer.
 */
export function encodeWirelessTelegram(
  fixture: Pick<
    WirelessMeterFixture,
    "id" | "manufacturer" | "version" | "medium" | "status"
  >,
  records: readonly RecordInput[],
  accessNumber: number,
): Uint8Array {
  if (!ID_RE.test(fixture.id)) {
    throw new RangeError(
      `Cannot encode wireless telegram: ID "${fixture.id}" is not 8 hex digits`,
    );
  }
  const w = new ByteWriter();
  w.u8(0);
  w.u8(C_FIELD.sndNr);
  w.u16le(encodeManufacturer(fixture.manufacturer));
  for (let i = 6; i >= 0; i -= 2) {
    w.u8(Number.parseInt(fixture.id.slice(i, i + 2), 16));
  }
  w.u8(fixture.version & 0xff);
  w.u8(fixture.medium & 0xff);
  w.u8(CI.tplShort);
  w.u8(accessNumber & 0xff);
  w.u8((fixture.status ?? 0) & 0xff);
  w.u16le(0);
  w.u8(0x2f);
  w.u8(0x2f);
  w.bytes(encodeRecords(records));
  const frame = w.toBytes();
  frame[0] = frame.length - 1;
  return frame;
}

/**
 * Parses a fixture key.
 *
 * @param hex 32 hex digits.
 * @returns 16 bytes.
 * @throws {ConfigError} When the key is malformed.
 */
export function parseWirelessKey(hex: string): Uint8Array {
  const r = parseHex(hex);
  if (!r.ok || r.value.length !== 16) {
    throw new ConfigError("key", "Invalid key: expected 32 hex digits");
  }
  return r.value;
}

/** One virtual meter: produces its next telegram on demand. */
export class VirtualWirelessMeter {
  readonly #fixture: WirelessMeterFixture;
  readonly #id: string;
  readonly #key: Uint8Array | null;
  readonly #live: boolean;
  #accessNumber: number;
  #sent = 0;

  /**
   * Creates a meter from its fixture.
   *
   * @param fixture The meter model.
   * @param options Live values, ID override, first access number.
   * @throws {ConfigError} For a malformed ID or key.
   */
  constructor(
    fixture: WirelessMeterFixture,
    options: VirtualWirelessMeterOptions = {},
  ) {
    const id = options.id ?? fixture.id;
    if (!ID_RE.test(id)) {
      throw new ConfigError("id", `Invalid wireless meter ID "${id}"`);
    }
    this.#fixture = fixture;
    this.#id = id.toUpperCase();
    this.#key = fixture.key === undefined
      ? null
      : parseWirelessKey(fixture.key);
    this.#live = options.liveValues ?? false;
    this.#accessNumber = options.accessNumber ??
      Number.parseInt(this.#id.slice(-2), 16);
  }

  /** Meter ID, 8 upper-case hex digits. */
  get id(): string {
    return this.#id;
  }
  /** Fixture name. */
  get name(): string {
    return this.#fixture.name;
  }
  /** Link mode. */
  get mode(): "T1" | "C1" | "S1" {
    return this.#fixture.mode ?? "T1";
  }
  /** Interval between telegrams, ms. */
  get intervalMs(): number {
    return this.#fixture.intervalMs ?? 60_000;
  }
  /** Copies of each telegram sent. */
  get repeats(): number {
    return Math.max(1, this.#fixture.repeats ?? 1);
  }
  /** What the meter is. */
  get description(): string {
    return this.#fixture.description;
  }
  /** The AES key (32 hex digits) of an encrypted meter, else undefined. */
  get key(): string | undefined {
    return this.#fixture.key?.toUpperCase();
  }
  /** True when telegrams are encrypted. */
  get isEncrypted(): boolean {
    return this.#key !== null;
  }
  /** Telegrams built so far. */
  get sent(): number {
    return this.#sent;
  }

  /**
   * Builds the next telegram (access number + 1; live counters grow).
   *
   * @returns The CRC-less frame from L on, encrypted when the meter has a key.
   */
  nextTelegram(): Uint8Array {
    const step = this.#live ? this.#sent : 0;
    const records = this.#fixture.records.map((r) => {
      const { growPerTelegram, ...input } = r;
      if (typeof input.raw === "number" && growPerTelegram) {
        input.raw += growPerTelegram * step;
      }
      return input;
    });
    const plain = encodeWirelessTelegram(
      { ...this.#fixture, id: this.#id },
      records,
      this.#accessNumber,
    );
    this.#accessNumber = (this.#accessNumber + 1) & 0xff;
    this.#sent++;
    return this.#key ? encryptMode5Telegram(plain, this.#key) : plain;
  }
}
