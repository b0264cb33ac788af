/**
 * Helpers for meters whose values sit at fixed places of a manufacturer payload (Apator,
 * BMeters RFM-TX1): which bytes the layout is read from, and dates counted from
 * 2000-01-01 the way these meters code them (whole months, then days, then seconds).
 *
 * @module
 */

import { crcWmbus } from "../crc.ts";
import type { DriverTelegram } from "./_types.ts";

/** Compact-frame CIs (no, short, long header): signature and data CRC lead the data. */
const COMPACT_CI: ReadonlySet<number> = new Set([0x79, 0x7b, 0x73]);

/**
 * The payload a manufacturer layout is read from: the application data after the TPL
 * header, without the `2F 2F` check bytes that lead a decrypted payload (they belong to the
 * security layer, not to the meter's data; plain payloads are taken as sent). In a compact
 * frame the layout starts after the format signature and data CRC, as the reference reads
 * it.
 *
 * @param t The telegram.
 * @returns The payload bytes.
 */
export function layoutPayload(t: DriverTelegram): Uint8Array {
  const p = COMPACT_CI.has(t.ci) ? t.payload.subarray(4) : t.payload;
  const mode = ((t.tpl?.config ?? 0) >> 8) & 0x1f;
  return mode !== 0 && p[0] === 0x2f && p[1] === 0x2f ? p.subarray(2) : p;
}

/**
 * The whole frame (from the L-field) with the decrypted payload in place of the encrypted
 * one, for layouts that count offsets from the start of the frame.
 *
 * @param t The telegram.
 * @returns The frame bytes.
 */
export function plainFrame(t: DriverTelegram): Uint8Array {
  const ell = ellPlainFrame(t);
  if (ell !== null) return ell;
  const head = t.raw.length - t.payload.length;
  if (head < 0) return t.payload;
  const out = new Uint8Array(t.raw.length);
  out.set(t.raw.subarray(0, head));
  out.set(t.payload, head);
  return out;
}

/** Where the payload CRC of an ELL with a session number sits (ELL II, ELL IV). */
const ELL_CRC_AT: ReadonlyMap<number, number> = new Map([[0x8d, 17], [
  0x8f,
  25,
]]);

/** The TPL header bytes (from the CI) the way they were sent, or null when unknown. */
function tplBytes(t: DriverTelegram): number[] | null {
  const tpl = t.tpl;
  if (tpl === null) return null;
  const tail = [
    tpl.accessNumber ?? 0,
    tpl.status ?? 0,
    (tpl.config ?? 0) & 0xff,
    (tpl.config ?? 0) >> 8,
  ];
  if (tpl.ci === 0x78 || tpl.ci === 0x79) return [tpl.ci];
  if (tpl.ci === 0x7a) return [tpl.ci, ...tail];
  return null;
}

/**
 * An ELL II/IV frame whose payload (CRC, CI, TPL header, data) was AES-CTR encrypted,
 * rebuilt in the clear as the reference reads it after decryption: the decrypted CI,
 * header and data, and their payload CRC. Null for any other frame.
 */
function ellPlainFrame(t: DriverTelegram): Uint8Array | null {
  const at = ELL_CRC_AT.get(t.raw[10] ?? 0);
  if (at === undefined || t.raw.length < at + 2) return null;
  const sent = t.raw.subarray(at + 2);
  const crcSent = (t.raw[at] ?? 0) | ((t.raw[at + 1] ?? 0) << 8);
  if (crcWmbus(sent) === crcSent) return null; // sent in the clear
  const head = tplBytes(t);
  if (head === null || head.length + t.payload.length !== sent.length) {
    return null;
  }
  const rest = Uint8Array.from([...head, ...t.payload]);
  const crc = crcWmbus(rest);
  return Uint8Array.from([
    ...t.raw.subarray(0, at),
    crc & 0xff,
    crc >> 8,
    ...rest,
  ]);
}

const DAY_MS = 86_400_000;

/**
 * 2000-01-01 00:00 plus whole months, then days, then seconds (UTC calendar). Out-of-range
 * parts roll over (month 13 is January of the next year, day 0 the day before the 1st).
 *
 * @param months Months to add.
 * @param days Days to add.
 * @param seconds Seconds to add.
 * @returns Milliseconds since 1970, or NaN when a part is not a finite number.
 */
export function since2000(
  months: number,
  days: number,
  seconds: number,
): number {
  return Date.UTC(2000, months, 1) + days * DAY_MS + seconds * 1000;
}

/**
 * `YYYY-MM-DD` of a time from {@link since2000}.
 *
 * @param ms Milliseconds since 1970.
 * @returns The date text, or null when the time is not valid.
 */
export function dayText(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : null;
}

/**
 * `YYYY-MM-DD HH:MM` of a time from {@link since2000}.
 *
 * @param ms Milliseconds since 1970.
 * @returns The date and time text, or null when the time is not valid.
 */
export function minuteText(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}
