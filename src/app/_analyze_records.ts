/**
 * Byte-by-byte explanation of the data records (part of `analyze.ts`): DIF, DIFEs, VIF,
 * plain-text unit, VIFEs, LVAR and data of each record the one walker finds, fillers,
 * manufacturer data and where the records stop.
 *
 * @module
 */
import { decodeRecords } from "./decode_records.ts";
import { interpretVib } from "./_vib.ts";
import { type RecordSpan, walkRecords } from "./walk_records.ts";
import type { SpanSink as Sink } from "./_analyze_sink.ts";
import { byteHex } from "../util/mod.ts";

const FUNCTIONS = ["instantaneous", "maximum", "minimum", "value during error"];
const CODINGS = [
  "no data",
  "8-bit integer",
  "16-bit integer",
  "24-bit integer",
  "32-bit integer",
  "32-bit real",
  "48-bit integer",
  "64-bit integer",
  "selection for readout",
  "2-digit BCD",
  "4-digit BCD",
  "6-digit BCD",
  "8-digit BCD",
  "variable length",
  "12-digit BCD",
  "special function",
];

function recordSpans(
  sink: Sink,
  b: Uint8Array,
  s: RecordSpan,
  value: string,
): void {
  const dif = s.dif;
  sink.add(
    b,
    s.start,
    1,
    "app",
    "DIF",
    `${CODINGS[dif & 0x0f]}, ${FUNCTIONS[(dif >> 4) & 3]}${
      dif & 0x40 ? ", storage bit" : ""
    }`,
  );
  for (let i = 1; i <= s.difeCount; i++) {
    const e = b[s.start + i] ?? 0;
    sink.add(
      b,
      s.start + i,
      1,
      "app",
      "DIFE",
      `storage bits ${e & 0x0f}, tariff bits ${(e >> 4) & 3}, subunit bit ${
        (e >> 6) & 1
      }`,
    );
  }
  const vib = interpretVib(b, s);
  const unit = vib.info.unit === "" ? "" : ` (${vib.info.unit})`;
  const ext = s.vif === 0xfd || s.vif === 0xfb;
  sink.add(
    b,
    s.vifAt,
    1,
    "app",
    "VIF",
    ext ? `extension table ${byteHex(s.vif)}` : `${vib.info.quantity}${unit}`,
    vib.info.kind !== "reserved",
  );
  if (ext) {
    sink.add(
      b,
      s.vifAt + 1,
      1,
      "app",
      "VIFE",
      `${vib.info.quantity}${unit}`,
      vib.info.kind !== "reserved",
    );
  }
  if (s.textAt >= 0) {
    sink.add(b, s.textAt, 1, "app", "text length", String(b[s.textAt] ?? 0));
    sink.add(
      b,
      s.textAt + 1,
      s.combinableAt - s.textAt - 1,
      "app",
      "unit text",
      `"${vib.text ?? ""}"`,
    );
  }
  for (let at = s.combinableAt; at < s.headerEnd; at++) {
    const d = vib.descriptions[at - s.combinableAt] ??
      "extension of the next VIFE";
    sink.add(b, at, 1, "app", "VIFE", d, d !== "Reserved");
  }
  if (s.lvar >= 0) {
    sink.add(b, s.headerEnd, 1, "app", "LVAR", `${s.dataLength} bytes`);
  }
  sink.add(b, s.dataAt, s.dataLength, "app", "data", value);
}

/**
 * Explains the data records of variable data.
 *
 * @param sink Span collector.
 * @param b The bytes.
 * @param at Index of the first record byte.
 * @param msbFirst Mode 2 data (CI 0x76).
 */
export function analyzeRecords(
  sink: Sink,
  b: Uint8Array,
  at: number,
  msbFirst = false,
): void {
  const data = b.subarray(at);
  const walk = walkRecords(data);
  const decoded = decodeRecords(data, { msbFirst }).records;
  const shifted = sink.fork();
  let pos = 0;
  const fillers = (to: number): void => {
    shifted.add(data, pos, to - pos, "app", "filler", "idle filler (2F)");
    pos = to;
  };
  walk.spans.forEach((s, i) => {
    fillers(s.start);
    const r = decoded[i];
    const v = r === undefined
      ? ""
      : `${JSON.stringify(r.value)}${r.unit === "" ? "" : ` ${r.unit}`}`;
    recordSpans(shifted, data, s, `${r?.quantity ?? ""}: ${v}`);
    pos = s.end;
  });
  if (walk.stop !== "error") fillers(walk.stopAt);
  const rest = walk.stopAt + 1;
  switch (walk.stop) {
    case "manufacturer":
    case "more_records":
      shifted.add(
        data,
        walk.stopAt,
        1,
        "app",
        "DIF",
        walk.stop === "manufacturer"
          ? "manufacturer data follow"
          : "manufacturer data follow, more records in the next telegram",
      );
      shifted.add(
        data,
        rest,
        data.length - rest,
        "app",
        "manufacturer data",
        "manufacturer specific, not interpreted",
        false,
      );
      break;
    case "global_readout":
      shifted.add(data, walk.stopAt, 1, "app", "DIF", "global readout request");
      shifted.add(data, rest, data.length - rest, "app", "rest", "ignored");
      break;
    case "reserved_dif":
    case "error": {
      let q = pos;
      while (q < data.length && data[q] === 0x2f) q++;
      fillers(q);
      shifted.add(
        data,
        q,
        data.length - q,
        "app",
        "not understood",
        walk.error?.message ?? "not understood",
        false,
      );
      sink.notes.push(walk.error?.message ?? "records stop early");
      break;
    }
    case "end":
      break;
  }
  for (const sp of shifted.spans) {
    sink.add(
      b,
      at + sp.offset,
      sp.hex.length / 2,
      sp.layer,
      sp.field,
      sp.meaning,
      sp.understood,
    );
  }
}
