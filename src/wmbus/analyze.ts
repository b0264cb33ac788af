/**
 * `analyzeHex`: which layer and field each byte of a wired M-Bus frame or a wireless
 * M-Bus telegram belongs to, what it means, and what was not understood. The two are
 * told apart by their first bytes (`68 L L 68`, `10 … 16`, `E5` are wired). The wireless
 * layers (DLL with its CRCs, ELL, AFL, TPL) are explained here, the application layer by
 * `app/analyze.ts`; encrypted payloads are explained decrypted when a key (or a
 * published default key) fits. Pure: the API's `POST /api/analyze` serves the same result.
 *
 * @module
 */
import {
  analyzeAfterCi,
  type AnalyzeResult,
  analyzeResult,
  SpanSink,
} from "../app/mod.ts";
import { byteHex, parseHex } from "../util/mod.ts";
import { analyzeWireless } from "./_analyze_wireless.ts";
import { ciName, cName } from "./_analyze_names.ts";

export type { AnalyzeResult, AnalyzeSpan } from "../app/mod.ts";

/** Longest input analysed, in bytes (a format B telegram is at most 256). */
export const ANALYZE_MAX_BYTES = 512;

/** Options of {@link analyzeHex}. */
export interface AnalyzeOptions {
  /** The meter's key, to explain an encrypted payload. */
  key?: Uint8Array;
}

function wired(b: Uint8Array): AnalyzeResult {
  const sink = new SpanSink();
  if (b.length === 1) {
    sink.add(b, 0, 1, "link", "ACK", "single character acknowledgement");
    return analyzeResult("wired", 1, sink);
  }
  if (b[0] === 0x10) {
    sink.add(b, 0, 1, "link", "start", "short frame");
    sink.add(b, 1, 1, "link", "C", cName(b[1] ?? 0));
    sink.add(b, 2, 1, "link", "A", `primary address ${b[2] ?? 0}`);
    checksum(sink, b, 1, 3);
    return analyzeResult("wired", b.length, sink);
  }
  const l = b[1] ?? 0;
  sink.add(b, 0, 1, "link", "start", "long frame");
  sink.add(b, 1, 2, "link", "L", `${l} bytes from C to the checksum`);
  sink.add(b, 3, 1, "link", "start", "long frame");
  sink.add(b, 4, 1, "link", "C", cName(b[4] ?? 0));
  sink.add(b, 5, 1, "link", "A", `primary address ${b[5] ?? 0}`);
  const end = Math.min(4 + l, b.length);
  const ci = b[6] ?? 0;
  sink.add(b, 6, 1, "app", "CI", ciName(ci));
  const inner = b.subarray(0, end);
  if (!analyzeAfterCi(sink, inner, 7, ci)) {
    sink.add(
      b,
      7,
      end - 7,
      "app",
      "data",
      "CI not known: not interpreted",
      false,
    );
  }
  if (b.length < 4 + l + 2) {
    sink.notes.push(
      `Cannot check the frame: it ends before its checksum (L says ${
        6 + l
      } bytes, got ${b.length})`,
    );
  }
  checksum(sink, b, 4, end);
  return analyzeResult("wired", b.length, sink);
}

function checksum(
  sink: SpanSink,
  b: Uint8Array,
  from: number,
  to: number,
): void {
  let sum = 0;
  for (let i = from; i < to; i++) sum = (sum + (b[i] ?? 0)) & 0xff;
  const cs = b[to];
  sink.add(
    b,
    to,
    1,
    "link",
    "checksum",
    cs === sum ? "checksum matches" : `checksum should be 0x${byteHex(sum)}`,
    cs === sum,
  );
  sink.add(b, to + 1, 1, "link", "stop", "stop byte", b[to + 1] === 0x16);
  if (b.length > to + 2) {
    sink.add(
      b,
      to + 2,
      b.length - to - 2,
      "link",
      "trailing",
      "after the frame",
      false,
    );
  }
}

/**
 * Explains a wired frame or a wireless telegram given as hex, byte by byte.
 *
 * @param hex Hex digits (spaces allowed); at most {@link ANALYZE_MAX_BYTES} bytes.
 * @param options A key for encrypted payloads.
 * @returns The analysis (kind `invalid` with one span for bad hex or bytes that frame
 *   neither way). Never throws.
 * @example
 * ```ts
 * analyzeHex("E5").spans[0]?.field; // "ACK"
 * ```
 */
export function analyzeHex(
  hex: string,
  options: AnalyzeOptions = {},
): AnalyzeResult {
  const parsed = parseHex(hex);
  if (!parsed.ok || parsed.value.length === 0) {
    const sink = new SpanSink();
    sink.notes.push(parsed.ok ? "no bytes" : parsed.error.message);
    return analyzeResult("invalid", 0, sink);
  }
  const b = parsed.value;
  if (b.length > ANALYZE_MAX_BYTES) {
    const sink = new SpanSink();
    sink.notes.push(
      `Cannot analyze ${b.length} bytes: at most ${ANALYZE_MAX_BYTES}`,
    );
    return analyzeResult("invalid", b.length, sink);
  }
  try {
    if (isWired(b)) return wired(b);
    return analyzeWireless(b, options.key);
  } catch (e: unknown) {
    // The analyzers are written not to throw; this is the last line of defence.
    const sink = new SpanSink();
    sink.notes.push(`Cannot analyze: ${String(e)}`);
    return analyzeResult("invalid", b.length, sink);
  }
}

function isWired(b: Uint8Array): boolean {
  if (b.length === 1) return b[0] === 0xe5;
  if (b.length === 5 && b[0] === 0x10 && b[4] === 0x16) return true;
  return b.length >= 9 && b[0] === 0x68 && b[3] === 0x68 && b[1] === b[2];
}
