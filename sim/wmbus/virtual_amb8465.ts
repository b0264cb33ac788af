/**
 * A virtual Amber AMB8465 (mbus-wireless.md §12.2), enough for receiver software (ours,
 * wmbusmeters) to detect, configure and use it. Every request `FF cmd len … CS` is
 * confirmed with `cmd | 0x80`:
 *
 * - CMD_SET_MODE_REQ (volatile mode), CMD_RESET_REQ (the mode and the UART/RSSI settings
 *   revert to the parameter memory), CMD_FACTORYRESET_REQ (memory to defaults, then a
 *   reset), CMD_SET_CHANNEL_REQ, CMD_SETUARTSPEED_REQ, CMD_DATA_REQ/CMD_DATARETRY_REQ and
 *   the preload and AES requests: status byte 0 (1 when the request is malformed);
 * - CMD_GET_REQ `offset count` → `offset count data…` from the 0x78-byte parameter memory
 *   (a count past its end is cut at the end);
 *   CMD_SET_REQ `offset count data…` writes it (status 1 outside the memory); what is
 *   written applies after a reset, as on the module;
 * - CMD_SERIALNO_REQ (4 bytes, MSB first), CMD_FWV_REQ (3 bytes), CMD_RSSI_REQ (1 byte).
 *
 * Parameter offsets (manual): 5 UART_CMD_Out_Enable, 49 C field, 50–51 M field, 52–55 ID,
 * 56 version, 57 device type, 60 radio channel, 69 RSSI_Enable, 70 Mode_Preselect. The
 * virtual module's defaults: command mode on (telegrams as `FF 03 len C … RSSI CS`), RSSI
 * on, preselected mode 0x08 (T1 other). With UART_CMD_Out_Enable = 0 telegrams are sent
 * transparently as `L C … RSSI` with L counting the RSSI byte (as wmbusmeters reads them).
 * The module reports nothing until the host sets a mode or resets it.
 *
 * @module
 */
import {
  AMBER_LINK_MODES,
  encodeAmberFrame,
  encodeAmberIndication,
} from "../../src/wmbus/mod.ts";
import { AmberRequestDecoder } from "./_amber_requests.ts";
import type { VirtualDongle } from "./virtual_dongle.ts";

/** Options of {@link VirtualAmb8465}. */
export interface VirtualAmb8465Options {
  /** Firmware version bytes. @default [1, 7, 0] */
  firmware?: readonly [number, number, number];
  /** Serial number (sent MSB first). @default 0x00c0ffee */
  serialNumber?: number;
  /** Raw RSSI byte appended to indications. @default 0x14 */
  rssi?: number;
}

/** AMB8465 command codes (requests; the confirmation adds 0x80). */
export const AMBER_REQUEST = {
  data: 0x00,
  dataRetry: 0x02,
  setMode: 0x04,
  reset: 0x05,
  setChannel: 0x06,
  set: 0x09,
  get: 0x0a,
  serialNumber: 0x0b,
  firmwareVersion: 0x0c,
  rssi: 0x0d,
  setUartSpeed: 0x10,
  factoryReset: 0x11,
} as const;

/** Offsets in the parameter memory. */
export const AMBER_PARAMETER = {
  cmdOutEnable: 5,
  cField: 49,
  manufacturer: 50,
  id: 52,
  version: 56,
  deviceType: 57,
  radioChannel: 60,
  rssiEnable: 69,
  modePreselect: 70,
} as const;

/**
 * Size of the AMB8465's parameter memory: a read of 0x80 bytes from offset 0 (what
 * wmbusmeters asks) is answered with the 0x78 that exist; the 169 MHz AMB3665 answers
 * 0x80, which is how wmbusmeters tells the two apart.
 */
export const AMBER_MEMORY_SIZE = 0x78;

/** Requests only acknowledged with status 0 (the telegram is "sent", keys are kept). */
const ACKNOWLEDGED: ReadonlySet<number> = new Set([
  AMBER_REQUEST.data,
  AMBER_REQUEST.dataRetry,
  AMBER_REQUEST.setChannel,
  AMBER_REQUEST.setUartSpeed,
  0x30,
  0x31,
  0x50,
  0x51,
  0x52,
]);

/** Which Amber modes hear which transmit modes (the "other" modes of a collector). */
const HEARD_IN: Readonly<Record<string, readonly number[]>> = {
  S1: [AMBER_LINK_MODES.S1],
  T1: [AMBER_LINK_MODES.T1, AMBER_LINK_MODES.C1T1],
  C1: [AMBER_LINK_MODES.C1, AMBER_LINK_MODES.C1T1],
};

function factoryMemory(serial: number): Uint8Array {
  const m = new Uint8Array(AMBER_MEMORY_SIZE);
  const p = AMBER_PARAMETER;
  m[p.cmdOutEnable] = 1;
  m[p.cField] = 0x44;
  m.set([0xa2, 0x05], p.manufacturer); // "AMB"
  m.set([
    serial & 0xff,
    (serial >>> 8) & 0xff,
    (serial >>> 16) & 0xff,
    serial >>> 24,
  ], p.id);
  m[p.version] = 1;
  m[p.deviceType] = 0x37;
  m[p.radioChannel] = 1;
  m[p.rssiEnable] = 1;
  m[p.modePreselect] = AMBER_LINK_MODES.T1;
  return m;
}

