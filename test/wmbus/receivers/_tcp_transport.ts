/**
 * A minimal Transport over a TCP connection, for receiver tests over a real socket on
 * 127.0.0.1 (bytes really cross the loopback; nothing below the byte layer is faked).
 *
 * @module
 */
import { TransportError } from "../../../src/util/mod.ts";
import type { Transport, TransportStats } from "../../../src/transport/mod.ts";

/** TCP client transport for tests. */
export class TestTcpTransport implements Transport {
  readonly name: string;
  readonly baudRate = 57600;
  readonly stats: TransportStats = { bytesOut: 0, bytesIn: 0, bytesPurged: 0 };
  #conn: Deno.TcpConn;
  #pending: Promise<Uint8Array | null> | null = null;
  #closed = false;

  private constructor(conn: Deno.TcpConn, port: number) {
    this.#conn = conn;
    this.name = `tcp:127.0.0.1:${port}`;
  }

  /** Connects to 127.0.0.1:port. */
  static async open(port: number): Promise<TestTcpTransport> {
    try {
      return new TestTcpTransport(
        await Deno.connect({ hostname: "127.0.0.1", port }),
        port,
      );
    } catch (e) {
      throw new TransportError("CONNECT_FAILED", `Cannot connect to ${port}`, {
        cause: e,
      });
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.#closed) throw new TransportError("CLOSED", "Closed");
    let off = 0;
    while (off < bytes.length) {
      off += await this.#conn.write(bytes.subarray(off));
    }
    this.stats.bytesOut += bytes.length;
  }

  async read(
    maxBytes: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    if (this.#closed) throw new TransportError("CLOSED", "Closed");
    this.#pending ??= (async () => {
      const buf = new Uint8Array(Math.max(1, maxBytes));
      const n = await this.#conn.read(buf).catch(() => null);
      return n === null ? null : buf.slice(0, n);
    })();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const aborted = new Promise<"abort">((resolve) => {
      signal?.addEventListener("abort", () => resolve("abort"), { once: true });
    });
    const got = await Promise.race([this.#pending, timeout, aborted]);
    clearTimeout(timer);
    if (got === "abort") throw signal?.reason;
    if (got === "timeout") return new Uint8Array(0);
    this.#pending = null;
    if (got === null) throw new TransportError("CLOSED", "Peer closed");
    this.stats.bytesIn += got.length;
    return got;
  }

  purge(): Promise<number> {
    return Promise.resolve(0);
  }

  setBaudRate(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // already closed by the peer
    }
    await this.#pending?.catch(() => null);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
