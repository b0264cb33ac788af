/**
 * A virtual IMST iM871A (mbus-wireless.md §12.1): the dongle side of the WMBus HCI, enough
 * for receiver software (ours, wmbusmeters) to detect, configure and use it.
 *
 * Device management (endpoint 1) answers ping, set/get config (every field of both IIFlag
 * groups; `store = 1` also writes the non-volatile copy), reset (the active configuration
 * reverts to the stored one), factory reset, get/set operation mode, device information,
 * firmware information and the AES key requests (acknowledged, keys ignored: the simulated
 * air is decrypted by the host). Radio link (endpoint 2) send requests, radio link test
 * (3) and hardware test (4) requests are acknowledged with status 0. Unknown messages get
 * no answer and are counted in {@link VirtualIm871a.unanswered}.
 *
 * Telegrams heard on air become indications (endpoint 2, message 3, payload from C) with
 * the RSSI and timestamp attached as the active configuration says, once the host has
 * configured a link mode (or reset the module) and the mode hears the meter's mode.
 * The firmware-information layout (version, build count, date, name) is our reading of
 * the HCI description, not checked against a real module.
 *
 * @module
 */
import {
  encodeHciMessage,
  HCI_ENDPOINT,
  HciDecoder,
  type HciMessage,
  IM871A_LINK_MODES,
} from "../../src/wmbus/mod.ts";
import {
  encodeIm871aConfig,
  IM871A_FACTORY_CONFIG,
  type Im871aConfig,
  parseIm871aConfig,
} from "./_im871a_config.ts";
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

/** Device-management message IDs (requests; the response is the request + 1). */
export const IM871A_DEVMGMT = {
  ping: 0x01,
  setConfig: 0x03,
  getConfig: 0x05,
  reset: 0x07,
  factoryReset: 0x09,
  getOperationMode: 0x0b,
  setOperationMode: 0x0d,
  deviceInfo: 0x0f,
  firmwareInfo: 0x13,
  setAesEncryptionKey: 0x21,
  enableAesKey: 0x23,
  setAesDecryptionKey: 0x25,
} as const;

/** Requests of the other endpoints that are acknowledged with a status byte. */
const ACKNOWLEDGED: Readonly<Record<number, readonly number[]>> = {
  [HCI_ENDPOINT.radioLink]: [0x01, 0x04],
  [HCI_ENDPOINT.radioLinkTest]: [0x01, 0x03],
  [HCI_ENDPOINT.hardwareTest]: [0x01],
};

