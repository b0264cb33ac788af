/**
 * The compact-frame part of the analyzer (`_analyze_wireless.ts`): format signature, data
 * CRC and each record's data bytes, read with a format the reference declares for the
 * meter's manufacturer and type (the analyzer has no earlier full frame to learn from).
 *
 * @module
 */
import { analyzeRecords, readRecordSpan, SpanSink } from "../app/mod.ts";
import { crcWmbus } from "./crc.ts";
import { declaredFormats, expandCompactData } from "./compact_format.ts";

const FILLER = 0x2f;

function hex4(n: number): string {
  return n.toString(16).padStart(4, "0");
}

/** Frame index of every byte of the expanded records (-1: a header byte from the format). */
function origins(expanded: Uint8Array, dataAt: number): number[] {
  const out: number[] = [];
  let pos = 0;
  let d = dataAt;
  while (pos < expanded.length) {
    const h = readRecordSpan(expanded, pos, true);
    if ("code" in h) break;
    const end = h.dataAt + h.dataLength;
    for (let i = pos; i < h.headerEnd; i++) out.push(-1);
    for (let i = h.headerEnd; i < end; i++) out.push(d++);
    pos = end;
  }
  return out;
}

/**
 * Explains a compact payload starting at frame index `at`.
 *
 * @param sink The analysis.
 * @param b The (decrypted) frame.
 * @param at Index of the first payload byte (after the TPL header).
 * @param manufacturer The meter's manufacturer.
 * @param deviceType The meter's device type.
 */
export function analyzeCompact(
  sink: SpanSink,
  b: Uint8Array,
  at: number,
  manufacturer: string,
  deviceType: number,
): void {
  let p = at;
  if (b[p] === FILLER && b[p + 1] === FILLER) {
    sink.add(b, p, 2, "app", "check", "2F 2F decryption check bytes");
    p += 2;
  }
  if (b.length - p < 4) {
    sink.add(b, p, b.length - p, "app", "compact", "truncated header", false);
    return;
  }
  const sig = (b[p] ?? 0) | ((b[p + 1] ?? 0) << 8);
  const crc = (b[p + 2] ?? 0) | ((b[p + 3] ?? 0) << 8);
  const format = declaredFormats(manufacturer, deviceType).get(sig);
  sink.add(
    b,
    p,
    2,
    "app",
    "format signature",
    format === undefined
      ? `0x${
        hex4(sig)
      }: CRC of the full frame's DIF/VIF bytes; not a declared format (needs a full frame of the meter)`
      : `0x${hex4(sig)}: declared format for ${manufacturer}/0x${
        deviceType.toString(16).padStart(2, "0")
      }`,
    format !== undefined,
  );
  const dataAt = p + 4;
  const expanded = format === undefined
    ? null
    : expandCompactData(format, b.subarray(dataAt));
  const crcOk = expanded !== null && crcWmbus(expanded) === crc;
  sink.add(
    b,
    p + 2,
    2,
    "app",
    "data CRC",
    expanded === null
      ? `0x${hex4(crc)}: CRC of the full frame's records (not checked)`
      : `0x${hex4(crc)}: CRC of the full frame's records, ${
        crcOk ? "matches" : "does not match"
      }`,
    crcOk,
  );
  if (format === undefined || expanded === null) {
    sink.add(
      b,
      dataAt,
      b.length - dataAt,
      "app",
      "compact data",
      "data bytes without DIF/VIF: format unknown",
      false,
    );
    return;
  }
  const from = origins(expanded, dataAt);
  const inner = new SpanSink();
  analyzeRecords(inner, expanded, 0);
  let end = dataAt;
  for (const s of inner.spans) {
    const n = s.hex.length / 2;
    const first = from[s.offset] ?? -1;
    if (first < 0) continue; // DIF/VIF bytes come from the format, not the frame
    sink.add(b, first, n, "app", s.field, s.meaning, s.understood);
    end = Math.max(end, first + n);
  }
  if (end < b.length) {
    sink.add(
      b,
      end,
      b.length - end,
      "app",
      "after the records",
      "not covered by the format",
      b.subarray(end).every((x) => x === FILLER),
    );
  }
}
