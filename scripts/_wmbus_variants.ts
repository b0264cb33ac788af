/**
 * A wider differential against the reference decoder (wmbusmeters): the shapes real meters
 * send besides one record per field in a short-TPL telegram.
 *
 * - Record variants (seeded): every DIF data type the record's quantity allows (BCD 2/4/6/8/12
 *   digits, integers 1/2/3/4/6/8 bytes, 32-bit real, negative values), VIF exponents across
 *   the quantity's range, distractor records a field must not take (storage + 1, tariff 1,
 *   subunit 1, another function field), repeated records, shuffled order, and trailing
 *   manufacturer data after `0F`/`1F`.
 * - Framings: short TPL (7A, plain and mode 5), long TPL (72, its own id and
 *   manufacturer), no TPL (78), ELL I (8C) before a TPL, ELL II with AES-CTR (8D, the
 *   Kamstrup shape), mode 7 behind an AFL (90, CMAC) and compact frames (79 after a 78 full
 *   frame of the same format).
 * - The reference's C++ drivers that carry no definition text in its binary (qheat,
 *   qwater): their record matchers written here as data from the public driver sources
 *   (facts: which record means which field), in the same `match{…}` form.
 *
 * @module
 */

import { encodeRecord } from "../src/app/mod.ts";
import { toHex } from "../src/util/mod.ts";
import {
  aesCbcEncrypt,
  crcWmbus,
  deriveKey,
  encryptEllTelegram,
  encryptMode5Telegram,
  KDF_CONSTANT,
  mode7Mac,
  priosXor,
} from "../src/wmbus/mod.ts";
import {
  compareJson,
  type DriverReport,
  emptyReport,
  libraryMatchersOf,
  matchersOf,
  type MatchFacts,
  rng,
  runOurs,
  runReference,
  TEST_KEY,
} from "./_wmbus_reference.ts";

/**
 * Definitions of the reference's C++ drivers whose binary holds no `driver{…}` text, as
 * `match{…}` blocks (storage, tariff, function and VIF range of each field's record) and
 * their detection triples (manufacturer, version, device type; the C++ sources name type
 * before version).
 */
export const CPP_DRIVERS: Readonly<
  Record<
    string,
    {
      readonly def: string;
      readonly triples: readonly (readonly [string, number, number])[];
    }
  >
> = {
  qheat: {
    def: [
      "driver{name=qheat",
      "match{measurement_type=Instantaneous vif_range=ErrorFlags}",
      "match{measurement_type=Instantaneous vif_range=AnyEnergyVIF}",
      "match{measurement_type=Instantaneous storage_nr=17 vif_range=Date}",
      "match{measurement_type=Instantaneous storage_nr=17 vif_range=AnyEnergyVIF}",
      "match{measurement_type=Instantaneous storage_nr=1 vif_range=Date}",
      "match{measurement_type=Instantaneous storage_nr=1 vif_range=AnyEnergyVIF}",
      "match{measurement_type=Instantaneous vif_range=DateTime}",
      "match{measurement_type=AtError vif_range=Date}",
      "}",
    ].join(" "),
    triples: [["QDS", 0x23, 0x04], ["QDS", 0x46, 0x04], ["QDS", 0x23, 0x37]],
  },
  // Diehl PRIOS radio payloads (no records): see priosFrames.
  izar: {
    def: "driver{name=izar prios_payload}",
    triples: [
      ["HYD", 0x85, 0x07],
      ["SAP", 0x15, 0x07],
      ["SAP", 0x00, 0x07],
      ["DME", 0x78, 0x07],
      ["DME", 0x78, 0x06],
      ["HYD", 0x86, 0x07],
    ],
  },
  // Heat cost allocation record, and (RKN0 layout) temperatures in the manufacturer data
  // after 0F when the allocation is a 24-bit record (036E): `mfct_tail` asks the generator
  // to end every payload with 0F and up to that many random bytes.
  hydroclima: {
    def: [
      "driver{name=hydroclima mfct_tail=30",
      "match{measurement_type=Instantaneous vif_range=HeatCostAllocation}",
      "match{difvifkey=036E}",
      "}",
    ].join(" "),
    triples: [["BMP", 0x53, 0x08]],
  },
  qwater: {
    def: [
      "driver{name=qwater library{use=meter_datetime,total_m3}",
      "match{measurement_type=Instantaneous vif_range=Volume storage_nr=1}",
      "match{measurement_type=Instantaneous vif_range=Date storage_nr=1}",
      "match{measurement_type=Instantaneous vif_range=Volume storage_nr=17}",
      "match{measurement_type=Instantaneous vif_range=Date storage_nr=17}",
      "match{measurement_type=AtError vif_range=Date}",
      "}",
    ].join(" "),
    triples: [
      ["QDS", 0x33, 0x37],
      ["QDS", 0x16, 0x06],
      ["QDS", 0x16, 0x07],
      ["QDS", 0x18, 0x06],
      ["QDS", 0x18, 0x07],
      ["QDS", 0x19, 0x07],
      ["QDS", 0x35, 0x06],
      ["QDS", 0x35, 0x07],
    ],
  },
};

