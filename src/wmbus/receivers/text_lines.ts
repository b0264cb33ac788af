/**
 * Text receivers: rtl_wmbus lines (doc §12.3) and raw hex lines (doc §12.4), plus a
 * bounded line splitter over byte chunks.
 *
 * @module
 */
import { parseHex } from "../../util/mod.ts";
import type {
  LinkMode,
  ReceivedTelegram,
  ReceiverCodec,
  ReceiverFormat,
} from "./types.ts";

const MAX_LINE = 8192;

/** Splits a byte stream into text lines (LF or CRLF); overlong lines are dropped. */
export class LineSplitter {
  #decoder = new TextDecoder();
  #partial = "";
  #dropped = 0;

  /** Characters dropped from overlong lines. */
  get droppedChars(): number {
    return this.#dropped;
  }

  /**
   * Feeds bytes.
   *
   * @param chunk Bytes.
   * @returns The lines completed (without line ends).
   */
  push(chunk: Uint8Array): string[] {
    const text = this.#partial + this.#decoder.decode(chunk, { stream: true });
    const parts = text.split("\n");
    this.#partial = parts.pop() ?? "";
    if (this.#partial.length > MAX_LINE) {
      this.#dropped += this.#partial.length;
      this.#partial = "";
    }
    return parts.map((l) => l.endsWith("\r") ? l.slice(0, -1) : l).filter(
      (l) => {
        if (l.length <= MAX_LINE) return true;
        this.#dropped += l.length;
        return false;
      },
    );
  }
}

function hexTelegram(text: string): Uint8Array | null {
  const clean = text.trim().replace(/^0x/i, "").replace(/[_|]/g, "");
  if (clean.length === 0) return null;
  const r = parseHex(clean);
  return r.ok && r.value.length > 0 ? r.value : null;
}

/**
 * Parses one rtl_wmbus output line
 * (`MODE;CRC_OK;3OF6_OK;TIMESTAMP;PACKET_RSSI;CURRENT_RSSI;LINK_LAYER_ID;0xHEX`).
 * Diagnostic lines, lines with CRC_OK = 0 and unparsable hex give an empty list; a
 * second `;0x…` telegram on the line is returned too.
 *
 * @param line One line.
 * @param receivedAt Time stamp for the telegrams.
 * @returns Telegrams on the line.
 */
export function parseRtlWmbusLine(
  line: string,
  receivedAt: number,
): ReceivedTelegram[] {
  const text = line.trim();
  if (/^0x/i.test(text)) {
    const t = hexTelegram(text.split(";")[0] ?? "");
    return t ? [{ telegram: t, receivedAt }] : [];
  }
  const fields = text.split(";");
  const mode = fields[0] ?? "";
  if (!/^(T1|C1|S1)$/.test(mode) || fields[1] !== "1") return [];
  const rssi = Number(fields[4]);
  const out: ReceivedTelegram[] = [];
  for (const f of fields.slice(7)) {
    if (!/^0x/i.test(f.trim())) continue;
    const telegram = hexTelegram(f);
    if (!telegram) continue;
    const t: ReceivedTelegram = { telegram, mode, receivedAt };
    if (fields[4] !== undefined && fields[4] !== "" && Number.isFinite(rssi)) {
      t.rssi = rssi;
    }
    out.push(t);
  }
  return out;
}

/** Fields of an rtl_wmbus line besides the telegram (for {@link formatRtlWmbusLine}). */
export interface RtlWmbusLineOptions {
  /** Link mode. @default "T1" */
  mode?: "T1" | "C1" | "S1";
  /** Time stamp, ms since the epoch (printed as UTC). @default 0 */
  receivedAt?: number;
  /** Packet RSSI in the tool's units. @default 0 */
  rssi?: number;
}

/**
 * Formats a telegram as rtl_wmbus prints it (the simulator's wireless output).
 *
 * @param telegram From L on, CRCs removed.
 * @param options Mode, time, RSSI.
 * @returns One line without line end.
 */
export function formatRtlWmbusLine(
  telegram: Uint8Array,
  options: RtlWmbusLineOptions = {},
): string {
  const time = new Date(options.receivedAt ?? 0).toISOString().replace("T", " ")
    .replace("Z", "");
  let id = "";
  for (let i = 7; i >= 4; i--) {
    id += (telegram[i] ?? 0).toString(16).padStart(2, "0");
  }
  let hex = "";
  for (const b of telegram) hex += b.toString(16).padStart(2, "0");
  return `${options.mode ?? "T1"};1;1;${time};${
    options.rssi ?? 0
  };0;${id};0x${hex.toUpperCase()}`;
}

/**
 * Parses one raw hex line: a telegram from L on; whitespace, `_` and `|` markers and a
 * `telegram=|…|` wrapper are ignored; `#` starts a comment line.
 *
 * @param line One line.
 * @param receivedAt Time stamp.
 * @returns The telegram, or an empty list for blank, comment or non-hex lines.
 */
export function parseHexLine(
  line: string,
  receivedAt: number,
): ReceivedTelegram[] {
  let text = line.trim();
  if (text.startsWith("#")) return [];
  if (text.startsWith("telegram=")) text = text.slice("telegram=".length);
  const telegram = hexTelegram(text.replace(/\s+/g, ""));
  return telegram ? [{ telegram, receivedAt }] : [];
}

/** A line-based codec (`rtlwmbus` or `hex`). */
export class LineCodec implements ReceiverCodec {
  /** The protocol. */
  readonly format: ReceiverFormat;
  #lines = new LineSplitter();
  #parse: (line: string, receivedAt: number) => ReceivedTelegram[];
  #ignored = 0;

  /**
   * Creates a line decoder.
   *
   * @param format `rtlwmbus` or `hex`.
   */
  constructor(format: "rtlwmbus" | "hex") {
    this.format = format;
    this.#parse = format === "rtlwmbus" ? parseRtlWmbusLine : parseHexLine;
  }

  /** Characters dropped (overlong lines) plus lines that gave no telegram. */
  get droppedBytes(): number {
    return this.#lines.droppedChars + this.#ignored;
  }

  /**
   * Feeds bytes from the device.
   *
   * @param chunk Bytes as read.
   * @param receivedAt Time stamp for the telegrams completed now.
   * @returns The telegrams completed by this chunk.
   */
  push(chunk: Uint8Array, receivedAt: number): ReceivedTelegram[] {
    const out: ReceivedTelegram[] = [];
    for (const line of this.#lines.push(chunk)) {
      const got = this.#parse(line, receivedAt);
      if (got.length === 0 && line.trim() !== "") this.#ignored++;
      out.push(...got);
    }
    return out;
  }

  /**
   * The requests that make the device listen in `mode`.
   *
   * @param mode Link mode.
   * @returns Byte strings to write in order.
   */
  setupRequests(_mode: LinkMode): Uint8Array[] {
    return [];
  }
}
