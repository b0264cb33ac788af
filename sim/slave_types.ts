/**
 * The shapes around a `VirtualSlave`: its options, one answer, and its summary in
 * the bus statistics.
 *
 * @module
 */
import type { FailureMode } from "./failure_mode.ts";
import type { SlaveIdentity } from "./slave_identity.ts";

/** Options of a `VirtualSlave`. */
export interface VirtualSlaveOptions extends SlaveIdentity {
  /** Name for stats and logs. @default the secondary address text */
  name?: string;
  /** Primary address 0..250. @default 0 */
  primaryAddress?: number;
  /** Status byte (STS) of the header. @default 0 */
  status?: number;
  /**
   * Encoded data records of each telegram, without header. All but the last get DIF 0x1F
   * appended; each must leave room for the 12-byte header (and the 0x1F) in 252 bytes.
   * @default one empty telegram
   */
  telegrams?: readonly Uint8Array[];
  /** The slave's line speed. @default 2400 */
  baudRate?: number;
  /** Time from the end of the request to the first answer bit. @default 8..32 ms from the ID */
  answerDelayMs?: number;
  /** How the slave misbehaves, if at all. */
  failure?: FailureMode;
  /**
   * New record bytes for telegram `index` on each fresh (not repeated) answer; `fresh`
   * counts the slave's fresh answers so far. Undefined keeps the telegram as it was.
   */
  refreshTelegram?: (index: number, fresh: number) => Uint8Array | undefined;
  /**
   * A single-telegram slave repeats its last answer on an unchanged FCB (multi-telegram
   * slaves always do). @default false: single-telegram slaves ignore FCB (§2.4)
   */
  fcbRepeat?: boolean;
  /** Seed of the failure dice. @default derived from the ID */
  seed?: number;
}

/** What a slave puts on the wire in answer to one request. */
export interface SlaveAnswer {
  /** The bytes (possibly damaged by a failure mode). */
  bytes: Uint8Array;
  /** Delay from the end of the request to the first start bit, in ms. */
  delayMs: number;
  /** The baud rate the answer is sent at (the rate before a baud switch). */
  baudRate: number;
}

/** A snapshot of a slave for statistics and listings. */
export interface SlaveSummary extends SlaveIdentity {
  /** Name. */
  name: string;
  /** Current primary address. */
  primaryAddress: number;
  /** Secondary address in libmbus text form (`IIIIIIIIMMMMVVDD`). */
  secondaryAddress: string;
  /** Current line speed. */
  baudRate: number;
  /** Selected by secondary address. */
  isSelected: boolean;
  /** Telegrams in a full readout. */
  telegrams: number;
  /** Requests addressed to it (incl. 253 while selected and 254). */
  requests: number;
  /** Answers sent. */
  answers: number;
  /** Failure mode name, or null. */
  failure: string | null;
}
