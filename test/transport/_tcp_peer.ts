/**
 * The server side of a TCP conformance pair: an accepted connection with a timed read.
 *
 * @module
 */
import type { ConformancePeer } from "../_conformance/transport_conformance.ts";

/**
 * Wraps an accepted connection.
 *
 * @param conn The server side of the connection.
 * @returns A peer that reads with real-time timeouts.
 */
export function connPeer(conn: Deno.Conn): ConformancePeer {
  const queue: number[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const pump = (async () => {
    const buf = new Uint8Array(4096);
    try {
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) break;
        for (let i = 0; i < n; i++) queue.push(buf[i] ?? 0);
        wake?.();
      }
    } catch {
      // Closed.
    }
    ended = true;
    wake?.();
  })();
  return {
    async write(bytes) {
      let off = 0;
      while (off < bytes.length) off += await conn.write(bytes.subarray(off));
    },
    async read(max, timeoutMs) {
      if (queue.length === 0 && !ended) {
        let id: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          id = setTimeout(resolve, timeoutMs);
        });
        clearTimeout(id);
        wake = undefined;
      }
      return Uint8Array.from(queue.splice(0, max));
    },
    async close() {
      try {
        conn.close();
      } catch {
        // Already closed.
      }
      await pump;
    },
  };
}
