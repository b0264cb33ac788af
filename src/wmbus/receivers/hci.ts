/**
 * IMST "WMBus HCI" framing (doc §12.1): `A5`, control + endpoint, message ID, length,
 * payload, then optional timestamp, RSSI and CRC-16/X-25; encoder and incremental decoder.
 *
 * @module
 */

/** Start of frame. */
export const HCI_SOF = 0xa5;
/** Endpoints. */
export const HCI_ENDPOINT = {
  deviceManagement: 1,
  radioLink: 2,
  radioLinkTest: 3,
  hardwareTest: 4,
} as const;
/** Message IDs used here. */
export const HCI_MESSAGE = {
  pingRequest: 0x01,
  setConfigRequest: 0x03,
  setConfigResponse: 0x04,
  deviceInfoRequest: 0x0f,
  deviceInfoResponse: 0x10,
  telegramIndication: 0x03,
} as const;
/** Control field bit: a 4-byte timestamp follows the payload. */
export const CONTROL_TIMESTAMP = 0x20;
/** Control field bit: an RSSI byte follows the payload (and timestamp). */
export const CONTROL_RSSI = 0x40;
/** Control field bit: a 2-byte CRC ends the message. */
export const CONTROL_CRC = 0x80;
/** Longest message: header, 255 payload bytes, timestamp, RSSI, CRC. */
export const MAX_HCI_MESSAGE: number = 4 + 255 + 7;

/** One HCI message. */
export interface HciMessage {
  /** Endpoint ID (low nibble of byte 1). */
  endpoint: number;
  /** Message ID. */
  messageId: number;
  /** Payload. */
  payload: Uint8Array;
  /** Timestamp, when attached. */
  timestamp?: number;
  /** Raw RSSI byte, when attached. */
  rssi?: number;
}

/** Options of {@link encodeHciMessage}. */
export interface EncodeHciOptions {
  /** Attach a timestamp. @default undefined (none) */
  timestamp?: number;
  /** Attach a raw RSSI byte. @default undefined (none) */
  rssi?: number;
  /** Attach a CRC. @default false */
  crc?: boolean;
}

/**
 * CRC-16/X-25 (reflected 0x1021, init and final XOR 0xFFFF; check 0x906E).
 *
 * @param bytes The bytes.
 * @returns The CRC.
 */
export function crcX25(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = (crc >>> 8) ^ (X25_TABLE[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0);
  }
  return crc ^ 0xffff;
}

/** CRC-16/X-25 of every single byte value (the table of the byte-wise algorithm). */
const X25_TABLE: Uint16Array = (() => {
  const table = new Uint16Array(256);
  for (let b = 0; b < 256; b++) {
    let crc = b;
    for (let i = 0; i < 8; i++) {
      crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
    }
    table[b] = crc;
  }
  return table;
})();

/**
 * Encodes an HCI message (host requests; the simulator's indications).
 *
 * @param message Endpoint, message ID and payload (≤ 255 bytes).
 * @param options Optional timestamp, RSSI and CRC.
 * @returns The bytes on the wire.
 */
export function encodeHciMessage(
  message: Omit<HciMessage, "timestamp" | "rssi">,
  options: EncodeHciOptions = {},
): Uint8Array {
  if (message.payload.length > 255) {
    throw new RangeError(
      `Cannot encode HCI message: payload of ${message.payload.length} bytes`,
    );
  }
  let control = 0;
  const extra: number[] = [];
  if (options.timestamp !== undefined) {
    control |= CONTROL_TIMESTAMP;
    const t = options.timestamp >>> 0;
    extra.push(t & 0xff, (t >>> 8) & 0xff, (t >>> 16) & 0xff, t >>> 24);
  }
  if (options.rssi !== undefined) {
    control |= CONTROL_RSSI;
    extra.push(options.rssi & 0xff);
  }
  if (options.crc) control |= CONTROL_CRC;
  const body = Uint8Array.of(
    control | (message.endpoint & 0x0f),
    message.messageId,
    message.payload.length,
    ...message.payload,
    ...extra,
  );
  const crc = options.crc ? crcX25(body) : -1;
  const out = new Uint8Array(1 + body.length + (options.crc ? 2 : 0));
  out[0] = HCI_SOF;
  out.set(body, 1);
  if (crc >= 0) {
    out[out.length - 2] = crc & 0xff;
    out[out.length - 1] = crc >> 8;
  }
  return out;
}

/** Incremental HCI decoder: resynchronises on the SOF byte and drops bad messages. */
export class HciDecoder {
  #buffer = new Uint8Array(0);
  #dropped = 0;

  /** Bytes dropped while resynchronising. */
  get droppedBytes(): number {
    return this.#dropped;
  }

  /**
   * Feeds bytes; returns the complete messages.
   *
   * @param chunk Bytes from the device.
   * @returns Messages completed by this chunk.
   */
  push(chunk: Uint8Array): HciMessage[] {
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    const out: HciMessage[] = [];
    let at = 0;
    while (at < joined.length) {
      if (joined[at] !== HCI_SOF) {
        at++;
        this.#dropped++;
        continue;
      }
      const size = messageSize(joined, at);
      if (size === 0) break;
      const message = size > 0 ? decodeAt(joined, at, size) : null;
      if (!message) {
        at++;
        this.#dropped++;
        continue;
      }
      out.push(message);
      at += size;
    }
    this.#buffer = joined.slice(at, at + MAX_HCI_MESSAGE);
    return out;
  }
}

/** Size of the message at `at`: 0 = need more bytes, -1 = not a message. */
function messageSize(bytes: Uint8Array, at: number): number {
  if (bytes.length - at < 4) return 0;
  const control = bytes[at + 1] ?? 0;
  const endpoint = control & 0x0f;
  if ((control & 0x10) !== 0 || endpoint < 1 || endpoint > 4) return -1;
  const size = 4 + (bytes[at + 3] ?? 0) +
    (control & CONTROL_TIMESTAMP ? 4 : 0) + (control & CONTROL_RSSI ? 1 : 0) +
    (control & CONTROL_CRC ? 2 : 0);
  return bytes.length - at < size ? 0 : size;
}

function decodeAt(
  bytes: Uint8Array,
  at: number,
  size: number,
): HciMessage | null {
  const control = bytes[at + 1] ?? 0;
  const m = bytes.subarray(at, at + size);
  if (control & CONTROL_CRC) {
    const crc = (m[size - 2] ?? 0) | ((m[size - 1] ?? 0) << 8);
    if (crcX25(m.subarray(1, size - 2)) !== crc) return null;
  }
  const n = m[3] ?? 0;
  const message: HciMessage = {
    endpoint: control & 0x0f,
    messageId: m[2] ?? 0,
    payload: m.slice(4, 4 + n),
  };
  let p = 4 + n;
  if (control & CONTROL_TIMESTAMP) {
    message.timestamp = new DataView(m.buffer, m.byteOffset + p, 4).getUint32(
      0,
      true,
    );
    p += 4;
  }
  if (control & CONTROL_RSSI) message.rssi = m[p] ?? 0;
  return message;
}
