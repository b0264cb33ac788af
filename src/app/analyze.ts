/**
 * Byte-by-byte explanation of the application layer (EN 13757-3): which field each byte
 * of a transport header and of the data records belongs to, what it means, and what was
 * not understood. Pure; the records are found by the one record walker and valued by the
 * record decoder, so the analysis says what the decoders do. The frame layers around it
 * (wired envelope, wireless DLL/ELL/AFL/TPL) are explained by `wmbus/analyze.ts`.
 *
 * @module
 */
import { byteHex } from "../util/mod.ts";
import { APPLICATION_ERROR_MESSAGES } from "./constants.ts";
import { decodeManufacturer } from "./manufacturer.ts";
import { mediumName } from "./medium.ts";
import { analyzeRecords } from "./_analyze_records.ts";
import type { SpanSink } from "./_analyze_sink.ts";

export { analyzeRecords };
export {
  type AnalyzeResult,
  analyzeResult,
  type AnalyzeSpan,
  SpanSink,
} from "./_analyze_sink.ts";

function idDigits(b: Uint8Array, at: number): string {
  let s = "";
  for (let i = at + 3; i >= at; i--) s += byteHex(b[i] ?? 0);
  return s;
}

/**
 * Explains a long (12-byte) or short (4-byte) transport header.
 *
 * @param sink Span collector.
 * @param b The bytes.
 * @param at Index of the header's first byte (after the CI).
 * @param long Long header.
 * @param layer Layer name for the spans.
 * @param config Meaning of the last two bytes (signature / configuration).
 * @returns Index after the header.
 */
export function analyzeHeader(
  sink: SpanSink,
  b: Uint8Array,
  at: number,
  long: boolean,
  layer: string,
  config: string,
): number {
  let p = at;
  if (long) {
    sink.add(b, p, 4, layer, "ID", `identification number ${idDigits(b, p)}`);
    p += 4;
    const m = (b[p] ?? 0) | ((b[p + 1] ?? 0) << 8);
    sink.add(b, p, 2, layer, "manufacturer", decodeManufacturer(m));
    p += 2;
    sink.add(b, p, 1, layer, "version", `version ${b[p] ?? 0}`);
    p++;
    sink.add(b, p, 1, layer, "medium", mediumName(b[p] ?? 0));
    p++;
  }
  sink.add(b, p, 1, layer, "access number", String(b[p] ?? 0));
  p++;
  sink.add(b, p, 1, layer, "status", statusText(b[p] ?? 0));
  p++;
  sink.add(b, p, 2, layer, long ? "signature" : "configuration", config);
  return p + 2;
}

/**
 * The meaning of a TPL status byte (EN 13757-3 table of status bits).
 *
 * @param s The status byte.
 * @returns Text.
 */
export function statusText(s: number): string {
  if (s === 0) return "no error";
  const words: string[] = [];
  const app = s & 0x03;
  if (app === 1) words.push("application busy");
  if (app === 2) words.push("application error");
  if (app === 3) words.push("abnormal condition");
  if (s & 0x04) words.push("power low");
  if (s & 0x08) words.push("permanent error");
  if (s & 0x10) words.push("temporary error");
  if (s & 0xe0) words.push(`manufacturer bits 0x${byteHex(s & 0xe0)}`);
  return words.join(", ");
}

/**
 * Explains the application layer after a CI: header and records, or the CI's own data.
 *
 * @param sink Span collector.
 * @param b The bytes.
 * @param at Index of the byte after the CI.
 * @param ci The CI.
 * @returns False when the CI is not one the application layer knows.
 */
export function analyzeAfterCi(
  sink: SpanSink,
  b: Uint8Array,
  at: number,
  ci: number,
): boolean {
  const signature = "signature (0 = no encryption)";
  switch (ci) {
    case 0x72:
    case 0x76:
      analyzeRecords(
        sink,
        b,
        analyzeHeader(sink, b, at, true, "app", signature),
        ci === 0x76,
      );
      return true;
    case 0x7a:
      analyzeRecords(
        sink,
        b,
        analyzeHeader(sink, b, at, false, "app", signature),
      );
      return true;
    case 0x78:
    case 0x51:
      analyzeRecords(sink, b, at);
      return true;
    case 0x70:
      sink.add(
        b,
        at,
        1,
        "app",
        "application error",
        APPLICATION_ERROR_MESSAGES[b[at] ?? 0] ?? "reserved",
      );
      sink.add(
        b,
        at + 1,
        b.length - at - 1,
        "app",
        "rest",
        "not interpreted",
        false,
      );
      return true;
    default:
      return false;
  }
}
