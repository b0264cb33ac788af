/**
 * Splits application data into data records (DIF/DIFE/VIF/VIFE + data) the way the
 * drivers need them: raw header bytes, storage/tariff/subunit, measurement type and the
 * data bytes. Never throws; stops at the first malformed record.
 *
 * @module
 */

/** Measurement type from DIF bits 4–5. */
export type MeasurementType = "instantaneous" | "maximum" | "minimum" | "error";

const MEASUREMENT_TYPES: readonly MeasurementType[] = [
  "instantaneous",
  "maximum",
  "minimum",
  "error",
];

/** One data record, as the driver engine matches it. */
export interface DvEntry {
  /** Byte offset of the DIF in the data. */
  readonly offset: number;
  /** Upper-case hex of DIF, DIFEs, VIF and VIFEs (the wmbusmeters "difvif key"). */
  readonly key: string;
  /** DIF byte. */
  readonly dif: number;
  /** Primary VIF: `0x00–0x7f` plain, `0xfd00 | x` / `0xfb00 | x` extensions, `0x7c` text, `0x7f` manufacturer. */
  readonly vif: number;
  /** Combinable VIFEs after the primary VIF, as 2-digit upper-case hex (bit 7 cleared); `7Fxx`/`7Cxx` for manufacturer and extended VIFEs. */
  readonly combinables: readonly string[];
  /** Measurement type. */
  readonly mt: MeasurementType;
  /** Storage number. */
  readonly storage: number;
  /** Tariff number. */
  readonly tariff: number;
  /** Subunit number. */
  readonly subunit: number;
  /** Data field coding (DIF low nibble). */
  readonly coding: number;
  /** For variable length data (coding `0xd`): the LVAR byte. */
  readonly lvar: number;
  /** The data bytes. */
  readonly data: Uint8Array;
}

/** Records found, plus the manufacturer data after DIF `0F`/`1F` and where decoding stopped. */
export interface DvRecords {
  /** The records in telegram order. */
  readonly entries: DvEntry[];
  /** Bytes after DIF `0F`/`1F`, or null. */
  readonly manufacturerData: Uint8Array | null;
  /** Set when a record was truncated or malformed. */
  readonly error: { readonly code: string; readonly offset: number } | null;
}

const FIXED_LENGTHS = [
  0,
  1,
  2,
  3,
  4,
  4,
  6,
  8,
  0,
  1,
  2,
  3,
  4,
  -1,
  6,
  0,
] as const;

/**
 * Length of the data of a fixed-size DIF coding, or -1 for variable length.
 *
 * @param dif The DIF byte.
 * @returns Number of data bytes (`-1` for LVAR).
 */
export function difDataLength(dif: number): number {
  return FIXED_LENGTHS[dif & 0x0f] ?? 0;
}

/** Length of LVAR data for the LVAR byte. */
function lvarLength(lvar: number): number {
  if (lvar <= 0xbf) return lvar;
  if (lvar <= 0xcf) return lvar - 0xc0;
  if (lvar <= 0xdf) return lvar - 0xd0;
  if (lvar <= 0xef) return lvar - 0xe0;
  if (lvar <= 0xfa) return 4 * (lvar - 0xec);
  return 0;
}

/** Reads the header (DIF…VIFE) at `start`; returns its fields and end, or null. */
function readHeader(data: Uint8Array, start: number, collect = true): {
  dif: number;
  storage: number;
  tariff: number;
  subunit: number;
  vif: number;
  combinables: string[];
  end: number;
} | null {
  let pos = start;
  const dif = data[pos++];
  if (dif === undefined) return null;
  let storage = (dif >> 6) & 1;
  let tariff = 0;
  let subunit = 0;
  let ext = dif & 0x80;
  let i = 0;
  while (ext !== 0) {
    const dife = data[pos++];
    if (dife === undefined || i >= 10) return null;
    storage |= (dife & 0x0f) << (1 + 4 * i);
    tariff |= ((dife >> 4) & 3) << (2 * i);
    subunit |= ((dife >> 6) & 1) << i;
    ext = dife & 0x80;
    i++;
  }
  const vifByte = data[pos++];
  if (vifByte === undefined) return null;
  let vif = vifByte & 0x7f;
  let more = vifByte & 0x80;
  if (vifByte === 0xfd || vifByte === 0xfb) {
    const x = data[pos++];
    if (x === undefined) return null;
    vif = (vifByte << 8) | (x & 0x7f);
    more = x & 0x80;
  }
  const combinables: string[] = collect ? [] : NONE;
  let count = 0;
  while (more !== 0) {
    const vife = data[pos++];
    if (vife === undefined || count++ > 10) return null;
    more = vife & 0x80;
    if (((vife & 0x7f) === 0x7f || (vife & 0x7f) === 0x7c) && more !== 0) {
      const next = data[pos++];
      if (next === undefined) return null;
      more = next & 0x80;
      if (collect) combinables.push(hex2(vife & 0x7f) + hex2(next & 0x7f));
    } else if (collect) {
      combinables.push(hex2(vife & 0x7f));
    }
  }
  return { dif, storage, tariff, subunit, vif, combinables, end: pos };
}

