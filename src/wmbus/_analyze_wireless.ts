/**
 * The wireless layers of the analyzer (part of `analyze.ts`): DLL with its block CRCs,
 * ELL (decrypted with the key when one fits), AFL and TPL, then the application layer.
 *
 * @module
 */
import {
  analyzeHeader,
  analyzeRecords,
  type AnalyzeResult,
  analyzeResult,
  mediumName,
  SpanSink,
} from "../app/mod.ts";
import { byteHex } from "../util/mod.ts";

function toHexLower(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += byteHex(x);
  return s;
}
import { decodeLinkFrame, formatManufacturer, formatWmbusId } from "./link.ts";
import { isManufacturerCi } from "./constants.ts";
import { parseTelegram } from "./parse_telegram.ts";
import type { EllHeader, WmbusTelegram } from "./telegram.ts";
import { decodeEll } from "./ell.ts";
import { ciName, cName } from "./_analyze_names.ts";

export { ciName, cName };
import { aflMacLength } from "./afl.ts";
import { analyzeCompact } from "./_analyze_compact.ts";

/** Input offsets of the bytes of a frame whose CRCs were removed, and of the CRCs. */
function crcMap(
  format: string,
  inputLength: number,
  frameLength: number,
): { at: (i: number) => number; crcs: number[] } {
  const crcs: number[] = [];
  if (format === "A") {
    crcs.push(10);
    for (let data = 10; data < frameLength; data += 16) {
      const at = 12 + ((data - 10) / 16) * 18;
      crcs.push(at + Math.min(16, frameLength - data));
    }
    return {
      at: (i) => i < 10 ? i : i + 2 + 2 * Math.floor((i - 10) / 16),
      crcs,
    };
  }
  if (format === "B") {
    if (inputLength > 128) crcs.push(126);
    crcs.push(inputLength - 2);
    return { at: (i) => (i < 126 ? i : i + 2), crcs };
  }
  return { at: (i) => i, crcs };
}

/**
 * Explains a wireless telegram.
 *
 * @param input The bytes.
 * @param key A key for encrypted payloads.
 * @returns The analysis.
 */
export function analyzeWireless(
  input: Uint8Array,
  key: Uint8Array | undefined,
): AnalyzeResult {
  const link = decodeLinkFrame(input);
  if (!link.ok) {
    const sink = new SpanSink();
    sink.add(
      input,
      0,
      input.length,
      "link",
      "frame",
      link.error.message,
      false,
    );
    return analyzeResult("invalid", input.length, sink);
  }
  const b = link.value.frame;
  const map = crcMap(link.value.format, input.length, b.length);
  const sink = new SpanSink(map.at);
  for (const at of map.crcs) {
    sink.spans.push({
      offset: at,
      hex: byteHex(input[at] ?? 0) + byteHex(input[at + 1] ?? 0),
      layer: "crc",
      field: "CRC",
      meaning: `format ${link.value.format} block CRC, matches`,
      understood: true,
    });
  }
  sink.notes.push(...link.value.warnings);
  sink.add(
    b,
    0,
    1,
    "link",
    "L",
    `${b[0] ?? 0} bytes follow (CRCs not counted)`,
  );
  sink.add(b, 1, 1, "link", "C", cName(b[1] ?? 0));
  const m = (b[2] ?? 0) | ((b[3] ?? 0) << 8);
  sink.add(b, 2, 2, "link", "M", formatManufacturer(m));
  sink.add(b, 4, 4, "link", "ID", formatWmbusId(b.subarray(4, 8)));
  sink.add(b, 8, 1, "link", "version", `version ${b[8] ?? 0}`);
  sink.add(b, 9, 1, "link", "device type", mediumName(b[9] ?? 0));
  const parsed = parseTelegram(
    input,
    key === undefined ? {} : { key },
  );
  const t = parsed.ok ? parsed.value : null;
  if (!parsed.ok) sink.notes.push(parsed.error.message);
  layers(sink, b, 10, t, key);
  if (link.value.format === "none" && input.length > b.length) {
    sink.spans.push({
      offset: b.length,
      hex: toHexLower(input.subarray(b.length)),
      layer: "link",
      field: "trailing",
      meaning: "after the frame (L counts fewer bytes): ignored",
      understood: false,
    });
  }
  return analyzeResult("wireless", input.length, sink);
}

