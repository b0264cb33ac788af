/**
 * Seeded generators of records and telegrams for the round-trip and fuzz tests.
 *
 * @module
 */
import type {
  DataType,
  Header,
  RecordFunction,
  RecordInput,
  RecordValue,
} from "../../src/app/mod.ts";
import { byteHex } from "../../src/util/mod.ts";
import { seededRandom } from "../_helpers/random.ts";

/** The shared seeded PRNG (test/_helpers/random.ts) with integer, pick and byte helpers. */
export class Prng {
  #next: () => number;
  /** @param seed Seed. */
  constructor(seed: number) {
    this.#next = seededRandom(seed);
  }
  /** @returns A float in [0, 1). */
  next(): number {
    return this.#next();
  }
  /** @returns An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** @returns One element. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }
  /** @returns n random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(0, 255);
    return out;
  }
}

/** Every data type the encoder writes. */
export const ALL_TYPES: readonly DataType[] = [
  "none",
  "int8",
  "int16",
  "int24",
  "int32",
  "int48",
  "int64",
  "real32",
  "bcd2",
  "bcd4",
  "bcd6",
  "bcd8",
  "bcd12",
  "text",
  "binary",
  "bcdVar",
  "dateG",
  "dateTimeF",
  "timeJ",
  "dateTimeI",
  "dateK",
];

const FUNCTIONS: readonly RecordFunction[] = [
  "instantaneous",
  "maximum",
  "minimum",
  "error",
];

/** Numeric VIBs: primary codes with a plain meaning, and FD / FB codes. */
function numericVib(p: Prng): { vif: string; vife: string[] } {
  const roll = p.int(0, 2);
  if (roll === 0) {
    let code = p.int(0, 0x7a);
    if (code === 0x6c || code === 0x6d) code = 0x13;
    return { vif: byteHex(code), vife: [] };
  }
  let code = p.int(0, 0x7f);
  if (roll === 1 && (code === 0x30 || code === 0x70 || code === 0x72)) {
    code = 0x17;
  }
  return { vif: roll === 1 ? "fd" : "fb", vife: [byteHex(code)] };
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, "0");
}

function bcdDigits(p: Prng, digits: number): number {
  let v = 0;
  for (let i = 0; i < digits; i++) v = v * 10 + p.int(0, 9);
  return v;
}

function rawFor(p: Prng, type: DataType): RecordValue {
  switch (type) {
    case "none":
      return null;
    case "int8":
      return p.int(-128, 127);
    case "int16":
      return p.int(-32768, 32767);
    case "int24":
      return p.int(-0x800000, 0x7fffff);
    case "int32":
      return p.int(-0x80000000, 0x7fffffff);
    case "int48":
      return p.int(-0x800000000000, 0x7fffffffffff);
    case "int64":
      return p.int(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    case "real32":
      return Math.fround((p.next() - 0.5) * 10 ** p.int(-5, 8));
    case "bcd2":
      return bcdDigits(p, 2);
    case "bcd4":
      return p.int(0, 4) === 0 ? -bcdDigits(p, 3) || 0 : bcdDigits(p, 4);
    case "bcd6":
      return bcdDigits(p, 6);
    case "bcd8":
      return p.int(0, 4) === 0 ? -bcdDigits(p, 7) || 0 : bcdDigits(p, 8);
    case "bcd12":
      return bcdDigits(p, 12);
    case "text": {
      let s = "";
      const n = p.int(0, 20);
      for (let i = 0; i < n; i++) s += String.fromCharCode(p.int(0x20, 0xfe));
      return s;
    }
    case "binary": {
      const n = p.pick([0, 1, 5, 15, 16, 20, 24, 28, 32, 48, 64]);
      let s = "";
      for (const b of p.bytes(n)) s += byteHex(b);
      return s;
    }
    case "bcdVar":
      return (p.int(0, 1) ? -1 : 1) * bcdDigits(p, p.int(1, 15)) || 0;
    case "dateG":
      return `${p.int(1981, 2080)}-${pad(p.int(1, 12), 2)}-${
        pad(p.int(1, 31), 2)
      }`;
    case "dateTimeF":
      return `${p.int(1981, 2199)}-${pad(p.int(1, 12), 2)}-${
        pad(p.int(1, 31), 2)
      }T${pad(p.int(0, 23), 2)}:${pad(p.int(0, 59), 2)}:00Z`;
    case "timeJ":
      return `${pad(p.int(0, 23), 2)}:${pad(p.int(0, 59), 2)}:${
        pad(p.int(0, 59), 2)
      }`;
    case "dateTimeI":
      return `${p.int(2000, 2127)}-${pad(p.int(1, 12), 2)}-${
        pad(p.int(1, 31), 2)
      }T${pad(p.int(0, 23), 2)}:${pad(p.int(0, 59), 2)}:${
        pad(p.int(0, 59), 2)
      }Z`;
    case "dateK":
      return byteHex(p.int(0, 255)) + byteHex(p.int(0, 255)) + "0102";
    default:
      return null;
  }
}

/** Generates one record input of the given type with random function, storage, tariff, subunit and VIFEs. */
export function generateRecord(p: Prng, type: DataType): RecordInput {
  let vib: { vif: string; vife: string[] };
  if (type === "dateG") vib = { vif: "6c", vife: [] };
  else if (type === "dateTimeF" || type === "timeJ" || type === "dateTimeI") {
    vib = p.int(0, 3) === 0
      ? { vif: "fd", vife: ["70"] }
      : { vif: "6d", vife: [] };
  } else if (type === "dateK") vib = { vif: "fd", vife: ["72"] };
  else vib = numericVib(p);
  const extra = p.int(0, 3);
  for (let i = 0; i < extra; i++) {
    if (p.int(0, 4) === 0) vib.vife.push("fc", byteHex(p.int(0, 0x15)));
    else vib.vife.push(byteHex(p.int(0x20, 0x7b)));
  }
  const input: RecordInput = {
    dataType: type,
    function: p.pick(FUNCTIONS),
    storage: p.int(0, 3) === 0 ? p.int(0, 2 ** 20) : p.int(0, 1),
    tariff: p.int(0, 3) === 0 ? p.int(0, 255) : 0,
    subunit: p.int(0, 3) === 0 ? p.int(0, 31) : 0,
    vif: vib.vif,
    vife: vib.vife,
    raw: rawFor(p, type),
  };
  if (
    p.int(0, 10) === 0 && type !== "dateG" && !type.startsWith("date") &&
    type !== "timeJ"
  ) {
    input.vif = "fc";
    input.vife = [];
    input.vifText = "%RH";
  }
  return input;
}

/** A random long header. */
export function generateHeader(p: Prng): Header {
  return {
    id: pad(p.int(0, 99999999), 8),
    manufacturer: String.fromCharCode(
      p.int(65, 90),
      p.int(65, 90),
      p.int(65, 90),
    ),
    version: p.int(0, 255),
    medium: { code: 7, name: "Water" },
    accessNumber: p.int(0, 255),
    status: p.int(0, 255),
    signature: 0,
  };
}
