/**
 * Helpers for meters whose values sit at fixed places of a manufacturer payload (Apator,
 * BMeters RFM-TX1): which bytes the layout is read from, and dates counted from
 * 2000-01-01 the way these meters code them (whole months, then days, then seconds).
 *
 * @module
 */

import type { DriverTelegram } from "./_types.ts";

/**
 * The payload a manufacturer layout is read from: the application data after the TPL
 * header, without the `2F 2F` check bytes that lead a decrypted payload (they belong to the
 * security layer, not to the meter's data; plain payloads are taken as sent).
 *
 * @param t The telegram.
 * @returns The payload bytes.
 */
export function layoutPayload(t: DriverTelegram): Uint8Array {
  const p = t.payload;
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
  const head = t.raw.length - t.payload.length;
  if (head < 0) return t.payload;
  const out = new Uint8Array(t.raw.length);
  out.set(t.raw.subarray(0, head));
  out.set(t.payload, head);
  return out;
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
