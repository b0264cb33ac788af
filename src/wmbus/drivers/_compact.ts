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

import { crcWmbus } from "../crc.ts";
import {
  declaredFormats,
  driverFormats,
  expandCompactData,
  formatTable,
} from "../compact_format.ts";
import { formatAndData, formatOf } from "./_records.ts";
import { sameOutside } from "./_layout.ts";
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

function learn(
  state: MeterState,
  format: Uint8Array,
  sig = crcWmbus(format),
): void {
  if (format.length === 0) return;
  state.formats.delete(sig);
  state.formats.set(sig, format);
  while (state.formats.size > MAX_FORMATS) {
    const oldest = state.formats.keys().next();
    if (oldest.done) break;
    state.formats.delete(oldest.value);
  }
}

/** A meter's last full payload as learned at once: its bytes, data ranges and format. */
interface LastFull {
  readonly bytes: Uint8Array;
  readonly ranges: readonly number[];
  readonly format: Uint8Array;
  readonly sig: number;
}

const LAST_FULL = new WeakMap<MeterState, LastFull>();

/** Learns the format of a full payload now, reusing the last one when only data changed. */
function learnFull(state: MeterState, payload: Uint8Array): void {
  const last = LAST_FULL.get(state);
  if (last !== undefined && sameOutside(last.bytes, last.ranges, payload)) {
    learn(state, last.format, last.sig);
    return;
  }
  const { format, ranges, complete } = formatAndData(payload);
  const sig = crcWmbus(format);
  learn(state, format, sig);
  if (complete) {
    LAST_FULL.set(state, { bytes: payload.slice(), ranges, format, sig });
  } else LAST_FULL.delete(state);
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
  const data = expandCompactData(format, p.subarray(COMPACT_HEADER));
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
      if (eager) learnFull(state, telegram.payload);
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

const NONE: ReadonlyMap<number, Uint8Array> = new Map();

export { declaredFormats, driverFormats, formatTable };

/** The hook every driver without a `records` hook of its own runs. */
export const defaultCompactRecords: NonNullable<DriverDef["records"]> =
  compactRecords(NONE, false);
