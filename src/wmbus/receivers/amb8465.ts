/**
 * Amber AMB8465 / AMB3665 codec (doc §12.2): command frames `FF cmd len payload CS`
 * (CS = XOR of all preceding bytes), the data indication in command mode, transparent
 * telegrams `L C M A … [RSSI]` (with RSSI on, L counts the RSSI byte, as wmbusmeters and
 * FHEM read it; doc §12.2 leaves this open), the optional RSSI byte and the mode request.
 *
 * @module
 */
import type { LinkMode, ReceivedTelegram, ReceiverCodec } from "./types.ts";

/** Start of a command frame. */
export const AMBER_START = 0xff;
/** Command codes used here. */
export const AMBER_COMMAND = {
  dataIndication: 0x03,
  setMode: 0x04,
  serialNumber: 0x0b,
  firmwareVersion: 0x0c,
  /** Added to a request code in its confirmation. */
  confirm: 0x80,
} as const;
/** AMB8465 wM-Bus mode numbers for listening (the "other" modes). */
export const AMBER_LINK_MODES: Readonly<Record<LinkMode, number>> = {
  S1: 0x03,
  T1: 0x08,
  C1: 0x0e,
  C1T1: 0x09,
};
const METER_C_FIELDS: ReadonlySet<number> = new Set([
  0x44,
  0x46,
  0x47,
  0x48,
  0x08,
]);
const MIN_L = 10;

/** A command frame. */
export interface AmberFrame {
  /** Command byte. */
  command: number;
  /** Payload. */
  payload: Uint8Array;
}

/**
 * Encodes a command frame.
 *
 * @param command Command byte.
 * @param payload Payload (≤ 255 bytes).
 * @returns `FF cmd len payload CS`.
 */
export function encodeAmberFrame(
  command: number,
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  if (payload.length > 255) {
    throw new RangeError(
      `Cannot encode Amber frame: payload of ${payload.length} bytes`,
    );
  }
  const out = new Uint8Array(payload.length + 4);
  out[0] = AMBER_START;
  out[1] = command;
  out[2] = payload.length;
  out.set(payload, 3);
  out[out.length - 1] = xorOf(out, 0, out.length - 1);
  return out;
}

function xorOf(bytes: Uint8Array, start: number, end: number): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i] ?? 0;
  return x;
}

/**
 * The mode request (`FF 04 01 <mode> CS`).
 *
 * @param mode Link mode.
 * @returns Request bytes.
 */
export function amberSetModeRequest(mode: LinkMode): Uint8Array {
  return encodeAmberFrame(
    AMBER_COMMAND.setMode,
    Uint8Array.of(AMBER_LINK_MODES[mode]),
  );
}

/**
 * Encodes a received telegram as a command-mode data indication (`FF 03 len C … RSSI CS`).
 *
 * @param telegram From L on, CRCs removed.
 * @param rssi Raw RSSI byte to append; null for none. Default 0x14 (−64 dBm).
 * @returns The command frame.
 */
export function encodeAmberIndication(
  telegram: Uint8Array,
  rssi: number | null = 0x14,
): Uint8Array {
  const body = telegram.subarray(1);
  return encodeAmberFrame(
    AMBER_COMMAND.dataIndication,
    rssi === null ? body : new Uint8Array([...body, rssi & 0xff]),
  );
}

/**
 * Converts the Amber RSSI byte (two's complement) to dBm: r / 2 − 74.
 *
 * @param raw The RSSI byte.
 * @returns dBm.
 */
export function amberRssiDbm(raw: number): number {
  const r = raw >= 128 ? raw - 256 : raw;
  return r / 2 - 74;
}

/** Options of {@link Amb8465Codec}. */
export interface Amb8465Options {
  /** The module appends an RSSI byte to each telegram. @default true */
  rssi?: boolean;
}

