/**
 * One line about a frame on the wire, for the bus monitor: the frame kind (`SND_NKE`,
 * `REQ_UD2`, `RSP_UD`, `ACK`, `SND_UD select secondary …`, a long frame's C, A and CI), an
 * answer's meter identity and record count, a wireless telegram's link header, CI and
 * encryption, and `garbled` / `checksum error` with the link error code. Never throws.
 *
 * @module
 */
import { decodeManufacturer, decodeUserData, mediumName } from "../app/mod.ts";
import {
  C_FCB,
  C_FCV,
  cFieldName,
  CI_BAUD_300,
  CI_BAUD_RATES,
  CI_SELECT,
  decodeFrame,
  type Frame,
  isFromMaster,
} from "../link/mod.ts";
import { parseTelegram } from "../wmbus/mod.ts";

/** What the monitor shows of a frame besides its bytes. */
export interface WireSummary {
  /** One line, e.g. `REQ_UD2 to 5 (FCB 1)`. */
  summary: string;
  /** The primary address the frame is to or from (wired), when it names one. */
  address?: number;
  /** The meter's identification number: a wired answer's secondary ID, a wireless ID. */
  id?: string;
}

/** The frame as the tap told it (structural: the gateway's `WireFrame`). */
export interface SummaryInput {
  /** `frame`, `garbage` or `telegram`. */
  kind: string;
  /** The bytes. */
  bytes: Uint8Array;
  /** Garbage: the link error code. */
  error?: string | undefined;
  /** Telegram: `decoded`, `duplicate`, `failed`, `undecodable`. */
  outcome?: string | undefined;
  /** Telegram: error code of a failed one. */
  outcomeCode?: string | undefined;
  /** Telegram: its driver. */
  driver?: string | undefined;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0").toUpperCase();
}

/** Eight ID digits of 4 BCD bytes sent least significant first (F digits kept as F). */
function bcdId(b: Uint8Array): string {
  let s = "";
  for (let i = 3; i >= 0; i--) s += hex2(b[i] ?? 0);
  return s;
}

function selectText(data: Uint8Array): string {
  if (data.length < 8) return `select secondary (${data.length} bytes)`;
  const m = (data[4] ?? 0) | ((data[5] ?? 0) << 8);
  const man = m === 0xffff ? "*" : decodeManufacturer(m);
  const ver = data[6] === 0xff ? "*" : hex2(data[6] ?? 0);
  const med = data[7] === 0xff ? "*" : mediumName(data[7] ?? 0);
  return `select secondary ${bcdId(data)} ${man} v${ver} ${med}`;
}

function fcb(c: number): string {
  return (c & C_FCV) === 0 ? "" : ` (FCB ${(c & C_FCB) === 0 ? 0 : 1})`;
}

function shortText(c: number, a: number): string {
  const name = cFieldName(c);
  if (!name) return `short frame C=${hex2(c)} A=${a}`;
  return isFromMaster(c) ? `${name} to ${a}${fcb(c)}` : `${name} from ${a}`;
}

function longText(f: Extract<Frame, { type: "long" }>): WireSummary {
  const name = cFieldName(f.c) ?? `C=${hex2(f.c)}`;
  const ci = `CI=${hex2(f.ci)}`;
  if (isFromMaster(f.c)) {
    if (f.ci === CI_SELECT) {
      return {
        summary: `${name} ${selectText(f.data)} (A=${f.a})`,
        address: f.a,
      };
    }
    const baud = CI_BAUD_RATES[f.ci - CI_BAUD_300];
    if (baud !== undefined) {
      return {
        summary: `${name} to ${f.a}: switch to ${baud} Bd`,
        address: f.a,
      };
    }
    if (f.ci === 0x50) {
      return {
        summary: `${name} to ${f.a}: application reset (${ci})`,
        address: f.a,
      };
    }
    return {
      summary: `${name} to ${f.a}${
        fcb(f.c)
      } ${ci}, ${f.data.length} data bytes`,
      address: f.a,
    };
  }
  const t = decodeUserData(f.ci, f.data);
  if (!t.ok) {
    return {
      summary: `${name} from ${f.a} ${ci}: ${t.error.code}`,
      address: f.a,
    };
  }
  const h = t.value.header;
  const records = t.value.records.length;
  const more = t.value.moreRecordsFollow ? ", more follow" : "";
  const stop = t.value.error ? ` (${t.value.error.code})` : "";
  if (!h || h.id === "") {
    return {
      summary: `${name} from ${f.a} ${ci}, ${records} records${more}${stop}`,
      address: f.a,
    };
  }
  return {
    summary: `${name} from ${f.a} ${ci}: ID ${h.id} ${h.manufacturer} v${
      hex2(h.version)
    } ${h.medium.name}, ${records} records${more}${stop}`,
    address: f.a,
    id: h.id,
  };
}

function wiredText(bytes: Uint8Array): WireSummary {
  const r = decodeFrame(bytes);
  if (!r.ok) return { summary: `garbled: ${r.error.code}` };
  const f = r.value;
  switch (f.type) {
    case "ack":
      return { summary: "ACK (E5)" };
    case "short":
      return { summary: shortText(f.c, f.a), address: f.a };
    case "control":
      // A control frame is a long frame without data (baud switch, application reset).
      return longText({ ...f, type: "long", data: new Uint8Array(0) });
    default:
      return longText(f);
  }
}

function garbageText(bytes: Uint8Array, error: string | undefined): string {
  const n = `${bytes.length} byte${bytes.length === 1 ? "" : "s"}`;
  if (error === "BAD_CHECKSUM") return `checksum error: BAD_CHECKSUM (${n})`;
  return `garbled: ${error ?? "BAD_START"} (${n})`;
}

function wirelessText(input: SummaryInput): WireSummary {
  const r = parseTelegram(input.bytes, { tryDefaultKeys: false });
  const outcome = input.outcome
    ? `; ${input.outcome}${input.outcomeCode ? ` ${input.outcomeCode}` : ""}`
    : "";
  const driver = input.driver ? `, driver ${input.driver}` : "";
  if (!r.ok) {
    return { summary: `garbled telegram: ${r.error.code}${outcome}` };
  }
  const t = r.value;
  const id = t.id.toUpperCase();
  const enc = t.encrypted ? "encrypted" : "plain";
  return {
    summary: `M=${t.manufacturer} ID=${id} v${hex2(t.version)} type ${
      hex2(t.deviceType)
    } (${mediumName(t.deviceType)}) C=${hex2(t.c)} CI=${
      hex2(t.ci)
    } ${enc}${driver}${outcome}`,
    id,
  };
}

/**
 * Describes a frame in one line.
 *
 * @param input The frame as the tap told it.
 * @returns The line, and the address or ID it concerns (for filters).
 */
export function summarizeWire(input: SummaryInput): WireSummary {
  try {
    if (input.kind === "telegram") return wirelessText(input);
    if (input.kind === "garbage") {
      return { summary: garbageText(input.bytes, input.error) };
    }
    return wiredText(input.bytes);
  } catch (e) {
    // The decoders never throw; should one, the monitor still shows the bytes.
    return {
      summary: `not decoded: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
