/**
 * What a virtual receiver dongle does, whatever its protocol: answers the host's requests
 * and turns telegrams heard on air into the bytes the real dongle would send.
 *
 * @module
 */

/** A receiver dongle's state machine, without I/O. */
export interface VirtualDongle {
  /** Protocol name, e.g. `im871a`. */
  readonly format: "im871a" | "amb8465";
  /** The link mode code set by the host (the dongle's numbering), or null before. */
  readonly linkMode: number | null;
  /** Requests answered so far. */
  readonly requests: number;
  /** Telegrams reported so far. */
  readonly indications: number;
  /** Well-formed requests the virtual dongle does not know (no answer sent). */
  readonly unanswered: number;
  /** Resets (plain and factory) asked by the host so far. */
  readonly resets: number;
  /**
   * Feeds bytes written by the host.
   *
   * @param bytes Host bytes (any chunking).
   * @returns The answers to send back, in order.
   */
  receive(bytes: Uint8Array): Uint8Array[];
  /**
   * The bytes reporting a telegram heard on air, or null when the dongle does not hear
   * `mode` in its link mode (or has none yet).
   *
   * @param telegram CRC-less frame from L on.
   * @param mode Mode the meter transmits in.
   * @param at Time heard (ms since the epoch), for dongles that attach a timestamp.
   */
  indicate(telegram: Uint8Array, mode: string, at?: number): Uint8Array | null;
  /** Resolves with the link mode code once the host has set one. */
  whenConfigured(): Promise<number>;
}