/** Every VIF of a range (first VIF, then VIFEs): the exponents a meter may choose. */
const VIF_RANGE_FULL: Readonly<Record<string, readonly (readonly number[])[]>> =
  {
    AnyEnergyVIF: [
      ...span(0x00, 0x0f),
      [0xfb, 0x00],
      [0xfb, 0x01],
      [0xfb, 0x08],
      [0xfb, 0x09],
    ],
    EnergyWh: span(0x00, 0x07),
    EnergyMJ: span(0x08, 0x0f),
    Volume: span(0x10, 0x17),
    AnyVolumeVIF: [...span(0x10, 0x17), [0xfb, 0x10], [0xfb, 0x11]],
    // J/h and MW as well: a range either decoder takes too wide or too narrow shows.
    AnyPowerVIF: [...span(0x28, 0x37), [0xfb, 0x28], [0xfb, 0x29]],
    PowerW: span(0x28, 0x2f),
    VolumeFlow: span(0x38, 0x4f),
    DurationSinceReadout: spanFd(0x2c, 0x2f),
    DurationOfTariff: spanFd(0x31, 0x33),
    FlowTemperature: span(0x58, 0x5b),
    ReturnTemperature: span(0x5c, 0x5f),
    TemperatureDifference: span(0x60, 0x63),
    ExternalTemperature: span(0x64, 0x67),
    Pressure: span(0x68, 0x6b),
    OnTime: span(0x20, 0x23),
    OperatingTime: span(0x24, 0x27),
    ActualityDuration: span(0x74, 0x77),
    Voltage: spanFd(0x40, 0x4f),
    Amperage: spanFd(0x50, 0x5f),
  };

function span(a: number, b: number): number[][] {
  return Array.from({ length: b - a + 1 }, (_, i) => [a + i]);
}

function spanFd(a: number, b: number): number[][] {
  return Array.from({ length: b - a + 1 }, (_, i) => [0xfd, a + i]);
}

/** The reference's names for combinable VIFEs used by the definitions. */
const COMBINABLE: Readonly<Record<string, readonly number[]>> = {
  ForwardFlow: [0x3b],
  BackwardFlow: [0x3c],
  ValueAtBaseCondC: [0x3e],
  FutureValue: [0x7e],
  PerMonth: [0x25],
  StandardConformantDataContent: [0x7f, 0x1c],
  RecordErrorCodeMeterToController: [0x18],
};

function combinableBytes(c: string): readonly number[] | undefined {
  if (c === "0") return [];
  const raw = /^0x7f([0-9a-f]{2})$/.exec(c);
  if (raw !== null) return [0xff, parseInt(raw[1] ?? "0", 16)];
  const mf = /^Mfct([0-9a-f]{2})$/.exec(c);
  if (mf !== null) return [0xff, parseInt(mf[1] ?? "0", 16)];
  return COMBINABLE[c];
}

/** VIF ranges whose records are bit fields or codes (integers only). */
const CODE_RANGES = new Set([
  "ErrorFlags",
  "DigitalOutput",
  "DigitalInput",
  "ParameterSet",
  "ModelVersion",
  "FirmwareVersion",
  "HardwareVersion",
  "Location",
  "Customer",
  "SpecialSupplierInformation",
  "AccessNumber",
]);

/** Data field codes a numeric quantity may use (no 12-digit BCD: see docs/conformance.md). */
const NUMERIC_TYPES = [0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x9, 0xa, 0xb, 0xc];

