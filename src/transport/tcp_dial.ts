/**
 * Opening a TCP connection with a timeout on a {@link Clock}, and plain-words reasons for
 * socket errors.
 *
 * @module
 */
import { type Clock, TransportError } from "../util/mod.ts";

/**
 * Names a socket error in a few words.
 *
 * @param e The error.
 * @returns E.g. `connection refused`.
 */
export function socketErrorReason(e: unknown): string {
  if (e instanceof Deno.errors.ConnectionRefused) return "connection refused";
  if (e instanceof Deno.errors.ConnectionReset) return "connection reset";
  if (e instanceof Deno.errors.NotFound) return "host not found";
  if (e instanceof Deno.errors.TimedOut) return "timed out";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  return e instanceof Error ? e.message : String(e);
}

/** Options of {@link dialTcp}. */
export interface DialOptions {
  /** Measures the timeout. */
  clock: Clock;
  /** Longest wait for the connection, in ms. */
  timeoutMs: number;
}

/**
 * Connects, giving up after `timeoutMs` on the clock.
 *
 * @param host Host name or address.
 * @param port TCP port.
 * @param options Clock and timeout.
 * @returns The connection.
 * @throws {TransportError} `CONNECT_FAILED`: `Cannot connect to host:port: reason`.
 */
export async function dialTcp(
  host: string,
  port: number,
  options: DialOptions,
): Promise<Deno.TcpConn> {
  // Aborting this signal after a successful connect would close the connection, so it is
  // aborted only by the timeout.
  const abortConnect = new AbortController();
  const stopTimer = new AbortController();
  let timedOut = false;
  const timer = options.clock.sleep(options.timeoutMs, stopTimer.signal).then(
    () => {
      timedOut = true;
      abortConnect.abort();
    },
    () => {},
  );
  try {
    return await Deno.connect({
      hostname: host,
      port,
      signal: abortConnect.signal,
    });
  } catch (e) {
    const why = timedOut
      ? `timed out after ${options.timeoutMs} ms`
      : socketErrorReason(e);
    throw new TransportError(
      "CONNECT_FAILED",
      `Cannot connect to ${host}:${port}: ${why}`,
      { cause: e },
    );
  } finally {
    stopTimer.abort();
    await timer;
  }
}
