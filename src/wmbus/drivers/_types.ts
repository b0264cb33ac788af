/**
 * Types shared by the driver engine and the driver tables.
 *
 * @module
 */

/** The view of a parsed wireless (or wired) telegram that drivers read. */
export interface DriverTelegram {
  /** The whole telegram: wireless from the L-field without CRCs, wired `68 L L 68 …`. */
  readonly raw: Uint8Array;
  /** Manufacturer as three letters, e.g. `KAM`. */
  readonly manufacturer: string;
  /** Meter id as printed (8 digits). */
  readonly id: string;
  /** Version byte. */
  readonly version: number;
  /** Device type (medium) byte. */
  readonly deviceType: number;
  /** CI of the application payload (after ELL/AFL). */
  readonly ci: number;
  /** Transport layer header, when the CI has one. */
  readonly tpl:
    | {
      readonly ci: number;
      readonly accessNumber?: number | undefined;
      readonly status?: number | undefined;
      readonly config?: number | undefined;
    }
    | null;
  /** The link-layer address as transmitted (detection also tries it). */
  readonly dll?: {
    readonly manufacturer: string;
    readonly version: number;
    readonly deviceType: number;
  };
  /** Decrypted application data after the TPL header (or after the CI when there is none). */
  readonly payload: Uint8Array;
}

/** Per-meter state kept between telegrams. */
export interface MeterState {
  /** Kamstrup compact frames: format signature (LE 16 bits) → DIF/VIF header bytes. */
  readonly formats: Map<number, Uint8Array>;
  /** Last printed values per field name (some drivers derive values from history). */
  readonly previous: Map<string, unknown>;
}

/** The outcome of a driver decode: a wmbusmeters-shaped JSON object, or a typed error. */
export interface DriverResult {
  /** True when the driver could decode the telegram. */
  ok: boolean;
  /** The JSON object (`_`, `media`, `meter`, `name`, `id`, fields). */
  json: Record<string, unknown>;
  /** The canonical driver name that decoded (or refused) the telegram. */
  driver: string;
  /** Set when `ok` is false (and for partial decodes). */
  error?: { code: string; message: string };
}

/** Output fields being built: key → value. */
export type Fields = Record<string, unknown>;
