/**
 * The schema of one configured meter (`gateways[].addresses[]`). A bare number or string is
 * short for `{ "name": … }`. The name is checked and normalised by the instance's schema,
 * which knows whether the instance is wired or wireless.
 *
 * @module
 */
import { z } from "zod";
import { DEFAULT_MAX_FRAMES } from "../../master/mod.ts";
import { METER_NAME_HELP } from "../tree/meter_name.ts";
import { allow, int, strict, text } from "./schema_parts.ts";
import { logSchema, meterKeySchema, pollingSchema } from "./schema_values.ts";

/** Most meters in one instance. */
export const MAX_ADDRESSES = 10_000;

/** The keys of one meter, with their defaults. */
export const addressObjectSchema = strict({
  name: z.union([z.string(), z.number()], allow(METER_NAME_HELP)).describe(
    "Primary address 0..250, 8-digit ID or 16-hex-digit secondary address (libmbus order); for a wireless instance the 8-hex-digit meter ID. Normalised (no leading zeros, upper case); unique in the instance",
  ),
  description: text("a string").default("").describe("Free text"),
  scale: z.number(allow("a finite number")).default(1).describe(
    "Multiplier of numeric values: published value = value × scale + offset",
  ),
  offset: z.number(allow("a finite number")).default(0).describe(
    "Added to numeric values after scaling",
  ),
  polling: pollingSchema.optional().describe(
    "Override of the instance's polling, same syntax (absent: the instance's)",
  ),
  maxFrames: int(1, 255).default(DEFAULT_MAX_FRAMES).describe(
    "Most telegrams of a multi-telegram readout",
  ),
  maxRecords: int(1, 100_000).default(1000).describe(
    "Most records kept of one readout",
  ),
  skipLoops: int(0, 1_000_000).default(0).describe(
    "Poll only every (skipLoops + 1)-th due tick",
  ),
  log: logSchema.default("never").describe(
    'History rows: "never", "update" (on change), "always" (every read), or a period in ms (at most one row per record per period)',
  ),
  key: meterKeySchema.optional().describe(
    "AES-128 key of an encrypted (wireless) meter, 32 hex digits; never shown by the API or in errors",
  ),
  driver: text("a driver name", { nonEmpty: true, max: 64 }).optional()
    .describe("Wireless driver name (absent: detected from the telegram)"),
}, "an address object");

const ENTRY_ALLOWED =
  'an address object ({ "name": … }), a primary address or a meter ID';

/** One entry of `addresses`: an object, or a bare name. */
export const addressEntrySchema = z.union([
  addressObjectSchema,
  z.string().transform((name) => addressObjectSchema.parse({ name })),
  z.number().transform((name) => addressObjectSchema.parse({ name })),
], allow(ENTRY_ALLOWED));

/** The `addresses` list. */
export const addressListSchema = z.array(
  addressEntrySchema,
  allow("an array of addresses"),
).max(MAX_ADDRESSES, allow(`an array of at most ${MAX_ADDRESSES} addresses`));