function pick<T>(list: readonly T[], rand: () => number): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function bcd(n: number, rand: () => number, negative: boolean): number[] {
  const out = Array.from({ length: n }, () => {
    const hi = Math.floor(rand() * 10);
    const lo = Math.floor(rand() * 10);
    return (hi << 4) | lo;
  });
  // EN 13757-3 annex A: a negative BCD value carries F in its highest nibble.
  if (negative && n > 0) out[n - 1] = 0xf0 | ((out[n - 1] ?? 0) & 0x0f);
  return out;
}

function date(rand: () => number): number[] {
  const yy = Math.floor(rand() * 40);
  const m = 1 + Math.floor(rand() * 12);
  const d = 1 + Math.floor(rand() * 28);
  return [d | ((yy & 7) << 5), m | ((yy >> 3) << 4)];
}

function dateTime(rand: () => number): number[] {
  return [Math.floor(rand() * 60), Math.floor(rand() * 24), ...date(rand)];
}

/**
 * Data bytes of a DIF data type for a VIF, with random values (negative ones sometimes).
 *
 * @param type DIF data field code.
 * @param vif First VIF byte.
 * @param rand Random source.
 * @returns The bytes.
 */
export function variantData(
  type: number,
  vif: number,
  rand: () => number,
): number[] {
  if (vif === 0x6c && type === 0x2) return date(rand);
  if (vif === 0x6d && type === 0x4) return dateTime(rand);
  // Type I (6 bytes): seconds, minutes, hours, day and month with the year, week byte.
  if (vif === 0x6d && type === 0x6) {
    return [Math.floor(rand() * 60), ...dateTime(rand), 0];
  }
  const negative = rand() < 0.2;
  if (type === 0x5) {
    const b = new Uint8Array(4);
    const v = Math.round(rand() * 1e6) / 100;
    new DataView(b.buffer).setFloat32(0, negative ? -v : v, true);
    return [...b];
  }
  if (type >= 0x9 && type <= 0xc) return bcd(type - 0x8, rand, negative);
  if (type === 0xe) return [...bcd(4, rand, false), 0, 0];
  const len = [0, 1, 2, 3, 4, 4, 6, 8][type] ?? 0;
  const out = Array.from({ length: len }, () => Math.floor(rand() * 256));
  // Long integers stay within 2^47 so both decoders read them exactly.
  for (let i = 6; i < len; i++) out[i] = negative ? 0xff : 0;
  if (len === 6 || len === 8) {
    out[5] = negative ? (out[5] ?? 0) | 0x80 : (out[5] ?? 0) & 0x7f;
  } else if (len > 0) {
    const top = out[len - 1] ?? 0;
    out[len - 1] = negative ? top | 0x80 : top & 0x7f;
  }
  return out;
}

/** How a distractor differs from the record a field reads. */
export type Distraction = "storage" | "tariff" | "subunit" | "function";

const FUNCTION_OF: Readonly<Record<string, number>> = {
  Instantaneous: 0,
  Maximum: 1,
  Minimum: 2,
  AtError: 3,
};

function lowOf(r: readonly [number, number] | undefined): number {
  return r === undefined ? 0 : r[0];
}

function highOf(r: readonly [number, number] | undefined): number {
  return r === undefined ? 0 : r[1];
}

/**
 * A record for a matcher with a data type and VIF exponent chosen at random among those
 * the quantity allows; with `distract`, the same record moved just outside the matcher
 * (storage, tariff, subunit or function field), which the field must not take.
 *
 * @param m The matcher.
 * @param rand Random source.
 * @param distract Which way to move the record, or none.
 * @returns Record bytes, or null when the matcher names something not built here.
 */
