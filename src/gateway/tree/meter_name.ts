/**
 * Meter names as they appear in the config and in `%mbus:` paths: a primary address
 * (0..250), an 8-digit identification number, or a 16-hex-digit secondary address.
 *
 * @module
 */
import { AddressError } from "../../util/mod.ts";

/** What a meter name denotes. */
export type MeterNameKind = "primary" | "id" | "secondary";

/** A parsed meter name. */
export interface MeterName {
  /** Which form it has. */
  kind: MeterNameKind;
  /** Canonical text: decimal primary without leading zeros, IDs and secondaries upper case. */
  text: string;
}

const PRIMARY_RE = /^[0-9]{1,3}$/;
const ID_RE = /^[0-9A-Fa-f]{8}$/;
const SECONDARY_RE = /^[0-9A-Fa-f]{16}$/;

/**
 * Parses a meter name; undefined when the text is none of the three forms.
 *
 * @param text `"5"`, `"12345678"` or `"1234567824C40107"`.
 * @returns The kind and canonical text, or undefined.
 * @example
 * ```ts
 * parseMeterName("005"); // { kind: "primary", text: "5" }
 * ```
 */
export function parseMeterName(text: string): MeterName | undefined {
  if (PRIMARY_RE.test(text)) {
    const n = Number(text);
    return n <= 250 ? { kind: "primary", text: String(n) } : undefined;
  }
  if (ID_RE.test(text)) return { kind: "id", text: text.toUpperCase() };
  if (SECONDARY_RE.test(text)) {
    return { kind: "secondary", text: text.toUpperCase() };
  }
  return undefined;
}

/** What a meter name may be, for error messages. */
export const METER_NAME_HELP =
  "a primary address 0..250, an 8-digit ID or a 16-hex-digit secondary address";

/**
 * Parses the meter named by an API or CLI caller for an instance of the given type.
 *
 * @param address The text given.
 * @param type The instance's type (wireless meters are 8-hex IDs).
 * @returns The canonical meter name.
 * @throws {AddressError} `BAD_ADDRESS` naming what is allowed.
 */
export function toMeterName(address: string, type: string): string {
  if (type === "wireless") {
    if (/^[0-9A-Fa-f]{8}$/.test(address)) return address.toUpperCase();
    throw new AddressError(
      "BAD_ADDRESS",
      address,
      `Invalid meter "${address}": expected a wireless meter ID of 8 hex digits`,
    );
  }
  const m = parseMeterName(address);
  if (!m) {
    throw new AddressError(
      "BAD_ADDRESS",
      address,
      `Invalid meter "${address}": expected ${METER_NAME_HELP}`,
    );
  }
  return m.text;
}
