/**
 * Reading the libmbus corpus in place (../shared/corpus/libmbus) and comparing our decoder
 * with its normalised XML. Shared by the conformance test and scripts/corpus_libmbus.ts.
 *
 * @module
 */
import { parseHex } from "../../src/util/mod.ts";
import { decodeFrame } from "../../src/link/mod.ts";
import {
  type DataRecord,
  decodeUserData,
  type Telegram,
} from "../../src/app/mod.ts";

/** The corpus folder. */
export const CORPUS_DIR = new URL(
  "../../../shared/corpus/libmbus/",
  import.meta.url,
);

/** True when the corpus folder can be read. */
export function corpusPresent(): boolean {
  try {
    return Deno.statSync(new URL("test-frames/", CORPUS_DIR)).isDirectory;
  } catch {
    return false;
  }
}

/** Names (without extension) of the files in a corpus subfolder with the given suffix. */
export function corpusNames(folder: string, suffix = ".hex"): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(new URL(`${folder}/`, CORPUS_DIR))) {
    if (e.isFile && e.name.endsWith(suffix)) {
      out.push(e.name.slice(0, -suffix.length));
    }
  }
  return out.sort();
}

/** Reads a corpus file as text. */
export function readCorpusText(folder: string, file: string): string {
  return Deno.readTextFileSync(new URL(`${folder}/${file}`, CORPUS_DIR));
}

/** One libmbus record of a `.norm.xml`. */
export interface RefRecord {
  fields: Record<string, string>;
}

/** A parsed `.norm.xml`: slave information and records. */
export interface RefDocument {
  slave: Record<string, string>;
  records: RefRecord[];
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}

function tags(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of block.matchAll(/<(\w+)>([^<]*)<\/\1>/g)) {
    out[m[1] ?? ""] = unescapeXml(m[2] ?? "");
  }
  return out;
}

/** Parses libmbus's normalised XML with a small regex reader. */
export function parseNormXml(xml: string): RefDocument {
  const slave = /<SlaveInformation>([\s\S]*?)<\/SlaveInformation>/.exec(xml);
  const records: RefRecord[] = [];
  for (const m of xml.matchAll(/<DataRecord[^>]*>([\s\S]*?)<\/DataRecord>/g)) {
    records.push({ fields: tags(m[1] ?? "") });
  }
  return { slave: tags(slave?.[1] ?? ""), records };
}

/** Decodes a corpus `.hex` frame: link layer then user data. */
export function decodeHexFrame(
  hex: string,
): { ok: true; telegram: Telegram } | {
  ok: false;
  code: string;
  message: string;
} {
  const bytes = parseHex(hex);
  if (!bytes.ok) {
    return { ok: false, code: bytes.error.code, message: bytes.error.message };
  }
  const frame = decodeFrame(bytes.value);
  if (!frame.ok) {
    return { ok: false, code: frame.error.code, message: frame.error.message };
  }
  const f = frame.value;
  if (f.type !== "long" && f.type !== "control") {
    return { ok: false, code: "NO_USER_DATA", message: `frame is ${f.type}` };
  }
  const t = decodeUserData(
    f.ci,
    f.type === "long" ? f.data : new Uint8Array(0),
  );
  if (!t.ok) return { ok: false, code: t.error.code, message: t.error.message };
  return { ok: true, telegram: t.value };
}

const FUNCTION_NAMES: Record<string, string> = {
  "Instantaneous value": "instantaneous",
  "Maximum value": "maximum",
  "Minimum value": "minimum",
  "Value during error state": "error",
};

const UNIT_NAMES: Record<string, string> = {
  "-": "",
  "Units for H.C.A.": "HCA",
};

function sameNumber(ours: number, ref: number): boolean {
  if (ours === ref) return true;
  const diff = Math.abs(ours - ref);
  // libmbus prints six decimals: allow that rounding, else a relative error of 1e-9.
  return diff <= 5e-7 + 1e-12 * Math.abs(ref) || diff <= 1e-9 * Math.abs(ref);
}

function hexSpaced(hex: string): string {
  return (hex.match(/../g) ?? []).join(" ").toUpperCase();
}