export function variantRecord(
  m: MatchFacts,
  rand: () => number,
  distract?: Distraction,
): Uint8Array | null {
  if (m.difvifkey !== undefined) {
    if (distract !== undefined) return null;
    const key = m.difvifkey;
    if (!/^([0-9A-F]{2})+$/.test(key)) return null;
    const b = key.match(/../g)?.map((h) => parseInt(h, 16)) ?? [];
    const dif = b[0] ?? 0;
    let i = 1;
    while (i < b.length && ((b[i - 1] ?? 0) & 0x80) !== 0 && i < 11) i++;
    const type = dif & 0x0f;
    if (dif === 0x0f || dif === 0x1f || type === 0x8 || type === 0xd) {
      return null;
    }
    return Uint8Array.from([...b, ...variantData(type, b[i] ?? 0, rand)]);
  }
  const range = m.vifRange ?? "";
  const choices = VIF_RANGE_FULL[range] ?? VIF_OF_RANGE_SMALL[range];
  if (choices === undefined || choices.length === 0) return null;
  const [vif = 0, ...ext] = pick(choices, rand);
  const vifes = [...ext];
  for (const c of m.combinables) {
    const bytes = combinableBytes(c);
    if (bytes === undefined) return null;
    vifes.push(...bytes);
  }
  let storage = lowOf(m.storage) +
    Math.floor(rand() * (highOf(m.storage) - lowOf(m.storage) + 1));
  let tariff = lowOf(m.tariff);
  let subunit = lowOf(m.subunit);
  let fn = FUNCTION_OF[m.measurementType ?? "Instantaneous"] ?? 0;
  if (distract === "storage") storage = highOf(m.storage) + 1;
  if (distract === "tariff") tariff = highOf(m.tariff) + 1;
  if (distract === "subunit") subunit = highOf(m.subunit) + 1;
  if (distract === "function") {
    if (m.measurementType === undefined) return null;
    fn = fn === 0 ? 1 + Math.floor(rand() * 3) : 0;
  }
  const isDate = vif === 0x6c || vif === 0x6d;
  const types = isDate
    ? (vif === 0x6c ? [0x2] : [0x4, 0x6])
    : CODE_RANGES.has(range)
    ? [0x1, 0x2, 0x3, 0x4]
    : NUMERIC_TYPES;
  const type = pick(types, rand);
  try {
    const head = encodeRecord({
      dif: ((fn << 4) | type | ((storage & 1) << 6) |
        (storage > 1 || tariff > 0 || subunit > 0 ? 0x80 : 0))
        .toString(16).padStart(2, "0"),
      storage,
      tariff,
      subunit,
      vif: vif.toString(16).padStart(2, "0"),
      vife: vifes.map((x) => x.toString(16).padStart(2, "0")),
      raw: null,
      dataType: "none",
    });
    return Uint8Array.from([...head, ...variantData(type, vif, rand)]);
  } catch {
    return null;
  }
}

/** Ranges without exponents (one VIF each), as the base generator knows them. */
const VIF_OF_RANGE_SMALL: Readonly<
  Record<string, readonly (readonly number[])[]>
> = {
  Date: [[0x6c]],
  DateTime: [[0x6d]],
  HeatCostAllocation: [[0x6e]],
  AccessNumber: [[0xfd, 0x08]],
  ParameterSet: [[0xfd, 0x0b]],
  ModelVersion: [[0xfd, 0x0c]],
  FirmwareVersion: [[0xfd, 0x0e]],
  Location: [[0xfd, 0x10]],
  Customer: [[0xfd, 0x11]],
  ErrorFlags: [[0xfd, 0x17]],
  DigitalOutput: [[0xfd, 0x1a]],
  DigitalInput: [[0xfd, 0x1b]],
  DurationSinceReadout: [[0xfd, 0x2c]],
  DurationOfTariff: [[0xfd, 0x31]],
  Dimensionless: [[0xfd, 0x3a]],
  CumulationCounter: [[0xfd, 0x61]],
  SpecialSupplierInformation: [[0xfd, 0x67]],
  RemainingBattery: [[0xfd, 0x74]],
  RelativeHumidity: [[0xfb, 0x1a], [0xfb, 0x1b]],
};

/** The framings a generated payload is sent in. */
export const FRAMINGS = [
  "short",
  "short-mode5",
  "long",
  "long-mode5",
  "none",
  "ell1-mode5",
  "ell2-ctr",
  "mode7",
  "compact",
  "ell2-ctr-compact",
] as const;

/** One framing. */
export type Framing = typeof FRAMINGS[number];

function manufacturerBytes(m: string): [number, number] {
  const code = ((m.charCodeAt(0) - 64) << 10) | ((m.charCodeAt(1) - 64) << 5) |
    (m.charCodeAt(2) - 64);
  return [code & 0xff, code >> 8];
}

function idBytes(id: string): number[] {
  return [6, 4, 2, 0].map((i) => parseInt(id.slice(i, i + 2), 16));
}

