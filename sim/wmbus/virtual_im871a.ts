/**
 * A virtual IMST iM871A (mbus-wireless.md §12.1): the dongle side of the WMBus HCI. It
 * answers ping, device-information and set-config (link mode) requests, and reports
 * telegrams heard on air as telegram indications (endpoint 2, message 3, RSSI attached)
 * once a link mode that covers the telegram's mode is set.
 *
 * @module
 */
import {
  encodeHciMessage,
  encodeIm871aIndication,
  HCI_ENDPOINT,
  HCI_MESSAGE,
  HciDecoder,
  type HciMessage,
  IM871A_LINK_MODES,
} from "../../src/wmbus/mod.ts";
import type { VirtualDongle } from "./virtual_dongle.ts";

/** Options of {@link VirtualIm871a}. */
export interface VirtualIm871aOptions {
  /** Module type byte: 0x33 iM871A, 0x36 iM170A. @default 0x33 */
  moduleType?: number;
  /** Firmware version byte. @default 0x15 */
  firmwareVersion?: number;
  /** Unique ID reported in the device information. @default 0x1234abcd */
  uniqueId?: number;
  /** Attach an HCI CRC to what the dongle sends. @default true */
  crc?: boolean;
  /** Raw RSSI byte attached to indications. @default 0x80 */
  rssi?: number;
}

/** Ping response (not named in `HCI_MESSAGE`). */
const PING_RESPONSE = 0x02;

/** Which configured link modes hear which transmit modes (iM871A numbering). */
const HEARD_IN: Readonly<Record<string, readonly number[]>> = {
  S1: [IM871A_LINK_MODES.S1, 1],
  T1: [IM871A_LINK_MODES.T1, IM871A_LINK_MODES.C1T1],
  C1: [6, IM871A_LINK_MODES.C1, IM871A_LINK_MODES.C1T1],
};

/** The dongle's state machine, without I/O: bytes from the host in, bytes to the host out. */
export class VirtualIm871a implements VirtualDongle {
  /** Always `im871a`. */
  readonly format = "im871a" as const;
  readonly #o: Required<VirtualIm871aOptions>;
  #decoder = new HciDecoder();
  #linkMode: number | null = null;
  #requests = 0;
  #indications = 0;
  #configured: Array<(mode: number) => void> = [];

  /**
   * Creates a dongle that listens in no mode until the host sets one.
   *
   * @param options Identity, CRC and RSSI.
   */
  constructor(options: VirtualIm871aOptions = {}) {
    this.#o = {
      moduleType: 0x33,
      firmwareVersion: 0x15,
      uniqueId: 0x1234abcd,
      crc: true,
      rssi: 0x80,
      ...options,
    };
  }

  /** The link mode number set by the host, or null before any set-config request. */
  get linkMode(): number | null {
    return this.#linkMode;
  }
  /**
   * Resolves once the host has set a link mode (at once when one is set).
   *
   * @returns The link mode number.
   */
  whenConfigured(): Promise<number> {
    if (this.#linkMode !== null) return Promise.resolve(this.#linkMode);
    return new Promise((resolve) => this.#configured.push(resolve));
  }

  /** Requests answered so far. */
  get requests(): number {
    return this.#requests;
  }
  /** Telegram indications sent so far. */
  get indications(): number {
    return this.#indications;
  }

  /**
   * Feeds bytes written by the host.
   *
   * @param bytes Host bytes (any chunking).
   * @returns The responses to send back, in order.
   */
  receive(bytes: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const m of this.#decoder.push(bytes)) {
      const answer = this.#answer(m);
      if (answer) {
        this.#requests++;
        out.push(answer);
      }
    }
    return out;
  }

  /**
   * The indication for a telegram heard on air, or null when the configured link mode
   * does not hear `mode` (or none is configured yet).
   *
   * @param telegram CRC-less frame from L on.
   * @param mode Mode the meter transmits in.
   * @returns The HCI message, or null.
   */
  indicate(telegram: Uint8Array, mode: string): Uint8Array | null {
    if (this.#linkMode === null) return null;
    if (!(HEARD_IN[mode] ?? []).includes(this.#linkMode)) return null;
    this.#indications++;
    return encodeIm871aIndication(telegram, {
      rssi: this.#o.rssi,
      crc: this.#o.crc,
    });
  }

  #answer(m: HciMessage): Uint8Array | null {
    if (m.endpoint !== HCI_ENDPOINT.deviceManagement) return null;
    switch (m.messageId) {
      case HCI_MESSAGE.pingRequest:
        return this.#reply(PING_RESPONSE, new Uint8Array(0));
      case HCI_MESSAGE.deviceInfoRequest:
        return this.#reply(HCI_MESSAGE.deviceInfoResponse, this.#deviceInfo());
      case HCI_MESSAGE.setConfigRequest:
        return this.#setConfig(m.payload);
      default:
        return null;
    }
  }

  #deviceInfo(): Uint8Array {
    const id = this.#o.uniqueId >>> 0;
    return Uint8Array.of(
      this.#o.moduleType,
      0x00,
      this.#o.firmwareVersion,
      0x01,
      id & 0xff,
      (id >>> 8) & 0xff,
      (id >>> 16) & 0xff,
      id >>> 24,
    );
  }

  /** Set config: byte 0 store flag, byte 1 IIFlag1; bit 0 device mode, bit 1 link mode. */
  #setConfig(payload: Uint8Array): Uint8Array {
    const flags = payload[1] ?? 0;
    let at = 2;
    if (flags & 0x01) at++;
    const mode = payload[at];
    const ok = (flags & 0x02) === 0 || mode !== undefined;
    if (flags & 0x02 && mode !== undefined) {
      this.#linkMode = mode;
      for (const resolve of this.#configured.splice(0)) resolve(mode);
    }
    return this.#reply(
      HCI_MESSAGE.setConfigResponse,
      Uint8Array.of(ok ? 0 : 1),
    );
  }

  #reply(messageId: number, payload: Uint8Array): Uint8Array {
    return encodeHciMessage(
      { endpoint: HCI_ENDPOINT.deviceManagement, messageId, payload },
      { crc: this.#o.crc },
    );
  }
}
