/**
 * The simulation as rtl_wmbus would print it (mbus-wireless.md §12.3): one text line per
 * telegram, on a TCP port (every connected client hears every line, like
 * `rtl_wmbus | nc -l`) or as a byte stream.
 *
 * @module
 */
import { formatRtlWmbusLine } from "../../src/wmbus/mod.ts";
import { TransportError } from "../../src/util/mod.ts";
import type {
  WirelessSimulation,
  WirelessTransmission,
} from "./wireless_simulation.ts";

/**
 * Formats a transmission as one rtl_wmbus line with its line end.
 *
 * @param t The transmission.
 * @returns The line as bytes.
 */
export function encodeRtlWmbusLine(t: WirelessTransmission): Uint8Array {
  const mode = t.mode;
  return new TextEncoder().encode(
    formatRtlWmbusLine(t.telegram, { mode, receivedAt: t.at, rssi: 97 }) +
      "\n",
  );
}

/**
 * The simulation's telegrams as an endless rtl_wmbus byte stream (ends on `signal`).
 *
 * @param air The simulation.
 * @param signal Ends the stream.
 * @returns The stream.
 */
export function rtlWmbusStream(
  air: WirelessSimulation,
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  let unsubscribe = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const end = () => {
        unsubscribe();
        try {
          controller.close();
        } catch {
          // Already closed or cancelled.
        }
      };
      if (signal?.aborted) return end();
      unsubscribe = air.subscribe((t) => {
        controller.enqueue(encodeRtlWmbusLine(t));
      });
      signal?.addEventListener("abort", end, { once: true });
    },
    cancel() {
      unsubscribe();
    },
  });
}

/** A listening rtl_wmbus line server. */
export interface RtlWmbusTcpEndpoint extends AsyncDisposable {
  /** Bound host. */
  readonly host: string;
  /** Bound port. */
  readonly port: number;
  /** Clients connected now. */
  readonly clients: number;
  /** Resolves once at least one client is connected. */
  whenConnected(): Promise<void>;
  /** Stops listening and disconnects every client. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves rtl_wmbus lines on TCP: each client gets the lines of the telegrams sent while
 * it is connected.
 *
 * @example
 * ```ts ignore
 * await using tcp = startRtlWmbusTcp(createWirelessSimulation(), { port: 0 });
 * ```
 *
 * @param air The simulation.
 * @param options Interface and port (0 picks a free one).
 * @returns The endpoint.
 * @throws {TransportError} `PORT_BUSY` when the port is taken.
 */
export function startRtlWmbusTcp(
  air: WirelessSimulation,
  options: { host?: string; port?: number } = {},
): RtlWmbusTcpEndpoint {
  const host = options.host ?? "127.0.0.1";
  let listener: Deno.TcpListener;
  try {
    listener = Deno.listen({ hostname: host, port: options.port ?? 0 });
  } catch (e) {
    throw new TransportError(
      e instanceof Deno.errors.AddrInUse ? "PORT_BUSY" : "IO",
      `Cannot listen on ${host}:${options.port ?? 0}: ${
        e instanceof Error ? e.message : String(e)
      }`,
      { cause: e },
    );
  }
  const clients = new Map<Deno.TcpConn, Promise<void>>();
  let connected: Array<() => void> = [];
  const drop = (conn: Deno.TcpConn) => {
    if (!clients.has(conn)) return;
    clients.delete(conn);
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  };
  const unsubscribe = air.subscribe((t) => {
    const line = encodeRtlWmbusLine(t);
    for (const [conn, queue] of clients) {
      clients.set(
        conn,
        queue.then(() => writeAll(conn, line)).catch(() => drop(conn)),
      );
    }
  });
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        clients.set(conn, Promise.resolve());
        for (const resolve of connected) resolve();
        connected = [];
      }
    } catch {
      // Listener closed.
    }
  })();
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      unsubscribe();
      listener.close();
      await accepting;
      const pending = [...clients.values()];
      for (const conn of [...clients.keys()]) drop(conn);
      await Promise.allSettled(pending);
    })();
    return closing;
  };
  return {
    host: listener.addr.hostname,
    port: listener.addr.port,
    get clients() {
      return clients.size;
    },
    whenConnected: () =>
      clients.size > 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => connected.push(resolve)),
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function writeAll(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await conn.write(bytes.subarray(at));
}
