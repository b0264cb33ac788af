/**
 * A virtual receiver dongle behind a TCP port, as a USB stick shared with ser2net or a
 * serial-to-network adapter: the bytes a receiver writes reach the dongle, the dongle's
 * answers and indications go back. One client at a time (a newcomer replaces the previous
 * one, as ser2net does when the old connection is dead); the dongle's state (link mode,
 * configuration) survives reconnections, as the module stays powered.
 *
 * @module
 */
import { TransportError } from "../../src/util/mod.ts";
import { createDongle, type DongleFormat } from "./dongle_endpoints.ts";
import type { VirtualAmb8465Options } from "./virtual_amb8465.ts";
import type { VirtualDongle } from "./virtual_dongle.ts";
import type { VirtualIm871aOptions } from "./virtual_im871a.ts";
import type { WirelessSimulation } from "./wireless_simulation.ts";

/** Options of {@link startDongleTcp}. */
export interface DongleTcpOptions
  extends VirtualIm871aOptions, Omit<VirtualAmb8465Options, "rssi"> {
  /** Interface to bind. @default "127.0.0.1" */
  host?: string;
  /** Port; 0 picks a free one. @default 0 */
  port?: number;
}

/** A listening dongle endpoint. */
export interface DongleTcpEndpoint extends AsyncDisposable {
  /** Bound host. */
  readonly host: string;
  /** Bound port. */
  readonly port: number;
  /** The dongle (link mode, counters). */
  readonly dongle: VirtualDongle;
  /** Clients served so far. */
  readonly clientsServed: number;
  /** Stops listening and disconnects the client. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves a virtual dongle on TCP.
 *
 * @param air The simulation.
 * @param format Which dongle.
 * @param options Address and dongle identity.
 * @returns The endpoint.
 * @throws {TransportError} `PORT_BUSY` when the port is taken.
 */
export function startDongleTcp(
  air: WirelessSimulation,
  format: DongleFormat,
  options: DongleTcpOptions = {},
): DongleTcpEndpoint {
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
  const dongle = createDongle(format, options);
  let client: Deno.TcpConn | undefined;
  let writing: Promise<void> = Promise.resolve();
  let served = 0;
  const sessions = new Set<Promise<void>>();
  const send = (conn: Deno.TcpConn, bytes: Uint8Array) => {
    writing = writing.then(() => writeAll(conn, bytes)).catch(() => {});
  };
  const unsubscribe = air.subscribe((t) => {
    const bytes = dongle.indicate(t.telegram, t.mode, t.at);
    if (bytes && client) send(client, bytes);
  });
  const serve = async (conn: Deno.TcpConn) => {
    const buf = new Uint8Array(4096);
    try {
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) break;
        for (const answer of dongle.receive(buf.subarray(0, n))) {
          send(conn, answer);
        }
      }
    } catch {
      // The client went away.
    }
    if (client === conn) client = undefined;
    closeQuietly(conn);
  };
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        if (client) closeQuietly(client);
        client = conn;
        served++;
        const s = serve(conn);
        sessions.add(s);
        s.finally(() => sessions.delete(s)).catch(() => {});
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
      if (client) closeQuietly(client);
      await accepting;
      await Promise.all(sessions);
      await writing;
    })();
    return closing;
  };
  return {
    host: listener.addr.hostname,
    port: listener.addr.port,
    dongle,
    get clientsServed() {
      return served;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function closeQuietly(conn: Deno.TcpConn): void {
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}

async function writeAll(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await conn.write(bytes.subarray(at));
}
