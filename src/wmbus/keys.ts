/**
 * Published default keys. Some vendors ship meters with a fixed key; decoders try them
 * when no key is configured (doc §10, §13.2; corpus README).
 *
 * @module
 */
import { fromHex } from "../util/mod.ts";

/** Diehl PRIOS 8-byte scrambling keys, in the order to try. */
export const DIEHL_PRIOS_KEYS: readonly Uint8Array[] = [
  fromHex("39BC8A10E66D83F8"),
  fromHex("51728910E66D83F8"),
];

/** Manufacturers of the Diehl group (IZAR, PRIOS, Hydrus, Sappel …). */
export const DIEHL_MANUFACTURERS: ReadonlySet<string> = new Set([
  "DME",
  "HYD",
  "SAP",
  "EWT",
  "SPL",
]);

/** The AES key used for Diehl OMS mode-5 frames without a key: PRIOS key 2 written twice. */
export const DIEHL_DEFAULT_AES_KEY: Uint8Array = fromHex(
  "51728910E66D83F851728910E66D83F8",
);

const DIEHL_KEYS: readonly Uint8Array[] = Object.freeze([
  DIEHL_DEFAULT_AES_KEY,
]);
const NO_KEYS: readonly Uint8Array[] = Object.freeze([]);

/**
 * Default 16-byte AES keys worth trying for a manufacturer when none is configured.
 *
 * @param manufacturer 3-letter code.
 * @returns Keys in the order to try (possibly none).
 */
export function defaultAesKeys(manufacturer: string): readonly Uint8Array[] {
  return DIEHL_MANUFACTURERS.has(manufacturer) ? DIEHL_KEYS : NO_KEYS;
}