/** The AMB8465's state machine, without I/O. */
export class VirtualAmb8465 implements VirtualDongle {
  /** Always `amb8465`. */
  readonly format = "amb8465" as const;
  readonly #o: Required<VirtualAmb8465Options>;
  #host = new AmberRequestDecoder();
  #memory: Uint8Array;
  #linkMode: number | null = null;
  #commandMode: boolean;
  #rssiOn: boolean;
  #requests = 0;
  #unanswered = 0;
  #resets = 0;
  #indications = 0;
  #configured: Array<(mode: number) => void> = [];

  /**
   * Creates a module that reports nothing until the host sets a mode.
   *
   * @param options Firmware, serial number, RSSI.
   */
  constructor(options: VirtualAmb8465Options = {}) {
    this.#o = {
      firmware: [1, 7, 0],
      serialNumber: 0x00c0ffee,
      rssi: 0x14,
      ...options,
    };
    this.#memory = factoryMemory(this.#o.serialNumber >>> 0);
    this.#commandMode = true;
    this.#rssiOn = true;
  }

  /** The mode the module listens in, or null before the host set one. */
  get linkMode(): number | null {
    return this.#linkMode;
  }
  /** A copy of the parameter memory. */
  get memory(): Uint8Array {
    return this.#memory.slice();
  }
  /** Requests answered so far. */
  get requests(): number {
    return this.#requests;
  }
  /** Well-formed requests with an unknown command (no answer). */
  get unanswered(): number {
    return this.#unanswered;
  }
  /** Resets (plain and factory) so far. */
  get resets(): number {
    return this.#resets;
  }
  /** Telegrams reported so far. */
  get indications(): number {
    return this.#indications;
  }

  /** Resolves once the host has set a mode. @returns The mode byte. */
  whenConfigured(): Promise<number> {
    if (this.#linkMode !== null) return Promise.resolve(this.#linkMode);
    return new Promise((resolve) => this.#configured.push(resolve));
  }

  /** Feeds host bytes. @param bytes Host bytes. @returns Confirmations. */
  receive(bytes: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const f of this.#host.push(bytes)) {
      const answer = this.#answer(f.command, f.payload);
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
   * The data indication of a telegram heard in the current mode, else null.
   *
   * @param telegram CRC-less frame from L on.
   * @param mode Transmit mode.
   * @returns The bytes (command frame or transparent telegram), or null.
   */
  indicate(telegram: Uint8Array, mode: string): Uint8Array | null {
    if (this.#linkMode === null) return null;
    if (!(HEARD_IN[mode] ?? []).includes(this.#linkMode)) return null;
    this.#indications++;
    const rssi = this.#rssiOn ? this.#o.rssi : null;
    if (this.#commandMode) return encodeAmberIndication(telegram, rssi);
    const out = new Uint8Array(telegram.length + (rssi === null ? 0 : 1));
    out.set(telegram);
    out[0] = out.length - 1;
    if (rssi !== null) out[out.length - 1] = rssi & 0xff;
    return out;
  }

  #answer(command: number, payload: Uint8Array): Uint8Array | null {
    const confirm = (data: Uint8Array | number) =>
      encodeAmberFrame(
        command | 0x80,
        typeof data === "number" ? Uint8Array.of(data) : data,
      );
    switch (command) {
      case AMBER_REQUEST.setMode: {
        const mode = payload[0];
        if (mode === undefined) return confirm(1);
        this.#listen(mode);
        return confirm(0);
      }
      case AMBER_REQUEST.reset:
        this.#reset();
        return confirm(0);
      case AMBER_REQUEST.factoryReset:
        this.#memory = factoryMemory(this.#o.serialNumber >>> 0);
        this.#reset();
        return confirm(0);
      case AMBER_REQUEST.get: {
        const [offset = -1, asked = -1] = payload;
        if (offset < 0 || asked < 0 || offset >= AMBER_MEMORY_SIZE) {
          return confirm(1);
        }
        const count = Math.min(asked, AMBER_MEMORY_SIZE - offset);
        return confirm(
          Uint8Array.of(
            offset,
            count,
            ...this.#memory.subarray(offset, offset + count),
          ),
        );
      }
      case AMBER_REQUEST.set: {
        const [offset = -1, count = -1] = payload;
        const data = payload.subarray(2);
        if (
          offset < 0 || data.length !== count ||
          offset + count > AMBER_MEMORY_SIZE
        ) {
          return confirm(1);
        }
        this.#memory.set(data, offset);
        return confirm(0);
      }
      case AMBER_REQUEST.firmwareVersion:
        return confirm(Uint8Array.from(this.#o.firmware));
      case AMBER_REQUEST.serialNumber: {
        const n = this.#o.serialNumber >>> 0;
        return confirm(
          Uint8Array.of(
            n >>> 24,
            (n >>> 16) & 0xff,
            (n >>> 8) & 0xff,
            n & 0xff,
          ),
        );
      }
      case AMBER_REQUEST.rssi:
        return confirm(this.#o.rssi & 0xff);
      default:
        return ACKNOWLEDGED.has(command) ? confirm(0) : null;
    }
  }

  #reset(): void {
    this.#resets++;
    this.#commandMode = this.#memory[AMBER_PARAMETER.cmdOutEnable] !== 0;
    this.#rssiOn = this.#memory[AMBER_PARAMETER.rssiEnable] !== 0;
    this.#listen(this.#memory[AMBER_PARAMETER.modePreselect] ?? 0);
  }

  #listen(mode: number): void {
    this.#linkMode = mode;
    for (const resolve of this.#configured.splice(0)) resolve(mode);
  }
}
