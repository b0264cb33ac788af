/**
 * Helpers for real-time tests over loopback sockets: a free port, a bounded wait for a
 * condition, and reading one text line. They wait on events in short steps and never
 * assert how long anything took.
 *
 * @module
 */
import assert from "node:assert/strict";

/** A TCP port on 127.0.0.1 that was free a moment ago. @returns The port. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  return port;
}

/**
 * Waits until `check()` holds, in 10 ms steps, failing after `steps` steps.
 *
 * @param check The condition.
 * @param what Named in the failure message.
 * @param steps Most steps. @default 800
 */
export async function until(
  check: () => boolean,
  what: string,
  steps = 800,
): Promise<void> {
  for (let i = 0; i < steps && !check(); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(check(), `timed out waiting for ${what}`);
}

/**
 * Reads from a connection until a line feed (or the end).
 *
 * @param conn The connection.
 * @returns The text, line feed included.
 */
export async function readLine(conn: Deno.Conn): Promise<string> {
  const buf = new Uint8Array(256);
  let text = "";
  while (!text.endsWith("\n")) {
    const n = await conn.read(buf);
    if (n === null) break;
    text += new TextDecoder().decode(buf.subarray(0, n));
  }
  return text;
}