function withLength(body: readonly number[]): Uint8Array {
  return Uint8Array.from([body.length, ...body]);
}

const KEY = Uint8Array.from(
  TEST_KEY.match(/../g) ?? [],
  (h) => parseInt(h, 16),
);

/**
 * The link-layer sender of long-header framings: a radio converter of another
 * manufacturer (the meter is named by the long TPL header).
 */
const RADIO_CONVERTER: readonly [string, number, number] = ["LAS", 0x01, 0x37];

/** The DLL header (C, M, A) after L. */
function dll(triple: readonly [string, number, number], id: string): number[] {
  const [mfct, version, type] = triple;
  return [
    0x44,
    ...manufacturerBytes(mfct),
    ...idBytes(id),
    version < 0 ? 0 : version,
    type,
  ];
}

/** The long TPL header fields after CI 72: ID, M, version, type. */
function longAddress(
  triple: readonly [string, number, number],
  id: string,
): number[] {
  const [mfct, version, type] = triple;
  return [
    ...idBytes(id),
    ...manufacturerBytes(mfct),
    version < 0 ? 0 : version,
    type,
  ];
}

/**
 * A mode 7 telegram in the shape real meters send: DLL, AFL (CI 90: FCL with MCL, MCR and
 * MAC; MCL AT 5, an 8-byte CMAC over MCL, MCR and the TPL on), short TPL (CFG mode 7,
 * CFG-ext KDF 1) and the AES-CBC (IV 0) payload under the key derived from the DLL id and MCR.
 */
function mode7Frame(
  triple: readonly [string, number, number],
  id: string,
  records: readonly number[],
  access: number,
  mcr: number,
): Uint8Array {
  const plain = [0x2f, 0x2f, ...records];
  while (plain.length % 16 !== 0) plain.push(0x2f);
  const blocks = plain.length / 16;
  const idLe = Uint8Array.from(idBytes(id));
  const mcrBytes = Uint8Array.of(
    mcr & 0xff,
    (mcr >> 8) & 0xff,
    (mcr >> 16) & 0xff,
    (mcr >>> 24) & 0xff,
  );
  const kenc = deriveKey(KEY, {
    dc: KDF_CONSTANT.encMeterToCollector,
    mcr: mcrBytes,
    id: idLe,
  });
  const kmac = deriveKey(KEY, {
    dc: KDF_CONSTANT.macMeterToCollector,
    mcr: mcrBytes,
    id: idLe,
  });
  const cfg = (7 << 8) | (blocks << 4);
  const tpl = [0x7a, access & 0xff, 0x00, cfg & 0xff, cfg >> 8, 0x10];
  const body = Uint8Array.from([
    ...tpl,
    ...aesCbcEncrypt(kenc, Uint8Array.from(plain)),
  ]);
  const mcl = 0x25;
  const mac = mode7Mac(kmac, Uint8Array.of(mcl, ...mcrBytes), body)
    .subarray(0, 8);
  const fcl = (1 << 13) | (1 << 11) | (1 << 10);
  const afl = [fcl & 0xff, fcl >> 8, mcl, ...mcrBytes, ...mac];
  return withLength([...dll(triple, id), 0x90, afl.length, ...afl, ...body]);
}

/**
 * The record bytes' DIF/VIF headers (the compact-frame format), their data, and the same
 * records with every data byte 0 (the full frame sent first, so that a compact frame read
 * right prints other values than the full frame before it); null when a record has a type
 * a compact frame cannot carry (variable length, manufacturer data).
 */
function compactParts(
  records: readonly Uint8Array[],
): { format: number[]; data: number[]; zeroed: number[] } | null {
  const format: number[] = [];
  const data: number[] = [];
  const zeroed: number[] = [];
  for (const r of records) {
    let i = 0;
    const dif = r[0] ?? 0;
    if ((dif & 0x0f) === 0xd || dif === 0x0f || dif === 0x1f) return null;
    i++;
    while (((r[i - 1] ?? 0) & 0x80) !== 0 && i < r.length) i++;
    const vif = r[i] ?? 0;
    i++;
    // A plain-text VIF (7C/FC) carries its unit text (length first) in the header.
    if ((vif & 0x7f) === 0x7c) i += 1 + (r[i] ?? 0);
    while (((r[i - 1] ?? 0) & 0x80) !== 0 && i < r.length) i++;
    format.push(...r.subarray(0, i));
    data.push(...r.subarray(i));
    zeroed.push(
      ...r.subarray(0, i),
      ...new Array<number>(r.length - i).fill(0),
    );
  }
  return { format, data, zeroed };
}

