/**
 * The configuration block of the iM871A (mbus-wireless.md §12.1): two groups of optional
 * fields, each group announced by an IIFlag byte whose bits say which fields follow, in
 * bit order. The same layout serves the set-config request (after its store byte) and the
 * get-config response.
 *
 * @module
 */

/** Field names in the order of their IIFlag bits (group 1, then group 2). */
export const IM871A_CONFIG_FIELDS = [
  "deviceMode",
  "linkMode",
  "cField",
  "manufacturer",
  "id",
  "version",
  "deviceType",
  "radioChannel",
  "powerLevel",
  "dataRate",
  "rxWindow",
  "autoPowerSaving",
  "autoRssi",
  "autoTimestamp",
  "ledControl",
  "rtcControl",
] as const;

/** One configuration field. */
export type Im871aConfigField = typeof IM871A_CONFIG_FIELDS[number];
/** The whole configuration (multi-byte fields as numbers, little-endian on the wire). */
export type Im871aConfig = Record<Im871aConfigField, number>;

const SIZES: Readonly<Partial<Record<Im871aConfigField, number>>> = {
  manufacturer: 2,
  id: 4,
};

/** The factory configuration of the virtual module: a collector in T1 with RSSI on. */
export const IM871A_FACTORY_CONFIG: Readonly<Im871aConfig> = {
  deviceMode: 0,
  linkMode: 3,
  cField: 0x44,
  manufacturer: 0x0cae,
  id: 0x12345678,
  version: 1,
  deviceType: 0x37,
  radioChannel: 0,
  powerLevel: 7,
  dataRate: 0,
  rxWindow: 50,
  autoPowerSaving: 0,
  autoRssi: 1,
  autoTimestamp: 0,
  ledControl: 1,
  rtcControl: 0,
};

function sizeOf(field: Im871aConfigField): number {
  return SIZES[field] ?? 1;
}

/**
 * Reads the fields named by the IIFlag bytes from `bytes` (starting at the first IIFlag).
 * A missing second IIFlag means no group-2 field.
 *
 * @param bytes IIFlag1, its fields, then optionally IIFlag2 and its fields.
 * @returns The fields present, or null when a field announced by a flag is cut off.
 */
export function parseIm871aConfig(
  bytes: Uint8Array,
): Partial<Im871aConfig> | null {
  const out: Partial<Im871aConfig> = {};
  let at = 0;
  for (let group = 0; group < 2; group++) {
    if (at >= bytes.length) return group === 0 ? null : out;
    const flags = bytes[at++] ?? 0;
    for (let bit = 0; bit < 8; bit++) {
      if (!(flags & (1 << bit))) continue;
      const field = IM871A_CONFIG_FIELDS[group * 8 + bit];
      if (field === undefined) continue;
      const size = sizeOf(field);
      if (at + size > bytes.length) return null;
      let v = 0;
      for (let i = size - 1; i >= 0; i--) v = v * 256 + (bytes[at + i] ?? 0);
      out[field] = v;
      at += size;
    }
  }
  return out;
}

/**
 * Encodes every field with both IIFlags set to 0xFF (the get-config response).
 *
 * @param config The configuration.
 * @returns IIFlag1, group 1, IIFlag2, group 2.
 */
export function encodeIm871aConfig(config: Readonly<Im871aConfig>): Uint8Array {
  const out: number[] = [];
  IM871A_CONFIG_FIELDS.forEach((field, i) => {
    if (i % 8 === 0) out.push(0xff);
    const v = config[field];
    for (let b = 0; b < sizeOf(field); b++) {
      out.push(Math.floor(v / 256 ** b) & 0xff);
    }
  });
  return Uint8Array.from(out);
}