/** The combinables of a header read without them (always empty). */
const NONE: string[] = [];

/** Upper-case 2-digit hex of every byte value. */
const HEX2: readonly string[] = Array.from(
  { length: 256 },
  (_, b) => b.toString(16).toUpperCase().padStart(2, "0"),
);

function hex2(b: number): string {
  return HEX2[b & 0xff] ?? "";
}

/** Upper-case hex of `data[from..to)`. */
function keyOf(data: Uint8Array, from: number, to: number): string {
  let s = "";
  for (let i = from; i < to; i++) s += HEX2[data[i] ?? 0] ?? "";
  return s;
}

/** Where a record walk stopped: manufacturer data after `0F`/`1F`, or a malformed record. */
interface WalkEnd {
  readonly manufacturerData: Uint8Array | null;
  readonly error: { readonly code: string; readonly offset: number } | null;
}

/** Data position of one record found by {@link walkRecords}. */
type Visit = (
  pos: number,
  h: NonNullable<ReturnType<typeof readHeader>>,
  end: number,
  len: number,
  lvar: number,
) => void;

/** Walks the records of `data`, calling `visit` for each; stops like {@link splitRecords}. */
function walkRecords(
  data: Uint8Array,
  collect: boolean,
  visit: Visit,
): WalkEnd {
  let pos = 0;
  while (pos < data.length) {
    const dif = data[pos] ?? 0x2f;
    if (dif === 0x2f) {
      pos++;
      continue;
    }
    if (dif === 0x0f || dif === 0x1f) {
      return { manufacturerData: data.subarray(pos + 1), error: null };
    }
    const h = readHeader(data, pos, collect);
    if (h === null) {
      return {
        manufacturerData: null,
        error: { code: "TRUNCATED_RECORD", offset: pos },
      };
    }
    let end = h.end;
    let lvar = 0;
    let len = difDataLength(dif);
    if (h.vif === 0x7c) {
      // Plain-text VIF: length and ASCII unit follow the VIF.
      const n = data[end] ?? 0;
      end += 1 + n;
    }
    if (len < 0) {
      lvar = data[end] ?? 0;
      end++;
      len = lvarLength(lvar);
    }
    if (end + len > data.length) {
      return {
        manufacturerData: null,
        error: { code: "TRUNCATED_RECORD", offset: pos },
      };
    }
    visit(pos, h, end, len, lvar);
    pos = end + len;
  }
  return { manufacturerData: null, error: null };
}

/**
 * Splits DIF/VIF records.
 *
 * @param data Application data (fillers `2F` allowed).
 * @returns The records, manufacturer data and the first error.
 */
export function splitRecords(data: Uint8Array): DvRecords {
  const entries: DvEntry[] = [];
  const stop = walkRecords(data, true, (pos, h, end, len, lvar) => {
    entries.push({
      offset: pos,
      key: keyOf(data, pos, h.end),
      dif: h.dif,
      vif: h.vif,
      combinables: h.combinables,
      mt: MEASUREMENT_TYPES[(h.dif >> 4) & 3] ?? "instantaneous",
      storage: h.storage,
      tariff: h.tariff,
      subunit: h.subunit,
      coding: h.dif & 0x0f,
      lvar,
      data: data.subarray(end, end + len),
    });
  });
  return {
    entries,
    manufacturerData: stop.manufacturerData,
    error: stop.error,
  };
}

/**
 * Rebuilds full-frame record bytes from a compact frame: the format (DIF/VIF headers
 * only) and the data bytes in the same order.
 *
 * @param format The DIF/VIF header bytes of the full frame.
 * @param data The compact data.
 * @returns Record bytes, or null when the format does not fit the data.
 */
export function expandCompact(
  format: Uint8Array,
  data: Uint8Array,
): Uint8Array | null {
  const out: number[] = [];
  let pos = 0;
  let dpos = 0;
  while (pos < format.length) {
    const h = readHeader(format, pos);
    if (h === null) return null;
    const len = difDataLength(h.dif);
    if (len < 0 || dpos + len > data.length) return null;
    for (let i = pos; i < h.end; i++) out.push(format[i] ?? 0);
    for (let i = 0; i < len; i++) out.push(data[dpos + i] ?? 0);
    dpos += len;
    pos = h.end;
  }
  return Uint8Array.from(out);
}

/**
 * The DIF/VIF header bytes of every record, concatenated (the compact-frame format).
 *
 * @param data Full-frame record bytes.
 * @returns The header bytes.
 */
export function formatOf(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  walkRecords(data, false, (pos, h) => {
    for (let i = pos; i < h.end; i++) out.push(data[i] ?? 0);
  });
  return Uint8Array.from(out);
}
