/**
 * The declarative driver format: detection rows, field specs, lookups.
 *
 * @module
 */

import type { DvEntry, MeasurementType } from "./_records.ts";
import type { DriverTelegram, Fields, MeterState } from "./_types.ts";
import { UNITS } from "./_units.ts";

/** A number or an inclusive range. */
export type NrRange = number | readonly [number, number];

/** Which record a field reads. Unset storage/tariff/subunit mean 0 (unless `key` is set). */
export interface Matcher {
  /** Exact DIF/VIF key (upper-case hex); when set only `index` also applies. */
  readonly key?: string;
  /** Measurement type (any when unset). */
  readonly mt?: MeasurementType;
  /** VIF range name (see _vif.ts). */
  readonly vif?: string;
  /** Storage number or range. */
  readonly storage?: NrRange;
  /** Tariff number or range. */
  readonly tariff?: NrRange;
  /** Subunit number or range. */
  readonly subunit?: NrRange;
  /** Required combinable VIFEs (exact set; `"10-1F"`: a range of one-byte codes); `"*"` any. */
  readonly combinables?: readonly string[] | "*";
  /** Take the n-th match (1-based). */
  readonly index?: number;
}

/** Maps bits or values of a number to names. */
export interface Lookup {
  /** `bits`: every set bit is a name; `index`: the masked value is one name; `decimals`: the value is a sum of decimal codes. */
  readonly type: "bits" | "index" | "decimals";
  /** Prefix for unknown bits/values, e.g. `ERROR_FLAGS` → `ERROR_FLAGS_2000000`. */
  readonly name: string;
  /** Bits considered. */
  readonly mask: number;
  /** Printed when no bit is set (`bits`). */
  readonly default?: string;
  /** value → name. */
  readonly map: readonly (readonly [number, string])[];
}

/**
 * Output units (JSON suffix) and their factor from the canonical unit, read from the one
 * unit table (`_units.ts`: add new units there).
 */
export const OUTPUT_UNITS: Readonly<Record<string, number>> = Object
  .fromEntries(Object.entries(UNITS).map(([k, r]) => [k, r.factor]));

/** A numeric field. */
export interface NumField {
  readonly kind: "num";
  /** Name (may hold `{storage}`, `{storage-N}`, `{tariff}`, `{subunit}`; then every match prints). */
  readonly name: string;
  /** Output unit suffix (key of OUTPUT_UNITS). */
  readonly unit: string;
  readonly match: Matcher;
  /** `none`: ignore the VIF factor; a number: extra factor. */
  readonly scale?: "none" | number;
  /** A fixed factor after `scale`, giving the output unit (the reference's `force_scale`). */
  readonly forceScale?: number;
  /** Read binary integers unsigned. */
  readonly unsigned?: boolean;
  /** Print `null` when absent. */
  readonly always?: boolean;
}

/** A text field. */
export interface TextField {
  readonly kind: "text";
  readonly name: string;
  readonly match: Matcher;
  /**
   * date: date text; hex: reversed hex; ascii: reversed ASCII; bcd: decimal digits;
   * lookup; wirehex / wireascii: hex / ASCII in transmission order (how the reference
   * prints text of a record under a manufacturer-specific VIF).
   */
  readonly format:
    | "date"
    | "datetime"
    | "hex"
    | "wirehex"
    | "ascii"
    | "wireascii"
    | "bcd"
    | "lookup"
    | "number";
  readonly lookups?: readonly Lookup[];
  /** Printed for an invalid date. @default null */
  readonly invalid?: null | string;
  /** Print this (null or "") when absent. */
  readonly absent?: null | string;
  /** Add the text to `status` instead of printing it alone (and hide it). */
  readonly inject?: boolean;
  /** Also add to `status` while printing. */
  readonly alsoStatus?: boolean;
  /** Read unsigned. */
  readonly unsigned?: boolean;
}

/** The `status` field: its own lookups (optional) merged with the TPL status. */
export interface StatusField {
  readonly kind: "status";
  readonly name: string;
  readonly match?: Matcher;
  readonly lookups?: readonly Lookup[];
  /** Include the TPL status byte (default true). */
  readonly tpl?: boolean;
  /** Driver-specific names of TPL status bits (applied before the standard bits). */
  readonly tplLookup?: Lookup;
}

/** Any field spec. */
export type FieldSpec = NumField | TextField | StatusField;

/** The meter's configured key as a driver sees it: the bytes, or an object holding them. */
export type DriverKey = Uint8Array | { readonly bytes: Uint8Array };

/** Context for code hooks. */
export interface HookContext {
  readonly telegram: DriverTelegram;
  readonly state: MeterState;
  /** The meter's configured key (for payload layouts encrypted by the driver's own rule). */
  readonly key?: DriverKey;
  /** Records found in the payload (possibly rebuilt from a compact frame). */
  readonly entries: DvEntry[];
  /** Bytes after DIF `0F`/`1F` (manufacturer data), or null. */
  readonly manufacturerData: Uint8Array | null;
  /** Fields printed so far (hooks add or change fields). */
  readonly fields: Fields;
  /** Status words to merge into `status`. */
  readonly status: string[];
}

/** A driver as data plus optional code hooks. */
export interface DriverDef {
  /** Canonical name (`meter` in the JSON). */
  readonly name: string;
  /** Other names that select this driver. */
  readonly aliases?: readonly string[];
  /** Detection rows: manufacturer, version (-1: any), device type. */
  readonly detect: readonly (readonly [string, number, number])[];
  /** Field specs in output order. */
  readonly fields: readonly FieldSpec[];
  /** Media text override. */
  readonly media?: string;
  /** Replaces the payload before splitting records (decrypt, descramble, compact frames); null = error. */
  readonly records?: (
    ctx: Omit<
      HookContext,
      "entries" | "fields" | "status" | "manufacturerData"
    >,
  ) =>
    | { ok: true; data: Uint8Array }
    | { ok: false; code: string; message: string };
  /** Runs after the table fields (manufacturer payloads, derived values). */
  readonly after?: (
    ctx: HookContext,
  ) => { code: string; message: string } | void;
}