/**
 * The telegrams of one payload in one framing (two for `compact`: a full 78 frame of the
 * same format with zero data, then the 79 frame with the values), or none when the framing
 * cannot carry it.
 *
 * @param framing The framing.
 * @param triple Detection triple.
 * @param id Meter id (the TPL id where the framing has a long header; the DLL then is a
 *   radio converter, LAS 01 37, with id `9` followed by the id's last 7 digits).
 * @param records The records (without `2F 2F`).
 * @param access Access number.
 * @returns Frames, in order.
 */
export function frameVariant(
  framing: Framing,
  triple: readonly [string, number, number],
  id: string,
  records: readonly Uint8Array[],
  access: number,
): Uint8Array[] {
  const flat = records.flatMap((r) => [...r]);
  const short = [0x7a, access & 0xff, 0x00, 0x00, 0x00, 0x2f, 0x2f, ...flat];
  const otherId = `9${id.slice(1)}`;
  const long = [
    0x72,
    ...longAddress(triple, id),
    access & 0xff,
    0x00,
    0x00,
    0x00,
    0x2f,
    0x2f,
    ...flat,
  ];
  switch (framing) {
    case "short":
      return [withLength([...dll(triple, id), ...short])];
    case "short-mode5":
      return [
        encryptMode5Telegram(withLength([...dll(triple, id), ...short]), KEY),
      ];
    case "long":
      return [withLength([...dll(RADIO_CONVERTER, otherId), ...long])];
    case "long-mode5":
      return [
        encryptMode5Telegram(
          withLength([...dll(RADIO_CONVERTER, otherId), ...long]),
          KEY,
        ),
      ];
    case "none":
      return [withLength([...dll(triple, id), 0x78, ...flat])];
    case "ell1-mode5": {
      // Encrypt as a short-header telegram, then put the ELL I header (CC, ACC) before the TPL.
      const enc = encryptMode5Telegram(
        withLength([...dll(triple, id), ...short]),
        KEY,
      );
      return [
        withLength([
          ...enc.subarray(1, 10),
          0x8c,
          0x20,
          access & 0xff,
          ...enc.subarray(10),
        ]),
      ];
    }
    case "ell2-ctr": {
      const sn = [access & 0xff, 0x12, 0x34, 0x00];
      const frame = withLength([
        ...dll(triple, id),
        0x8d,
        0x20,
        access & 0xff,
        ...sn,
        0x00,
        0x00,
        0x78,
        ...flat,
      ]);
      return [encryptEllTelegram(frame, KEY)];
    }
    case "mode7":
      return [mode7Frame(triple, id, flat, access, 0x1000 + access)];
    case "compact":
    case "ell2-ctr-compact": {
      const parts = compactParts(records);
      if (parts === null || parts.format.length === 0) return [];
      const signature = crcWmbus(Uint8Array.from(parts.format));
      // The data CRC covers the full frame's record bytes (headers and data).
      const dataCrc = crcWmbus(Uint8Array.from(flat));
      const full = [0x78, ...parts.zeroed];
      const compact = [
        0x79,
        signature & 0xff,
        signature >> 8,
        dataCrc & 0xff,
        dataCrc >> 8,
        ...parts.data,
      ];
      if (framing === "compact") {
        return [
          withLength([...dll(triple, id), ...full]),
          withLength([...dll(triple, id), ...compact]),
        ];
      }
      // Kamstrup's shape: both inside ELL II with AES-CTR (session numbers differ).
      return [full, compact].map((body, i) =>
        encryptEllTelegram(
          withLength([
            ...dll(triple, id),
            0x8d,
            0x20,
            (access + i) & 0xff,
            (access + i) & 0xff,
            0x12,
            0x34,
            0x00,
            0x00,
            0x00,
            ...body,
          ]),
          KEY,
        )
      );
    }
  }
}

/** Framings only some manufacturers use, and which ones. */
const MANUFACTURER_FRAMINGS: Readonly<
  Partial<Record<Framing, ReadonlySet<string>>>