/** Explains ELL, AFL, TPL and the application layer from `at` on. */
function layers(
  sink: SpanSink,
  frame: Uint8Array,
  start: number,
  t: WmbusTelegram | null,
  key: Uint8Array | undefined,
): void {
  let b = frame;
  let at = start;
  const plain = t !== null && t.decrypted ? t.payload : null;
  const payloadAt = plain === null ? -1 : b.length - plain.length;
  for (let guard = 0; guard < 4 && at < b.length; guard++) {
    const ci = b[at] ?? 0;
    sink.add(b, at, 1, layerOf(ci), "CI", ciName(ci));
    at++;
    if (ci === 0x86) {
      ellCcAcc(sink, b, at);
      sink.add(
        b,
        at + 2,
        b.length - at - 2,
        "ell",
        "ELL V fields",
        "ELL V (variable length): the fields after CC and ACC are not supported",
        false,
      );
      return;
    }
    if (ci >= 0x8c && ci <= 0x8f) {
      const e = decodeEll(b.subarray(at - 1), {
        dll: b.subarray(0, 10),
        offset: at - 1,
        keys: key === undefined ? [] : [key],
      });
      at = ell(sink, b, at, ci, e.ok ? e.value.ell : null);
      if (!e.ok) {
        sink.add(
          b,
          at,
          b.length - at,
          "ell",
          e.error.code === "WRONG_KEY" ? "encrypted" : "payload",
          e.error.message,
          false,
        );
        return;
      }
      if (e.ok && e.value.encrypted) {
        if (!e.value.plain) {
          sink.add(
            b,
            at,
            b.length - at,
            "ell",
            "encrypted",
            "AES-CTR, no key fits",
            false,
          );
          return;
        }
        sink.notes.push("ELL payload decrypted (AES-CTR)");
        const rest = e.value.rest;
        const copy = b.slice();
        copy.set(rest, b.length - rest.length);
        b = copy;
      }
      continue;
    }
    if (ci === 0x90) {
      at = afl(sink, b, at);
      continue;
    }
    if (isManufacturerCi(ci)) {
      sink.add(
        b,
        at,
        b.length - at,
        "app",
        "manufacturer data",
        "not interpreted",
        false,
      );
      return;
    }
    const view = b.slice();
    if (plain !== null && payloadAt >= 0) view.set(plain, payloadAt);
    tpl(sink, b, view, at, ci, t, payloadAt);
    return;
  }
}

function layerOf(ci: number): string {
  if ((ci >= 0x8c && ci <= 0x8f) || ci === 0x86) return "ell";
  return ci === 0x90 ? "afl" : "tpl";
}

/** The CC and ACC bytes every ELL form starts with. */
function ellCcAcc(sink: SpanSink, b: Uint8Array, at: number): void {
  sink.add(
    b,
    at,
    1,
    "ell",
    "CC",
    `communication control 0x${byteHex(b[at] ?? 0)}`,
  );
  sink.add(b, at + 1, 1, "ell", "ACC", `access number ${b[at + 1] ?? 0}`);
}

function ell(
  sink: SpanSink,
  b: Uint8Array,
  at: number,
  ci: number,
  header: EllHeader | null,
): number {
  ellCcAcc(sink, b, at);
  let p = at + 2;
  if (ci === 0x8e || ci === 0x8f) {
    sink.add(b, p, 8, "ell", "M2 A2", "second address");
    p += 8;
  }
  if (ci === 0x8d || ci === 0x8f) {
    const sn = header?.encryption ?? ((b[p + 3] ?? 0) >> 5);
    sink.add(
      b,
      p,
      4,
      "ell",
      "SN",
      sn === 1 ? "session number, AES-CTR" : "session number, no encryption",
    );
    p += 4;
    const ok = header?.payloadCrcOk;
    sink.add(
      b,
      p,
      2,
      "ell",
      "payload CRC",
      ok === false ? "does not match" : "CRC of the payload",
      ok !== false,
    );
    p += 2;
  }
  return p;
}

