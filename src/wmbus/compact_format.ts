/**
 * Compact-frame formats (doc §11.1): the formats wmbusmeters declares per manufacturer and
 * device type, signature tables, and the expansion of compact data into full-frame record
 * bytes. Used by the drivers' compact hook (`drivers/_compact.ts`) and the analyzer.
 *
 * @module
 */
import { readRecordSpan } from "../app/mod.ts";
import { fromHex } from "../util/mod.ts";
import { crcWmbus } from "./crc.ts";

/** Data length of a fixed DIF coding in a compact frame (-1: variable, not allowed). */
const COMPACT_LENGTH = [0, 1, 2, 3, 4, 4, 6, 8, 0, 1, 2, 3, 4, -1, 6, -1];

/**
 * Rebuilds full-frame record bytes from a compact frame's format (DIF/VIF headers only)
 * and data bytes (in the same order). Bytes after the last record are ignored.
 *
 * @param format The DIF/VIF header bytes of the full frame.
 * @param data The compact frame's data bytes.
 * @returns The record bytes, or null when the format is malformed, has a variable-length
 *   record or the data are too short.
 */
export function expandCompactData(
  format: Uint8Array,
  data: Uint8Array,
): Uint8Array | null {
  const out: number[] = [];
  let pos = 0;
  let dpos = 0;
  while (pos < format.length) {
    const h = readRecordSpan(format, pos, false);
    if ("code" in h) return null;
    const len = COMPACT_LENGTH[h.dif & 0x0f] ?? -1;
    if (len < 0 || dpos + len > data.length) return null;
    for (let i = pos; i < h.headerEnd; i++) out.push(format[i] ?? 0);
    for (let i = 0; i < len; i++) out.push(data[dpos + i] ?? 0);
    dpos += len;
    pos = h.headerEnd;
  }
  return Uint8Array.from(out);
}

/**
 * The compact-frame formats wmbusmeters declares in its drivers (facts: the DIF/VIF
 * strings and the manufacturer/version/type triples they are registered for). It looks
 * them up by manufacturer and device type, whatever driver decodes the telegram.
 */
const DECLARED: ReadonlyArray<
  { driver: string; triples: string; formats: readonly string[] }
> = [
  {
    driver: "em24",
    triples: "KAM,33,02 GAV,00,02",
    formats: ["040504FB827504853C04FB82F53C01FD17"],
  },
  {
    driver: "engelmann_faw",
    triples: "EFE,00,07",
    formats: [
      "426C441301FD17840113C40113840213C40213840313C40313840413C40413840513C40513840613C40613840713C40713840813046D0413",
    ],
  },
  {
    driver: "kamheat",
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
    driver: "kampress",
    triples: "KAM,01,18",
    formats: ["22691269026905FF0905FF0A02FD17"],
  },
  {
    driver: "kamwater",
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
    driver: "omnipower",
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
 * The formats wmbusmeters declares in one driver, as a signature table (for a driver's own
 * compact hook, so that it knows them whatever meter kind it is asked to decode).
 *
 * @param driver The driver name as in wmbusmeters (`kamwater`, `kamheat`, …).
 * @returns Signature → DIF/VIF bytes (empty for a driver without declared formats).
 */
export function driverFormats(
  driver: string,
): ReadonlyMap<number, Uint8Array> {
  const d = DECLARED.find((x) => x.driver === driver);
  return d === undefined ? NONE : formatTable(d.formats);
}

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
