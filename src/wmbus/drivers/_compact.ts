/**
 * Compact frames (CI 0x79 no header, 0x7B short, 0x73 long; doc §11.1): the payload is a
 * 2-byte format signature (CRC of the DIF/VIF headers of the equivalent full frame), a
 * 2-byte data CRC (CRC of that full frame's record bytes) and the data bytes only. The
 * format comes from an earlier full frame of the same meter (78/7A/72), or from the formats
 * wmbusmeters declares for a manufacturer and device type. Every driver gets this through
 * {@link defaultCompactRecords}; drivers may add formats of their own with
 * {@link compactRecords}.
 *
 * Limits: a meter keeps at most {@link MAX_FORMATS} learned formats and its last
 * {@link MAX_RECENT} full payloads (formats are worked out only when a compact frame
 * needs one). The expanded data must match the data CRC (`BAD_CRC` otherwise).
 *
 * @module
 */

import { fromHex } from "../../util/mod.ts";
import { crcWmbus } from "../crc.ts";
import { expandCompact, formatOf } from "./_records.ts";
import type { DriverDef } from "./_spec.ts";
import type { MeterState } from "./_types.ts";

/** Compact-frame CIs: no header, short header, long header. */
const CI_COMPACT: ReadonlySet<number> = new Set([0x79, 0x7b, 0x73]);

const FILLER = 0x2f;

/** Learned formats kept per meter (oldest dropped first). */
export const MAX_FORMATS = 16;

/** Full payloads kept per meter until a compact frame asks for their format. */
export const MAX_RECENT = 4;

/** Signature, data CRC. */
const COMPACT_HEADER = 4;

/**
 * The compact-frame formats wmbusmeters declares in its drivers (facts: the DIF/VIF
 * strings and the manufacturer/version/type triples they are registered for). It looks
 * them up by manufacturer and device type, whatever driver decodes the telegram.
 */
const DECLARED: ReadonlyArray<
  { triples: string; formats: readonly string[] }
> = [
  {
    // em24
    triples: "KAM,33,02 GAV,00,02",
    formats: ["040504FB827504853C04FB82F53C01FD17"],
  },
  {
    // engelmann_faw
    triples: "EFE,00,07",
    formats: [
      "426C441301FD17840113C40113840213C40213840313C40313840413C40413840513C40513840613C40613840713C40713840813046D0413",
    ],
  },
  {
    // kamheat
    triples:
      "KAM,30,04 KAM,30,0d KAM,30,0c KAM,40,04 KAM,40,0c KAM,40,0d KAM,19,04 KAM,34,04 " +
      "KAM,34,0a KAM,34,0b KAM,34,0c KAM,34,0d KAM,1c,04 KAM,35,04 KAM,35,0c KAM,39,04",
    formats: [
      "02F9FF15040604EEFF0704EEFF0804148440148480401402FD17026C426C44064414C44014C4804014043B0259025D",
      "030643060314426C022D01FF21",
      "030E430E0313426C022D01FF21",
      "040604FF0704FF080414043B0259025D04FF22026C44064414426C",
      "040F04FF0704FF08041484401484804014043B0259025D142D84100F84200F04FF22026C440F4414C44014C4804014426C",
      "0406041404FF0704FF080259025D023B02FF22026C44064414426C",
    ],
  },
  {
    // kampress
    triples: "KAM,01,18",
    formats: ["22691269026905FF0905FF0A02FD17"],
  },
  {
    // kamwater
    triples:
      "KAM,1b,06 KAM,1b,16 KAW,3a,16 KAW,3c,16 KAM,1d,16 KAW,42,06 KAW,42,16",
    formats: [
      "02FF2004134413615B6167",
      "02FF20041392013BA1015B8101E7FF0F",
      "04FF234413523B06FF1B426C61675167023B04138101E7FF0F",
      "02FF2004134413426C523B615B616751678101E7FF0F06FF1B",
      "02FF2004134413A1015B8101E7FF0F",
      "02FF2004134413615B5167",
      "02FF2004134413",
      "02FF200413523B",
      "04FF2304134413426C023B92013BA2013B06FF1BA1015B91015BA10167",
    ],
  },
  {
    // omnipower
    triples: "KAM,30,02",
    formats: ["040404843C042B04AB3C"],
  },
];

/** "MFR/type" → signature → format. */
const BY_METER: ReadonlyMap<string, ReadonlyMap<number, Uint8Array>> =
  buildDeclared();

function buildDeclared(): Map<string, Map<number, Uint8Array>> {
  const out = new Map<string, Map<number, Uint8Array>>();
  for (const d of DECLARED) {
    for (const triple of d.triples.split(" ")) {
      const [m = "", , t = "0"] = triple.split(",");
      const key = `${m}/${parseInt(t, 16)}`;
      const table = out.get(key) ?? new Map<number, Uint8Array>();
      for (const [sig, f] of formatTable(d.formats)) table.set(sig, f);
      out.set(key, table);
    }
  }
  return out;
}

const NONE: ReadonlyMap<number, Uint8Array> = new Map();