function afl(sink: SpanSink, b: Uint8Array, at: number): number {
  const len = b[at] ?? 0;
  sink.add(b, at, 1, "afl", "AFL.L", `${len} bytes follow`);
  const fcl = (b[at + 1] ?? 0) | ((b[at + 2] ?? 0) << 8);
  sink.add(
    b,
    at + 1,
    2,
    "afl",
    "FCL",
    `fragment ${fcl & 0xff}${
      fcl & 0x4000 ? ", more fragments follow" : ", last fragment"
    }`,
  );
  const end = at + 1 + len;
  let p = at + 3;
  const field = (n: number, name: string, meaning: string): void => {
    const k = Math.max(0, Math.min(n, end - p));
    sink.add(b, p, k, "afl", name, meaning, k === n);
    p += k;
  };
  let macLength = 0;
  if (fcl & 0x2000) {
    const mcl = b[p] ?? 0;
    macLength = aflMacLength(mcl);
    field(1, "MCL", `message control: authentication type ${mcl & 0x0f}`);
  }
  if (fcl & 0x0200) field(2, "KI", "key information");
  if (fcl & 0x0800) {
    const mcr = (b[p] ?? 0) | ((b[p + 1] ?? 0) << 8) |
      ((b[p + 2] ?? 0) << 16) | ((b[p + 3] ?? 0) * 2 ** 24);
    field(4, "MCR", `message counter ${mcr}`);
  }
  if (fcl & 0x0400) field(macLength, "MAC", `${macLength}-byte MAC (mode 7)`);
  if (fcl & 0x1000) {
    field(2, "ML", `message length ${(b[p] ?? 0) | ((b[p + 1] ?? 0) << 8)}`);
  }
  sink.add(b, p, end - p, "afl", "AFL rest", "not announced by FCL", false);
  return at + 1 + len;
}

function tpl(
  sink: SpanSink,
  b: Uint8Array,
  view: Uint8Array,
  at: number,
  ci: number,
  t: WmbusTelegram | null,
  payloadAt: number,
): void {
  const long = ci === 0x72 || ci === 0x73 || ci === 0x76;
  const short = ci === 0x7a || ci === 0x7b;
  if (!long && !short && ci !== 0x78 && ci !== 0x79) {
    sink.add(
      b,
      at,
      b.length - at,
      "tpl",
      "data",
      "CI not known: not interpreted",
      false,
    );
    return;
  }
  let p = at;
  if (long || short) {
    const cfg = (b[p + (long ? 10 : 2)] ?? 0) |
      ((b[p + (long ? 11 : 3)] ?? 0) << 8);
    const mode = (cfg >> 8) & 0x1f;
    p = analyzeHeader(
      sink,
      b,
      p,
      long,
      "tpl",
      `configuration: security mode ${mode}${
        mode === 0
          ? " (none)"
          : mode === 2 || mode === 3
          ? " (DES-CBC)"
          : `, ${(cfg >> 4) & 0x0f} encrypted blocks`
      }`,
    );
    if (mode === 7) {
      sink.add(b, p, 1, "tpl", "CFG extension", "mode 7 key derivation");
      p++;
    }
    if (mode !== 0 && (t === null || !t.decrypted)) {
      sink.add(
        b,
        p,
        b.length - p,
        "tpl",
        "encrypted",
        `security mode ${mode}, no key fits`,
        false,
      );
      return;
    }
    if (mode !== 0) {
      sink.notes.push(`TPL payload decrypted (security mode ${mode})`);
    }
  }
  const records = payloadAt >= p ? view : b;
  if (ci === 0x79 || ci === 0x7b || ci === 0x73) {
    analyzeCompact(
      sink,
      records,
      p,
      t?.manufacturer ?? "",
      t?.deviceType ?? 0,
    );
    return;
  }
  analyzeRecords(sink, records, p);
}