const OK = Uint8Array.of(0);
const FAILED = Uint8Array.of(1);

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
  #stored: Im871aConfig = { ...IM871A_FACTORY_CONFIG };
  #active: Im871aConfig = { ...IM871A_FACTORY_CONFIG };
  #listening = false;
  #operationMode = 0;
  #requests = 0;
  #unanswered = 0;
  #resets = 0;
  #indications = 0;
  #configured: Array<(mode: number) => void> = [];

  /**
   * Creates a dongle that reports nothing until the host sets a link mode or resets it.
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

  /** The link mode the module listens in, or null before the host configured one. */
  get linkMode(): number | null {
    return this.#listening ? this.#active.linkMode : null;
  }
  /** The active configuration (a copy). */
  get config(): Im871aConfig {
    return { ...this.#active };
  }
  /** The non-volatile configuration (a copy). */
  get storedConfig(): Im871aConfig {
    return { ...this.#stored };
  }
  /**
   * Resolves once the host has set a link mode (at once when one is set).
   *
   * @returns The link mode number.
   */
  whenConfigured(): Promise<number> {
    const mode = this.linkMode;
    if (mode !== null) return Promise.resolve(mode);
    return new Promise((resolve) => this.#configured.push(resolve));
  }

  /** Requests answered so far. */
  get requests(): number {
    return this.#requests;
  }
  /** Well-formed messages that got no answer (unknown to the virtual module). */
  get unanswered(): number {
    return this.#unanswered;
  }
  /** Resets (plain and factory) so far. */
  get resets(): number {
    return this.#resets;
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
      } else {
        this.#unanswered++;
      }
    }
    return out;
  }

  /**
   * The indication for a telegram heard on air, or null when the module does not listen
   * (yet) in a link mode that hears `mode`.
   *
   * @param telegram CRC-less frame from L on.
   * @param mode Mode the meter transmits in.
   * @param at Time heard (ms since the epoch), for an attached timestamp.
   * @returns The HCI message, or null.
   */
  indicate(telegram: Uint8Array, mode: string, at = 0): Uint8Array | null {
    const linkMode = this.linkMode;
    if (linkMode === null) return null;
    if (!(HEARD_IN[mode] ?? []).includes(linkMode)) return null;
    this.#indications++;
    return encodeHciMessage(
      {
        endpoint: HCI_ENDPOINT.radioLink,
        messageId: 0x03,
        payload: telegram.subarray(1),
      },
      {
        crc: this.#o.crc,
        ...(this.#active.autoRssi ? { rssi: this.#o.rssi } : {}),
        ...(this.#active.autoTimestamp
          ? { timestamp: Math.floor(at / 1000) >>> 0 }
          : {}),
      },
    );
  }

  #answer(m: HciMessage): Uint8Array | null {
    if (m.endpoint !== HCI_ENDPOINT.deviceManagement) {
      const known = ACKNOWLEDGED[m.endpoint] ?? [];
      return known.includes(m.messageId)
        ? this.#reply(m.endpoint, m.messageId + 1, OK)
        : null;
    }
    const reply = (payload: Uint8Array) =>
      this.#reply(HCI_ENDPOINT.deviceManagement, m.messageId + 1, payload);
    switch (m.messageId) {
      case IM871A_DEVMGMT.ping:
        return reply(new Uint8Array(0));
      case IM871A_DEVMGMT.setConfig:
        return reply(this.#setConfig(m.payload) ? OK : FAILED);
      case IM871A_DEVMGMT.getConfig:
        return reply(encodeIm871aConfig(this.#active));
      case IM871A_DEVMGMT.reset:
        this.#reset();
        return reply(OK);
      case IM871A_DEVMGMT.factoryReset:
        this.#stored = { ...IM871A_FACTORY_CONFIG };
        this.#reset();
        return reply(OK);
      case IM871A_DEVMGMT.getOperationMode:
        return reply(Uint8Array.of(this.#operationMode));
      case IM871A_DEVMGMT.setOperationMode: {
        const mode = m.payload[m.payload.length - 1];
        if (mode === undefined) return reply(FAILED);
        this.#operationMode = mode;
        return reply(OK);
      }
      case IM871A_DEVMGMT.deviceInfo:
        return reply(this.#deviceInfo());
      case IM871A_DEVMGMT.firmwareInfo:
        return reply(this.#firmwareInfo());
      case IM871A_DEVMGMT.setAesEncryptionKey:
      case IM871A_DEVMGMT.enableAesKey:
      case IM871A_DEVMGMT.setAesDecryptionKey:
        return reply(OK);
      default:
        return null;
    }
  }

  #deviceInfo(): Uint8Array {
    const id = this.#o.uniqueId >>> 0;
    return Uint8Array.of(
      this.#o.moduleType,
      this.#active.deviceMode,
      this.#o.firmwareVersion,
      0x01,
      id & 0xff,
      (id >>> 8) & 0xff,
      (id >>> 16) & 0xff,
      id >>> 24,
    );
  }

  #firmwareInfo(): Uint8Array {
    const text = (s: string, n: number) =>
      Array.from({ length: n }, (_, i) => s.charCodeAt(i) || 0);
    return Uint8Array.of(
      this.#o.firmwareVersion,
      0x2a,
      0x00,
      ...text("01.06.2020", 10),
      ...text("mbusgw virtual iM871A", 20),
    );
  }

  /** Set config: byte 0 store flag, then IIFlag1, its fields, IIFlag2, its fields. */
  #setConfig(payload: Uint8Array): boolean {
    const fields = parseIm871aConfig(payload.subarray(1));
    if (payload.length < 2 || fields === null) return false;
    Object.assign(this.#active, fields);
    if (payload[0] === 1) Object.assign(this.#stored, fields);
    if (fields.linkMode !== undefined) this.#listen();
    return true;
  }

  #reset(): void {
    this.#resets++;
    this.#active = { ...this.#stored };
    this.#listen();
  }

  #listen(): void {
    this.#listening = true;
    const mode = this.#active.linkMode;
    for (const resolve of this.#configured.splice(0)) resolve(mode);
  }

  #reply(endpoint: number, messageId: number, payload: Uint8Array): Uint8Array {
    return encodeHciMessage(
      { endpoint, messageId, payload },
      { crc: this.#o.crc },
    );
  }
}
