/**
 * A virtual Amber AMB8465 (mbus-wireless.md §12.2) in command mode: it confirms the
 * set-mode request (`FF 04 01 <mode> CS` → `FF 84 01 00 CS`), answers the firmware
 * version and serial number requests, and reports telegrams as `FF 03 len C … RSSI CS`.
 *
 * @module
 */
import {
  Amb8465Codec,
  AMBER_COMMAND,
  AMBER_LINK_MODES,
  encodeAmberFrame,
  encodeAmberIndication,
} from "../../src/wmbus/mod.ts";
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

/** Which Amber modes hear which transmit modes (the "other" modes of a collector). */
const HEARD_IN: Readonly<Record<string, readonly number[]>> = {
  S1: [AMBER_LINK_MODES.S1],
  T1: [AMBER_LINK_MODES.T1, AMBER_LINK_MODES.C1T1],
  C1: [AMBER_LINK_MODES.C1, AMBER_LINK_MODES.C1T1],
};

/** The AMB8465's state machine, without I/O. */
export class VirtualAmb8465 implements VirtualDongle {
  /** Always `amb8465`. */
  readonly format = "amb8465" as const;
  readonly #o: Required<VirtualAmb8465Options>;
  #host = new Amb8465Codec({ rssi: false });
  #linkMode: number | null = null;
  #requests = 0;
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
  }

  /** The mode set by the host, or null. */
  get linkMode(): number | null {
    return this.#linkMode;
  }
  /** Requests answered so far. */
  get requests(): number {
    return this.#requests;
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
    this.#host.push(bytes, 0);
    const out: Uint8Array[] = [];
    for (const f of this.#host.takeFrames()) {
      const answer = this.#answer(f.command, f.payload);
      if (answer) {
        this.#requests++;
        out.push(answer);
      }
    }
    return out;
  }

  /**
   * The data indication of a telegram heard in the current mode, else null.
   *
   * @param telegram CRC-less frame from L on.
   * @param mode Transmit mode.
   * @returns The command frame, or null.
   */
  indicate(telegram: Uint8Array, mode: string): Uint8Array | null {
    if (this.#linkMode === null) return null;
    if (!(HEARD_IN[mode] ?? []).includes(this.#linkMode)) return null;
    this.#indications++;
    return encodeAmberIndication(telegram, this.#o.rssi);
  }

  #answer(command: number, payload: Uint8Array): Uint8Array | null {
    const confirm = command | AMBER_COMMAND.confirm;
    switch (command) {
      case AMBER_COMMAND.setMode: {
        const mode = payload[0];
        if (mode === undefined) {
          return encodeAmberFrame(confirm, Uint8Array.of(1));
        }
        this.#linkMode = mode;
        for (const resolve of this.#configured.splice(0)) resolve(mode);
        return encodeAmberFrame(confirm, Uint8Array.of(0));
      }
      case AMBER_COMMAND.firmwareVersion:
        return encodeAmberFrame(confirm, Uint8Array.from(this.#o.firmware));
      case AMBER_COMMAND.serialNumber: {
        const n = this.#o.serialNumber >>> 0;
        return encodeAmberFrame(
          confirm,
          Uint8Array.of(
            n >>> 24,
            (n >>> 16) & 0xff,
            (n >>> 8) & 0xff,
            n & 0xff,
          ),
        );
      }
      default:
        return null;
    }
  }
}