/**
 * The formats wmbusmeters declares for a meter kind.
 *
 * @param manufacturer 3-letter code.
 * @param deviceType Device type (medium) byte.
 * @returns Signature → DIF/VIF bytes (possibly empty).
 */
export function declaredFormats(
  manufacturer: string,
  deviceType: number,
): ReadonlyMap<number, Uint8Array> {
  return BY_METER.get(`${manufacturer}/${deviceType}`) ?? NONE;
}

/**
 * Builds the signature → format table of built-in formats.
 *
 * @param formats DIF/VIF header strings (hex).
 * @returns The table.
 */
export function formatTable(
  formats: readonly string[],
): ReadonlyMap<number, Uint8Array> {
  return new Map(formats.map((hex) => {
    const f = fromHex(hex);
    return [crcWmbus(f), f] as const;
  }));
}

/** Full payloads not yet turned into formats, per meter state. */
const RECENT = new WeakMap<MeterState, Uint8Array[]>();

function rememberFull(state: MeterState, payload: Uint8Array): void {
  let recent = RECENT.get(state);
  if (recent === undefined) {
    recent = [];
    RECENT.set(state, recent);
  }
  recent.push(payload);
  if (recent.length > MAX_RECENT) recent.shift();
}

function learn(state: MeterState, format: Uint8Array): void {
  if (format.length === 0) return;
  const sig = crcWmbus(format);
  state.formats.delete(sig);
  state.formats.set(sig, format);
  while (state.formats.size > MAX_FORMATS) {
    const oldest = state.formats.keys().next();
    if (oldest.done) break;
    state.formats.delete(oldest.value);
  }
}

/** Works out the formats of the kept full payloads (once) and looks `sig` up. */
function learnedFormat(
  state: MeterState,
  sig: number,
): Uint8Array | undefined {
  const recent = RECENT.get(state);
  if (recent !== undefined && recent.length > 0) {
    for (const p of recent) learn(state, formatOf(p));
    recent.length = 0;
  }
  return state.formats.get(sig);
}

type Lookup = (sig: number) => Uint8Array | undefined;

/**
 * Expands one compact payload.
 *
 * @param all The payload after the TPL header (may start with the `2F 2F` check bytes).
 * @param lookup Signature → format.
 * @returns The equivalent full-frame record bytes, or a typed error.
 */
export function expandCompactPayload(
  all: Uint8Array,
  lookup: Lookup,
):
  | { ok: true; data: Uint8Array }
  | { ok: false; code: string; message: string } {
  // After decryption the frame starts with the 2F 2F check bytes.
  const skip = all[0] === FILLER && all[1] === FILLER &&
      lookup(FILLER | (FILLER << 8)) === undefined
    ? 2
    : 0;
  const p = all.subarray(skip);
  if (p.length < COMPACT_HEADER) {
    return {
      ok: false,
      code: "TRUNCATED",
      message: "Cannot decode compact frame: shorter than its 4-byte header",
    };
  }
  const signature = (p[0] ?? 0) | ((p[1] ?? 0) << 8);
  const format = lookup(signature);
  const sig = signature.toString(16).padStart(4, "0");
  if (format === undefined) {
    return {
      ok: false,
      code: "UNKNOWN_COMPACT_FORMAT",
      message:
        `Cannot decode compact frame: format signature ${sig} not seen in a full frame yet`,
    };
  }
  const data = expandCompact(format, p.subarray(COMPACT_HEADER));
  if (data === null) {
    return {
      ok: false,
      code: "TRUNCATED",
      message: "Cannot decode compact frame: data shorter than its format",
    };
  }
  const crc = (p[2] ?? 0) | ((p[3] ?? 0) << 8);
  if (crcWmbus(data) !== crc) {
    return {
      ok: false,
      code: "BAD_CRC",
      message:
        `Cannot decode compact frame: data CRC mismatch for format ${sig}`,
    };
  }
  return { ok: true, data };
}

/**
 * A `records` hook: remembers full frames, expands compact frames with the meter's
 * learned formats, the driver's `builtIn` ones and those declared for its kind.
 *
 * @param builtIn Built-in formats by signature.
 * @param eager Work out each full frame's format at once (drivers of meters known to send
 *   compact frames); otherwise only when a compact frame needs it.
 * @returns The hook.
 */
export function compactRecords(
  builtIn: ReadonlyMap<number, Uint8Array>,
  eager = true,
): NonNullable<DriverDef["records"]> {
  return ({ telegram, state }) => {
    if (!CI_COMPACT.has(telegram.ci)) {
      if (eager) learn(state, formatOf(telegram.payload));
      else rememberFull(state, telegram.payload);
      return { ok: true, data: telegram.payload };
    }
    const declared = declaredFormats(
      telegram.manufacturer,
      telegram.deviceType,
    );
    return expandCompactPayload(
      telegram.payload,
      (sig) =>
        state.formats.get(sig) ?? builtIn.get(sig) ?? declared.get(sig) ??
          learnedFormat(state, sig),
    );
  };
}

/** The hook every driver without a `records` hook of its own runs. */
export const defaultCompactRecords: NonNullable<DriverDef["records"]> =
  compactRecords(NONE, false);
