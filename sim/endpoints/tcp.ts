/**
 * The simulator behind a TCP port, like an M-Bus-to-TCP converter: raw bytes both ways,
 * one client at a time, 127.0.0.1 by default. A client that connects while another is
 * served waits up to `handoverMs` for that one to hang up (a master that closes and
 * reconnects at once must not lose the race against its own FIN being seen); if the first
 * is still there by then, the newcomer is disconnected. One newcomer waits at most; more
 * are disconnected at once.
 *
 * @module
 */
import { type Clock, RealClock, TransportError } from "../../src/util/mod.ts";
import type { VirtualBus } from "../virtual_bus.ts";
import { runStreamSession } from "./_stream_session.ts";
import { FaultInjector } from "./faults.ts";

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
  /** How long a client that arrives while another is served waits for it to go. @default 250 */
  handoverMs?: number;
}

/** A listening TCP endpoint. */
export interface TcpEndpoint extends AsyncDisposable {
  /** Bound host. */
  readonly host: string;
  /** Bound port. */
  readonly port: number;
  /** Clients served so far (the refused ones not counted). */
  readonly clientsServed: number;
  /** Faults on request (drop, stall, refuse, garbage, slow bytes, a silent meter). */
  readonly faults: FaultInjector;
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
  const faults = new FaultInjector(sessionOptions.clock, () => bus.slaves);
  let client: Deno.TcpConn | undefined;
  let session: Promise<void> = Promise.resolve();
  let served = 0;
  const serve = async (conn: Deno.TcpConn) => {
    const buf = new Uint8Array(4096);
    await runStreamSession(
      bus,
      faults.wrap({
        read: async () => {
          const n = await conn.read(buf);
          return n === null ? null : buf.slice(0, n);
        },
        write: async (bytes) => {
          let at = 0;
          while (at < bytes.length) at += await conn.write(bytes.subarray(at));
        },
      }, () => closeQuietly(conn)),
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
  const handoverMs = options.handoverMs ?? 250;
  let waiting: Deno.TcpConn | undefined;
  const admissions = new Set<Promise<void>>();
  const admit = async (conn: Deno.TcpConn) => {
    if (faults.refusing) return closeQuietly(conn);
    if (client) {
      if (waiting || handoverMs <= 0) return closeQuietly(conn);
      waiting = conn;
      await waitUntilSettled(session, handoverMs, sessionOptions.clock, stop);
      waiting = undefined;
      if (client || stop.signal.aborted) return closeQuietly(conn);
    }
    client = conn;
    served++;
    session = serve(conn);
  };
  const accept = (from: Deno.TcpListener) =>
    (async () => {
      try {
        for await (const conn of from) {
          const admission = admit(conn);
          admissions.add(admission);
          admission.finally(() => admissions.delete(admission)).catch(() => {});
        }
      } catch {
        // listener closed
      }
    })();
  let accepting = accept(listener);
  const addr = listener.addr;
  // A refusing converter is not listening: connections get "connection refused" until
  // the fault ends, then the same port listens again.
  let relisten: Promise<void> = Promise.resolve();
  faults.onFault((e) => {
    if (e.kind !== "refuse" || stop.signal.aborted) return;
    if (e.endedAt === undefined) {
      try {
        listener.close();
      } catch {
        // already closed by an earlier refuse
      }
      if (client) closeQuietly(client);
      if (waiting) closeQuietly(waiting);
      return;
    }
    relisten = (async () => {
      await accepting;
      for (let i = 0; i < 50 && !stop.signal.aborted; i++) {
        try {
          listener = Deno.listen({ hostname: addr.hostname, port: addr.port });
          accepting = accept(listener);
          return;
        } catch {
          await sessionOptions.clock.sleep(20, stop.signal).catch(() => {});
        }
      }
    })();
  });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      stop.abort();
      await relisten;
      try {
        listener.close();
      } catch {
        // closed by a refuse fault
      }
      try {
        client?.close();
      } catch {
        // already closed
      }
      if (waiting) closeQuietly(waiting);
      await accepting;
      await Promise.all(admissions);
      await session;
      await faults.close();
    })();
    return closing;
  };
  return {
    host: addr.hostname,
    port: addr.port,
    get clientsServed() {
      return served;
    },
    faults,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function closeQuietly(conn: Deno.TcpConn): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}

/** Resolves when `session` ends, `ms` pass or `stop` aborts, and leaves no timer behind. */
async function waitUntilSettled(
  session: Promise<void>,
  ms: number,
  clock: Clock,
  stop: AbortController,
): Promise<void> {
  const done = new AbortController();
  const signal = AbortSignal.any([stop.signal, done.signal]);
  try {
    await Promise.race([session, clock.sleep(ms, signal)]);
  } catch {
    // aborted: the endpoint is closing
  } finally {
    done.abort();
  }
}
