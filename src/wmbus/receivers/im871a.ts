/**
 * IMST iM871A / iM170A codec (doc §12.1) over the HCI framing of `hci.ts`: the telegram
 * indication, link-mode setup and the device-information request used for detection.
 *
 * @module
 */
import {
  encodeHciMessage,
  HCI_ENDPOINT,
  HCI_MESSAGE,
  HciDecoder,
  type HciMessage,
} from "./hci.ts";
import type { LinkMode, ReceivedTelegram, ReceiverCodec } from "./types.ts";

/** iM871A link-mode numbers (wmbusmeters' choice for C1 is format B, value 7). */
export const IM871A_LINK_MODES: Readonly<Record<LinkMode, number>> = {
  S1: 0,
  T1: 3,
  C1: 7,
  C1T1: 10,
};

/**
 * The set-config request that makes the module listen in `mode` with RSSI attached.
 *
 * @param mode Link mode.
 * @returns Request bytes (`A5 01 03 06 00 02 <mode> 30 01 00`).
 */
export function im871aLinkModeRequest(mode: LinkMode): Uint8Array {
  return encodeHciMessage({
    endpoint: HCI_ENDPOINT.deviceManagement,
    messageId: HCI_MESSAGE.setConfigRequest,
    payload: Uint8Array.of(
      0x00,
      0x02,
      IM871A_LINK_MODES[mode],
      0x30,
      0x01,
      0x00,
    ),
  });
}

/**
 * Encodes a received telegram as the iM871A reports it (the simulator's virtual dongle):
 * endpoint 2, message 3, payload from C on, RSSI attached.
 *
 * @param telegram From L on, CRCs removed.
 * @param options Raw RSSI byte; CRC attached or not.
 * @returns The HCI message.
 */
export function encodeIm871aIndication(
  telegram: Uint8Array,
  options: { rssi?: number; crc?: boolean } = {},
): Uint8Array {
  return encodeHciMessage(
    {
      endpoint: HCI_ENDPOINT.radioLink,
      messageId: HCI_MESSAGE.telegramIndication,
      payload: telegram.subarray(1),
    },
    { rssi: options.rssi ?? 0x80, crc: options.crc ?? false },
  );
}

/** The device-information request (`A5 01 0F 00`). @returns Request bytes. */
export function im871aDeviceInfoRequest(): Uint8Array {
  return encodeHciMessage({
    endpoint: HCI_ENDPOINT.deviceManagement,
    messageId: HCI_MESSAGE.deviceInfoRequest,
    payload: new Uint8Array(0),
  });
}

/** Decoded device information (response message 0x10). */
export interface Im871aDeviceInfo {
  /** Module type: 0x33 iM871A, 0x36 iM170A. */
  moduleType: number;
  /** Module name derived from the type. */
  model: string;
  /** Device mode: 0 other/collector, 1 meter. */
  deviceMode: number;
  /** Firmware version byte. */
  firmwareVersion: number;
  /** HCI version byte. */
  hciVersion: number;
  /** Unique ID (32 bits, LE). */
  uniqueId: number;
}

/**
 * Decodes a device-information response payload.
 *
 * @param payload The message payload (at least 8 bytes).
 * @returns The information, or null when too short.
 */
export function decodeIm871aDeviceInfo(
  payload: Uint8Array,
): Im871aDeviceInfo | null {
  if (payload.length < 8) return null;
  const moduleType = payload[0] ?? 0;
  return {
    moduleType,
    model: moduleType === 0x33
      ? "iM871A"
      : moduleType === 0x36
      ? "iM170A"
      : `unknown 0x${moduleType.toString(16)}`,
    deviceMode: payload[1] ?? 0,
    firmwareVersion: payload[2] ?? 0,
    hciVersion: payload[3] ?? 0,
    uniqueId: new DataView(payload.buffer, payload.byteOffset + 4, 4).getUint32(
      0,
      true,
    ),
  };
}

/**
 * Converts the iM871A RSSI byte to dBm (wmbusmeters' approximation of the chip curve).
 *
 * @param raw The RSSI byte.
 * @returns dBm.
 */
export function im871aRssiDbm(raw: number): number {
  return raw >= 230 ? 0 : -100 + (raw - 45) * 0.5;
}

/** The iM871A as a {@link ReceiverCodec}: telegram indications become telegrams. */
export class Im871aCodec implements ReceiverCodec {
  /** Always `im871a`. */
  readonly format = "im871a" as const;
  #decoder = new HciDecoder();
  #messages: HciMessage[] = [];

  /** Bytes dropped while resynchronising. */
  get droppedBytes(): number {
    return this.#decoder.droppedBytes;
  }

  /** Non-telegram messages received since the last call (responses), then cleared. */
  takeMessages(): HciMessage[] {
    const m = this.#messages;
    this.#messages = [];
    return m;
  }

  /**
   * Feeds bytes from the device.
   *
   * @param chunk Bytes as read.
   * @param receivedAt Time stamp for the telegrams completed now.
   * @returns The telegrams completed by this chunk.
   */
  push(chunk: Uint8Array, receivedAt: number): ReceivedTelegram[] {
    const out: ReceivedTelegram[] = [];
    for (const m of this.#decoder.push(chunk)) {
      if (
        m.endpoint !== HCI_ENDPOINT.radioLink ||
        m.messageId !== HCI_MESSAGE.telegramIndication || m.payload.length === 0
      ) {
        if (this.#messages.length < 16) this.#messages.push(m);
        continue;
      }
      const telegram = new Uint8Array(m.payload.length + 1);
      telegram[0] = m.payload.length;
      telegram.set(m.payload, 1);
      const t: ReceivedTelegram = { telegram, receivedAt };
      if (m.rssi !== undefined) t.rssi = im871aRssiDbm(m.rssi);
      out.push(t);
    }
    return out;
  }

  /**
   * The requests that make the device listen in `mode`.
   *
   * @param mode Link mode.
   * @returns Byte strings to write in order.
   */
  setupRequests(mode: LinkMode): Uint8Array[] {
    return [im871aLinkModeRequest(mode)];
  }
}