function compareValue(
  rec: DataRecord,
  ref: string,
  fixed: boolean,
): string | null {
  const v = fixed ? rec.raw : rec.value;
  if (typeof v === "number" && /^-?\d+(\.\d+)?$/.test(ref.trim())) {
    return sameNumber(v, Number(ref)) ? null : `value ${v} != ${ref}`;
  }
  return String(v) === ref
    ? null
    : `value ${JSON.stringify(v)} != ${JSON.stringify(ref)}`;
}

/** Compares one decoded telegram with the reference; returns mismatch lines `#i field: …`. */
export function compareWithReference(t: Telegram, doc: RefDocument): string[] {
  const diffs: string[] = [];
  const fixed = t.ci === 0x73 || t.ci === 0x77;
  const s = doc.slave;
  const h = t.header;
  if (h) {
    // libmbus prints the ID as a number (no leading zeros); we keep all 8 digits.
    const id = h.id.replace(/^0+(?=.)/, "");
    if (s.Id !== undefined && s.Id !== id) {
      diffs.push(`header id ${h.id} != ${s.Id}`);
    }
    if (s.Manufacturer !== undefined && s.Manufacturer !== h.manufacturer) {
      diffs.push(`header manufacturer ${h.manufacturer} != ${s.Manufacturer}`);
    }
    if (s.Version !== undefined && Number(s.Version) !== h.version) {
      diffs.push(`header version ${h.version} != ${s.Version}`);
    }
    if (s.Medium !== undefined && s.Medium !== h.medium.name) {
      diffs.push(`header medium ${h.medium.name} != ${s.Medium}`);
    }
    if (
      s.AccessNumber !== undefined && Number(s.AccessNumber) !== h.accessNumber
    ) {
      diffs.push(`header access ${h.accessNumber} != ${s.AccessNumber}`);
    }
    if (s.Status !== undefined && parseInt(s.Status, 16) !== h.status) {
      diffs.push(`header status ${h.status} != ${s.Status}`);
    }
    if (
      s.Signature !== undefined && parseInt(s.Signature, 16) !== h.signature
    ) {
      diffs.push(`header signature ${h.signature} != ${s.Signature}`);
    }
  }
  const tail = t.manufacturerData !== null || t.moreRecordsFollow ? 1 : 0;
  if (doc.records.length !== t.records.length + tail) {
    diffs.push(
      `record count ${t.records.length + tail} != ${doc.records.length}`,
    );
  }
  for (let i = 0; i < t.records.length; i++) {
    const rec = t.records[i];
    const ref = doc.records[i]?.fields;
    if (!rec || !ref) break;
    const d = (m: string) => diffs.push(`#${i} ${m}`);
    if (!fixed) {
      const fn = FUNCTION_NAMES[ref.Function ?? ""];
      if (fn !== rec.function) d(`function ${rec.function} != ${ref.Function}`);
      if (Number(ref.StorageNumber) !== rec.storage) {
        d(`storage ${rec.storage} != ${ref.StorageNumber}`);
      }
      if (ref.Tariff !== undefined && Number(ref.Tariff) !== rec.tariff) {
        d(`tariff ${rec.tariff} != ${ref.Tariff}`);
      }
      if (ref.Device !== undefined && Number(ref.Device) !== rec.subunit) {
        d(`subunit ${rec.subunit} != ${ref.Device}`);
      }
      const unit = UNIT_NAMES[ref.Unit ?? ""] ?? ref.Unit;
      if (unit !== rec.unit) {
        d(`unit ${JSON.stringify(rec.unit)} != ${JSON.stringify(ref.Unit)}`);
      }
      if (ref.Quantity !== rec.quantity) {
        d(`quantity ${JSON.stringify(rec.quantity)} != ${
          JSON.stringify(ref.Quantity)
        }`);
      }
    }
    const vd = compareValue(rec, ref.Value ?? "", fixed);
    if (vd) d(vd);
  }
  if (tail === 1) {
    const ref = doc.records[t.records.length]?.fields;
    const want = t.moreRecordsFollow
      ? "More records follow"
      : "Manufacturer specific";
    if (ref?.Function !== want) {
      diffs.push(`tail function ${want} != ${ref?.Function}`);
    }
    const ours = hexSpaced(t.manufacturerData ?? "");
    if (ref && ours !== (ref.Value ?? "").trim()) {
      diffs.push(
        `tail value ${JSON.stringify(ours)} != ${JSON.stringify(ref.Value)}`,
      );
    }
  }
  return diffs;
}