/** The AMB8465 as a {@link ReceiverCodec}, command and transparent modes mixed. */
export class Amb8465Codec implements ReceiverCodec {
  /** Always `amb8465`. */
  readonly format = "amb8465" as const;
  #rssi: boolean;
  #buffer = new Uint8Array(0);
  #dropped = 0;
  #frames: AmberFrame[] = [];

  /**
   * Creates a decoder.
   *
   * @param options RSSI presence.
   */
  constructor(options: Amb8465Options = {}) {
    this.#rssi = options.rssi ?? true;
  }

  /** Bytes dropped while resynchronising. */
  get droppedBytes(): number {
    return this.#dropped;
  }

  /** Command frames other than telegrams (confirmations) since the last call. */
  takeFrames(): AmberFrame[] {
    const f = this.#frames;
    this.#frames = [];
    return f;
  }

  /**
   * Feeds bytes from the device.
   *
   * @param chunk Bytes as read.
   * @param receivedAt Time stamp for the telegrams completed now.
   * @returns The telegrams completed by this chunk.
   */
  push(chunk: Uint8Array, receivedAt: number): ReceivedTelegram[] {
    const bytes = new Uint8Array(this.#buffer.length + chunk.length);
    bytes.set(this.#buffer);
    bytes.set(chunk, this.#buffer.length);
    const out: ReceivedTelegram[] = [];
    let at = 0;
    while (at < bytes.length) {
      const step = bytes[at] === AMBER_START
        ? this.#command(bytes, at, receivedAt, out)
        : this.#transparent(bytes, at, receivedAt, out);
      if (step === 0) break;
      if (step < 0) {
        at++;
        this.#dropped++;
      } else {
        at += step;
      }
    }
    this.#buffer = bytes.slice(at);
    return out;
  }

  /**
   * The requests that make the device listen in `mode`.
   *
   * @param mode Link mode.
   * @returns Byte strings to write in order.
   */
  setupRequests(mode: LinkMode): Uint8Array[] {
    return [amberSetModeRequest(mode)];
  }

  #telegram(body: Uint8Array, receivedAt: number): ReceivedTelegram | null {
    const n = this.#rssi ? body.length - 1 : body.length;
    if (n < MIN_L) return null;
    const telegram = new Uint8Array(n + 1);
    telegram[0] = n;
    telegram.set(body.subarray(0, n), 1);
    const t: ReceivedTelegram = { telegram, receivedAt };
    if (this.#rssi) t.rssi = amberRssiDbm(body[n] ?? 0);
    return t;
  }

  /** Returns bytes consumed, 0 to wait, -1 to drop one byte. */
  #command(
    bytes: Uint8Array,
    at: number,
    receivedAt: number,
    out: ReceivedTelegram[],
  ): number {
    if (bytes.length - at < 3) return 0;
    const size = 4 + (bytes[at + 2] ?? 0);
    if (bytes.length - at < size) return 0;
    if (xorOf(bytes, at, at + size - 1) !== bytes[at + size - 1]) return -1;
    const command = bytes[at + 1] ?? 0;
    const payload = bytes.subarray(at + 3, at + size - 1);
    if (command === AMBER_COMMAND.dataIndication) {
      const t = this.#telegram(payload, receivedAt);
      if (!t) return -1;
      out.push(t);
    } else if (this.#frames.length < 16) {
      this.#frames.push({ command, payload: payload.slice() });
    }
    return size;
  }

  #transparent(
    bytes: Uint8Array,
    at: number,
    receivedAt: number,
    out: ReceivedTelegram[],
  ): number {
    if (bytes.length - at < 2) return 0;
    const l = bytes[at] ?? 0;
    if (l < MIN_L || !METER_C_FIELDS.has(bytes[at + 1] ?? 0)) return -1;
    // L counts the appended RSSI byte (wmbusmeters and FHEM both read it so).
    const size = 1 + l;
    if (bytes.length - at < size) return 0;
    const t = this.#telegram(bytes.subarray(at + 1, at + size), receivedAt);
    if (!t) return -1;
    out.push(t);
    return size;
  }
}
