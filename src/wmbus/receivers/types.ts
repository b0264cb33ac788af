/**
 * What every receiver delivers, and the codec interface the dongle protocols implement.
 *
 * @module
 */

/** One telegram as handed over by a receiver. */
export interface ReceivedTelegram {
  /** The telegram from L on (DLL CRCs removed by the dongle, or still present for raw input). */
  telegram: Uint8Array;
  /** Signal level: dBm for iM871A and AMB8465, the tool's own units for rtl_wmbus. */
  rssi?: number;
  /** Link mode as reported by the receiver (`T1`, `C1`, …), when known. */
  mode?: string;
  /** Reception time, ms since the epoch, from the receiver's clock. */
  receivedAt: number;
}

/** The receiver protocols spoken here. */
export type ReceiverFormat = "im871a" | "amb8465" | "rtlwmbus" | "hex";

/** The receiver formats, for option validation. */
export const RECEIVER_FORMATS: readonly ReceiverFormat[] = [
  "im871a",
  "amb8465",
  "rtlwmbus",
  "hex",
];

/** Link modes a dongle can be asked to listen in. */
export type LinkMode = "S1" | "T1" | "C1" | "C1T1";

/** Link modes, for option validation. */
export const LINK_MODES: readonly LinkMode[] = ["S1", "T1", "C1", "C1T1"];

/** An incremental decoder from a byte stream to telegrams (pure, no I/O). */
export interface ReceiverCodec {
  /** The protocol. */
  readonly format: ReceiverFormat;
  /** Bytes dropped while resynchronising, so far. */
  readonly droppedBytes: number;
  /**
   * Feeds bytes; returns the telegrams completed by them.
   *
   * @param chunk Bytes as read from the device.
   * @param receivedAt Time stamp for the telegrams completed now.
   * @returns Zero or more telegrams.
   */
  push(chunk: Uint8Array, receivedAt: number): ReceivedTelegram[];
  /**
   * Requests to write after opening the device so that it listens in `mode`.
   *
   * @param mode The link mode.
   * @returns Byte strings to write in order (empty for passive inputs).
   */
  setupRequests(mode: LinkMode): Uint8Array[];
}
