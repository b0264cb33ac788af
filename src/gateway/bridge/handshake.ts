/**
 * The opt-in ASCII handshake of the TCP bridge. A bridging tool may send it before raw
 * M-Bus bytes to ask whether the bus is ready; a plain transparent client never sees it.
 *
 * Every handshake line starts with `MBGW` (0x4D 0x42 0x47 0x57) and ends with LF (CR LF
 * accepted). It cannot be confused with an M-Bus frame, which starts with 0x10, 0x68 or
 * 0xE5. Requests:
 *
 * - `MBGW STATUS` → `MBGW READY` or `MBGW BUSY <reason>`; the bus is not taken.
 * - `MBGW WAIT [ms]` → `MBGW READY` once the bridge holds the bus (raw bytes may follow at
 *   once), or `MBGW BUSY <reason>` when `ms` (default 30000) passed first.
 * - `MBGW QUIT` → the server closes the connection.
 * - anything else starting with `MBGW` → `MBGW ERROR <text>`.
 *
 * @module
 */

/** First bytes of every handshake line. */
export const HANDSHAKE_PREFIX = "MBGW";
/** Longest accepted handshake line, in bytes. */
export const HANDSHAKE_MAX_LINE = 128;
/** Default wait of `MBGW WAIT`, ms. */
export const DEFAULT_WAIT_MS = 30_000;

/** A parsed handshake request. */
export type HandshakeRequest =
  | { kind: "status" }
  | { kind: "wait"; timeoutMs: number }
  | { kind: "quit" }
  | { kind: "invalid"; reason: string };

/**
 * Tells whether the first byte a client sends starts a handshake line.
 *
 * @param byte The first byte.
 * @returns True for `M` (0x4D), which no M-Bus frame starts with.
 */
export function startsHandshake(byte: number): boolean {
  return byte === 0x4d;
}

/**
 * Parses one handshake line (without its line end).
 *
 * @param line The line, e.g. `MBGW WAIT 5000`.
 * @returns The request.
 */
export function parseHandshake(line: string): HandshakeRequest {
  const words = line.trim().split(/\s+/);
  if (words[0] !== HANDSHAKE_PREFIX) {
    return { kind: "invalid", reason: `expected "${HANDSHAKE_PREFIX}"` };
  }
  const verb = (words[1] ?? "").toUpperCase();
  if (verb === "STATUS" && words.length === 2) return { kind: "status" };
  if (verb === "QUIT" && words.length === 2) return { kind: "quit" };
  if (verb === "WAIT" && words.length <= 3) {
    if (words.length === 2) return { kind: "wait", timeoutMs: DEFAULT_WAIT_MS };
    const ms = Number(words[2]);
    if (Number.isInteger(ms) && ms >= 0 && ms <= 3_600_000) {
      return { kind: "wait", timeoutMs: ms };
    }
    return { kind: "invalid", reason: `bad wait "${words[2]}": 0..3600000 ms` };
  }
  return {
    kind: "invalid",
    reason: `unknown request "${
      words.slice(1).join(" ")
    }": STATUS, WAIT [ms] or QUIT`,
  };
}

/**
 * Formats a reply line.
 *
 * @param ready True for READY.
 * @param reason Why the bus is busy (with BUSY).
 * @returns The line with its LF.
 */
export function formatStatus(ready: boolean, reason = ""): string {
  return ready
    ? `${HANDSHAKE_PREFIX} READY\n`
    : `${HANDSHAKE_PREFIX} BUSY ${reason.replace(/[\r\n]+/g, " ")}\n`;
}