> = {
  "ell2-ctr-compact": new Set(["KAM", "KAW"]),
};

/** Framings that need the key. */
const KEYED: ReadonlySet<Framing> = new Set([
  "ell2-ctr-compact",
  "short-mode5",
  "long-mode5",
  "ell1-mode5",
  "ell2-ctr",
  "mode7",
]);

/**
 * Payloads of record variants for a definition: per round, every field's record with a
 * random data type and exponent; distractors next to about half of them; sometimes a
 * repeated record; shuffled order in every other round; trailing manufacturer data
 * (`0F` or `1F` and bytes) in every third. Split so each payload stays below 150 bytes.
 *
 * @param def Definition text.
 * @param rand Random source.
 * @param round Round number (selects order and trailer).
 * @returns Payloads (records each).
 */
export function variantPayloads(
  def: string,
  rand: () => number,
  round: number,
): Uint8Array[][] {
  const matchers = [...libraryMatchersOf(def), ...matchersOf(def)];
  let records: Uint8Array[] = [];
  const kinds: Distraction[] = ["storage", "tariff", "subunit", "function"];
  for (const m of matchers) {
    const r = variantRecord(m, rand);
    if (r === null) continue;
    records.push(r);
    if (rand() < 0.5) {
      const d = variantRecord(m, rand, pick(kinds, rand));
      if (d !== null) records.push(d);
    }
  }
  if (records.length > 0 && rand() < 0.3) {
    records.push(pick(records, rand));
  }
  if (round % 2 === 1) {
    records = records
      .map((r) => ({ r, k: rand() }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.r);
  }
  const out: Uint8Array[][] = [];
  let chunk: Uint8Array[] = [];
  let size = 0;
  for (const r of records) {
    if (size + r.length > 150 && chunk.length > 0) {
      out.push(chunk);
      chunk = [];
      size = 0;
    }
    chunk.push(r);
    size += r.length;
  }
  if (chunk.length > 0) out.push(chunk);
  const tail = Number(/ mfct_tail=(\d+)/.exec(def)?.[1] ?? "0");
  if (tail > 0 && out.length > 0) {
    const n = 1 + Math.floor(rand() * tail);
    out[out.length - 1]?.push(
      Uint8Array.from([
        0x0f,
        ...Array.from({ length: n }, () => Math.floor(rand() * 256)),
      ]),
    );
  } else if (round % 3 === 2 && out.length > 0) {
    const n = 1 + Math.floor(rand() * 8);
    const tail = Uint8Array.from([
      rand() < 0.5 ? 0x0f : 0x1f,
      ...Array.from({ length: n }, () => Math.floor(rand() * 256)),
    ]);
    out[out.length - 1]?.push(tail);
  }
  return out;
}

/** Drivers of Diehl PRIOS radio payloads: sent PRIOS telegrams instead of records. */
const PRIOS_DRIVERS: ReadonlySet<string> = new Set(["izar", "izarv2"]);

/** The published Diehl PRIOS key the reference tries first (a fact of its sources). */
const PRIOS_KEY = Uint8Array.of(0x39, 0xbc, 0x8a, 0x10, 0xe6, 0x6d, 0x83, 0xf8);

/**
 * A Diehl PRIOS telegram (CI A1 or A2): header bytes 11–14 (alarms, battery, transmit
 * period) random, then from byte 15 the scrambled plain block: check byte 4B, total and
 * last month's total (litres, 32-bit), last month's date word, random rest.
 *
 * @param triple Detection triple.
 * @param id Meter id.
 * @param rand Random source.
 * @returns The frame.
 */
export function priosFrame(
  triple: readonly [string, number, number],
  id: string,
  rand: () => number,
): Uint8Array {
  const byte = (): number => Math.floor(rand() * 256);
  const length = 11 + Math.floor(rand() * 8);
  const plain = [0x4b, ...Array.from({ length: length - 1 }, byte)];
  const head = [
    ...dll(triple, id),
    rand() < 0.5 ? 0xa1 : 0xa2,
    byte(),
    byte(),
    byte(),
    byte(),
  ];
  const zeroed = withLength([...head, ...plain.map(() => 0)]);
  const stream = priosXor(zeroed, PRIOS_KEY);
  return withLength([...head, ...plain.map((b, i) => b ^ (stream[i] ?? 0))]);
}

/** Per-framing reports of one driver. */
export type FramingReports = Map<Framing, DriverReport>;

/**
 * Generates record-variant payloads for a driver and sends each in every framing to both
 * decoders (one reference call for plain framings, one with the key).
 *
 * @param driver Reference driver name.
 * @param def Definition text.
 * @param triples Detection triples.
 * @param options Seed, rounds, framings.
 * @returns A report per framing.
 */
export async function diffDriverVariants(
  driver: string,
  def: string,
  triples: readonly (readonly [string, number, number])[],
  options: { seed: number; rounds: number; framings?: readonly Framing[] },
): Promise<FramingReports> {
  const rand = rng(options.seed * 104729 + hashName(driver));
  const framings = options.framings ?? FRAMINGS;
  const reports: FramingReports = new Map(
    framings.map((f) => [f, emptyReport(`${driver} ${f}`)]),
  );
  let nextId = 30000000 + (hashName(driver) % 500) * 10000;
  const plain: {
    hex: string;
    id: string;
    framing: Framing;
    frames: number;
    last: boolean;
  }[] = [];
  const keyed: typeof plain = [];
  for (let round = 0; round < options.rounds; round++) {
    const triple = triples[round % triples.length];
    if (triple === undefined) break;
    if (def.includes("prios_payload") || PRIOS_DRIVERS.has(driver)) {
      // Meters with a scrambled radio payload: one PRIOS telegram per round.
      // HYD and DME meters are named by address bytes 6–9 (as both decoders print them):
      // their ids step in the first four digits.
      const shifted = triple[0] === "HYD" || triple[0] === "DME";
      for (let k = 0; k < 4; k++) {
        const id = String(shifted ? nextId + k * 10000 : nextId + k).padStart(
          8,
          "0",
        );
        const frame = priosFrame(triple, id, rand);
        plain.push({
          hex: toHex(frame).toUpperCase().replace(/\s/g, ""),
          id: shifted
            ? toHex(frame.slice(6, 10).reverse()).replace(/\s/g, "")
            : id,
          framing: "short",
          frames: 1,
          last: true,
        });
      }
      nextId += 4;
      continue;
    }
    for (const payload of variantPayloads(def, rand, round)) {
      for (const framing of framings) {
        const only = MANUFACTURER_FRAMINGS[framing];
        if (only !== undefined && !only.has(triple[0])) continue;
        const id = String(nextId++).padStart(8, "0");
        const frames = frameVariant(
          framing,
          triple,
          id,
          payload,
          nextId & 0xff,
        );
        for (const [i, f] of frames.entries()) {
          (KEYED.has(framing) ? keyed : plain).push({
            hex: toHex(f).toUpperCase().replace(/\s/g, ""),
            id,
            framing,
            frames: frames.length,
            last: i === frames.length - 1,
          });
        }
      }
    }
  }
  for (const [list, key] of [[plain, null], [keyed, TEST_KEY]] as const) {
    if (list.length === 0) continue;
    const hexes = list.map((t) => t.hex);
    const refs = await runReference(hexes, driver, key);
    const ours = runOurs(hexes, driver, key);
    // The reference prints one object per telegram it decodes, in order: pair them by
    // meter id; an id's last telegram is answered only when every one of its telegrams was.
    const refById = new Map<string, Record<string, unknown>[]>();
    for (const r of refs) {
      const l = refById.get(String(r.id)) ?? [];
      l.push(r);
      refById.set(String(r.id), l);
    }
    for (const [i, t] of list.entries()) {
      if (!t.last) continue;
      const report = reports.get(t.framing);
      if (report === undefined) continue;
      report.telegrams++;
      const got = refById.get(t.id) ?? [];
      const ref = got.length === t.frames ? got.at(-1) : undefined;
      if (ref === undefined) continue;
      report.referenceDecoded++;
      const mine = ours[i] ?? null;
      if (mine !== null) report.oursDecoded++;
      const lines = compareJson(ref, mine, report.counts);
      if (lines.length > 0 && report.samples.length < 20) {
        report.samples.push(`${t.hex}\n  ${lines.join("\n  ")}`);
      }
    }
  }
  return reports;
}

function hashName(s: string): number {
  let h = 7;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}
