/**
 * The simulator behind a TCP port, like an M-Bus-to-TCP converter: raw bytes both ways,
 * one client at a time (a second one is disconnected at once), 127.0.0.1 by default.
 *
 * @module
 */
import { type Clock, RealClock, TransportError } from "../../src/util/mod.ts";
import type { VirtualBus } from "../virtual_bus.ts";
import { runStreamSession } from "./_stream_session.ts";

/** Options of {@link startTcpEndpoint}. */
export interface TcpEndpointOptions {
  /** Interface to bind. @default "127.0.0.1" */
  host?: string;
  /** Port; 0 picks a free one. @default 10001 */
  port?: number;
  /** Pace answers at the bus's baud rate (for demos and third-party masters). @default false */
  realtime?: boolean;
  /** Clock for pacing. @default a RealClock */
  clock?: Clock;
  /** The line follows an acknowledged baud switch (a converter with a fixed rate does not). @default false */
  followBaudSwitch?: boolean;
  /** Hand the master its own bytes back before the answer, as some converters do. @default false */
  echo?: boolean;
}

/** A listening TCP endpoint. */
export interface TcpEndpoint extends AsyncDisposable {
  /** Bound host. */
  readonly host: string;
  /** Bound port. */
  readonly port: number;
  /** Clients served so far (the refused ones not counted). */
  readonly clientsServed: number;
  /** Stops listening and disconnects the client. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts listening.
 *
 * @example
 * ```ts ignore
 * await using tcp = startTcpEndpoint(createSimulation("demo"), { port: 0 });
 * const port = await TcpTransport.open({ host: tcp.host, port: tcp.port });
 * ```
 *
 * @param bus The bus to serve.
 * @param options Address and pacing.
 * @returns The endpoint.
 * @throws {TransportError} `PORT_BUSY` when the port is taken.
 */
export function startTcpEndpoint(
  bus: VirtualBus,
  options: TcpEndpointOptions = {},
): TcpEndpoint {
  const host = options.host ?? "127.0.0.1";
  let listener: Deno.TcpListener;
  try {
    listener = Deno.listen({ hostname: host, port: options.port ?? 10001 });
  } catch (e) {
    throw new TransportError(
      e instanceof Deno.errors.AddrInUse ? "PORT_BUSY" : "IO",
      `Cannot listen on ${host}:${options.port ?? 10001}: ${
        e instanceof Error ? e.message : String(e)
      }`,
      { cause: e },
    );
  }
  const stop = new AbortController();
  const sessionOptions = {
    clock: options.clock ?? new RealClock(),
    realtime: options.realtime ?? false,
    followBaudSwitch: options.followBaudSwitch ?? false,
    echo: options.echo ?? false,
  };
  let client: Deno.TcpConn | undefined;
  let session: Promise<void> = Promise.resolve();
  let served = 0;
  const serve = async (conn: Deno.TcpConn) => {
    const buf = new Uint8Array(4096);
    await runStreamSession(
      bus,
      {
        read: async () => {
          const n = await conn.read(buf);
          return n === null ? null : buf.slice(0, n);
        },
        write: async (bytes) => {
          let at = 0;
          while (at < bytes.length) at += await conn.write(bytes.subarray(at));
        },
      },
      sessionOptions,
      stop.signal,
    );
    try {
      conn.close();
    } catch {
      // already closed by close()
    }
    client = undefined;
  };
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        if (client) {
          conn.close();
          continue;
        }
        client = conn;
        served++;
        session = serve(conn);
      }
    } catch {
      // listener closed
    }
  })();
  const addr = listener.addr;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      stop.abort();
      listener.close();
      try {
        client?.close();
      } catch {
        // already closed
      }
      await accepting;
      await session;
    })();
    return closing;
  };
  return {
    host: addr.hostname,
    port: addr.port,
    get clientsServed() {
      return served;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
