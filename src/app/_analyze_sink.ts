/**
 * The shapes of an analysis (fields with offset, hex, layer, meaning) and the collector
 * the analyzers fill (part of `analyze.ts`).
 *
 * @module
 */
import { byteHex } from "../util/mod.ts";

/** One field of the analysed bytes. */
export interface AnalyzeSpan {
  /** Offset of the field's first byte in the input. */
  offset: number;
  /** The field's bytes, lowercase hex (as they are read: decrypted when decrypted). */
  hex: string;
  /** Layer: `link`, `ell`, `afl`, `tpl`, `app`, `crc`. */
  layer: string;
  /** Field name (`DIF`, `VIF`, `data`, `ID`, …). */
  field: string;
  /** What it means. */
  meaning: string;
  /** False for bytes the analyzer could not explain. */
  understood: boolean;
}

/** The analysis of one frame or telegram. */
export interface AnalyzeResult {
  /** What the bytes were taken for. */
  kind: "wired" | "wireless" | "invalid";
  /** Number of input bytes. */
  length: number;
  /** The fields in input order. */
  spans: AnalyzeSpan[];
  /** Notes (decryption, CRC format, where decoding stopped). */
  notes: string[];
  /** Number of input bytes inside spans that were not understood. */
  notUnderstood: number;
}

/** Collects spans; `at` maps an index of the analysed bytes to the input offset. */
export class SpanSink {
  /** The spans so far. */
  readonly spans: AnalyzeSpan[] = [];
  /** Notes so far. */
  readonly notes: string[] = [];
  readonly #at: (i: number) => number;

  /**
   * A collector with the identity offset map that shares this one's notes.
   *
   * @returns The new collector.
   */
  fork(): SpanSink {
    return new SpanSink();
  }

  /** @param at Input offset of an index of the analysed bytes (identity by default). */
  constructor(at: (i: number) => number = (i) => i) {
    this.#at = at;
  }

  /**
   * Adds a field.
   *
   * @param bytes The analysed bytes.
   * @param from First index.
   * @param length Byte count (0 adds nothing).
   * @param layer Layer name.
   * @param field Field name.
   * @param meaning Meaning.
   * @param understood False when not understood.
   */
  add(
    bytes: Uint8Array,
    from: number,
    length: number,
    layer: string,
    field: string,
    meaning: string,
    understood = true,
  ): void {
    if (length <= 0 || from >= bytes.length) return;
    let hex = "";
    for (let i = from; i < from + length && i < bytes.length; i++) {
      hex += byteHex(bytes[i] ?? 0);
    }
    this.spans.push({
      offset: this.#at(from),
      hex,
      layer,
      field,
      meaning,
      understood,
    });
  }
}

/**
 * Finishes an analysis: spans in input order and the count of bytes not understood.
 *
 * @param kind What the bytes were.
 * @param length Input length.
 * @param sink The spans and notes.
 * @returns The result.
 */
export function analyzeResult(
  kind: AnalyzeResult["kind"],
  length: number,
  sink: SpanSink,
): AnalyzeResult {
  const spans = [...sink.spans].sort((a, b) => a.offset - b.offset);
  let notUnderstood = 0;
  for (const s of spans) if (!s.understood) notUnderstood += s.hex.length / 2;
  return { kind, length, spans, notes: sink.notes, notUnderstood };
}
