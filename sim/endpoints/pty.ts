/**
 * The simulator behind a pseudo-terminal, like a USB level converter: a serial master
 * opens the slave path (`/dev/pts/N`) as its port. Needs `--allow-ffi`.
 *
 * @module
 */
import { openPty } from "../../src/transport/mod.ts";
import { type Clock, RealClock } from "../../src/util/mod.ts";
import type { VirtualBus } from "../virtual_bus.ts";
import { runStreamSession } from "./_stream_session.ts";
import { FaultInjector } from "./faults.ts";

/** Options of {@link startPtyEndpoint}. */
export interface PtyEndpointOptions {
  /** Pace answers at the bus's baud rate. @default false */
  realtime?: boolean;
  /** Clock for pacing. @default a RealClock */
  clock?: Clock;
  /**
   * The line follows an acknowledged baud switch (the master switches its port, which the
   * pseudo-terminal cannot show us). @default true
   */
  followBaudSwitch?: boolean;
  /** Hand the master its own bytes back before the answer, as some converters do. @default false */
  echo?: boolean;
}

/** A running pseudo-terminal endpoint. */
export interface PtyEndpoint extends AsyncDisposable {
  /** The path a serial master opens, e.g. `/dev/pts/3`. */
  readonly path: string;
  /** Faults on request (stall, refuse = deaf, garbage, slow bytes, cut answers, a silent meter). */
  readonly faults: FaultInjector;
  /** Stops serving and closes the pseudo-terminal. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens a pseudo-terminal and serves the bus on it.
 *
 * @example
 * ```ts ignore
 * await using pty = startPtyEndpoint(createSimulation("demo"));
 * const port = await SerialTransport.open(pty.path);
 * ```
 *
 * @param bus The bus to serve.
 * @param options Pacing and baud handling.
 * @returns The endpoint.
 * @throws {TransportError} When the system refuses a pseudo-terminal.
 */
export function startPtyEndpoint(
  bus: VirtualBus,
  options: PtyEndpointOptions = {},
): PtyEndpoint {
  const clock = options.clock ?? new RealClock();
  const pty = openPty({ clock });
  const stop = new AbortController();
  const faults = new FaultInjector(clock, () => bus.slaves);
  const session = runStreamSession(
    bus,
    faults.wrap({
      read: (signal) => pty.read(4096, 1000, signal),
      write: (bytes) => pty.write(bytes),
    }),
    {
      clock,
      realtime: options.realtime ?? false,
      followBaudSwitch: options.followBaudSwitch ?? true,
      echo: options.echo ?? false,
    },
    stop.signal,
  );
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      stop.abort();
      await session;
      await faults.close();
      await pty.close();
    })();
    return closing;
  };
  return {
    path: pty.slavePath,
    faults,
    close,
    [Symbol.asyncDispose]: close,
  };
}
