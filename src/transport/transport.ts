/**
 * The one way bytes move between the master and a bus: a serial port, a TCP converter, or
 * the simulator in process.
 *
 * @module
 */
import type { LinkListener, LinkStatus } from "./link_status.ts";

/** Bytes in and out of an M-Bus, with timeouts measured on the transport's `Clock`. */
export interface Transport extends AsyncDisposable {
  /** Human readable endpoint, e.g. `serial:/dev/ttyUSB0` or `tcp:127.0.0.1:10001`. */
  readonly name: string;
  /** Current baud rate (TCP converters report the configured nominal rate). */
  readonly baudRate: number;
  /** Bytes sent and received so far. */
  readonly stats: TransportStats;
  /** The connection's health, where the transport tracks it (TCP). */
  linkStatus?(): LinkStatus;
  /**
   * Listens to changes of {@link linkStatus}.
   *
   * @param fn Called after each change.
   * @returns Unsubscribes.
   */
  onLinkChange?(fn: LinkListener): () => void;
  /**
   * Sends bytes; resolves when they are handed to the device (not when they reach the
   * meters).
   *
   * @param bytes The bytes.
   * @param signal Cancels the write.
   */
  write(bytes: Uint8Array, signal?: AbortSignal): Promise<void>;
  /**
   * Waits up to `timeoutMs` for bytes and resolves with whatever arrived (1 or more
   * bytes, at most `maxBytes`), or an empty array on timeout: in a scan, silence is data.
   * Throws a `TransportError` only when the pipe fails (`CLOSED`, `IO`).
   *
   * @param maxBytes Upper bound on returned bytes.
   * @param timeoutMs Longest wait for the first byte, in milliseconds.
   * @param signal Cancels the read (rejects with `signal.reason`).
   */
  read(
    maxBytes: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array>;
  /** Drops any bytes received but not yet read. @returns The number of bytes dropped. */
  purge(): Promise<number>;
  /** Switches the line speed (serial) or records the nominal rate (TCP, in process). */
  setBaudRate(baudRate: number): Promise<void>;
  /** Releases the device; further calls throw `TransportError` `CLOSED`. Idempotent. */
  close(): Promise<void>;
}

/** Counters of a transport. */
export interface TransportStats {
  /** Bytes written. */
  bytesOut: number;
  /** Bytes read (including purged ones). */
  bytesIn: number;
  /** Bytes dropped by `purge`. */
  bytesPurged: number;
}

/**
 * The baud rates of EN 13757-2. The same list as link's `CI_BAUD_RATES` (the rates CI
 * `B8`…`BF` select), which this layer may not import; test/master/baud_rates_test.ts
 * keeps the two equal.
 */
export const BAUD_RATES = [
  300,
  600,
  1200,
  2400,
  4800,
  9600,
  19200,
  38400,
] as const;

/** One of {@link BAUD_RATES}. */
export type BaudRate = typeof BAUD_RATES[number];

/** The line speed when none is given (M-Bus meters ship at 2400 Bd). */
export const DEFAULT_BAUD_RATE: BaudRate = 2400;

/**
 * Time on the wire for `byteCount` characters of 11 bits (8E1 with start and stop bit).
 *
 * @param byteCount Number of bytes.
 * @param baudRate Line speed.
 * @returns Milliseconds.
 */
export function wireTimeMs(byteCount: number, baudRate: number): number {
  return byteCount * 11 * 1000 / baudRate;
}
