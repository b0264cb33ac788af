/**
 * The options and counters of {@link TcpTransport}.
 *
 * @module
 */
import type { Clock } from "../util/mod.ts";
import type { BackoffOptions } from "./backoff.ts";

/** Options of `TcpTransport.open`. */
export interface TcpOptions {
  /** Longest wait for a connection, in ms. @default 5000 */
  connectTimeoutMs?: number;
  /** Clock for timeouts and back-off. @default new RealClock() */
  clock?: Clock;
  /** Nominal baud rate of the converter's bus side (reported only). @default DEFAULT_BAUD_RATE (2400) */
  baudRate?: number;
  /**
   * Back-off between reconnection attempts: short and capped, so that a converter that
   * comes back is found within about a second (an attempt is one TCP connect).
   * @default { initialMs: 250, maxMs: 1000 }
   */
  backoff?: BackoffOptions;
  /**
   * Reconnect in the background as soon as the connection is lost (and, from
   * `TcpTransport.create`, connect in the background at once) instead of on the next
   * use. The gateway turns it on; one-shot tools leave it off. @default false
   */
  autoReconnect?: boolean;
}

/** Counters of a TCP connection's life. */
export interface TcpConnectionStats {
  /** Connection attempts made (the first one included). */
  attempts: number;
  /** Successful connections. */
  connects: number;
  /** Connections lost (peer closed or socket error). */
  drops: number;
}
