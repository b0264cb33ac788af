/**
 * The configuration's TypeScript types, inferred from the schema (`schema.ts`), and its
 * defaults as the schema computes them. Nothing here restates a key or a default.
 *
 * @module
 */
import type { z } from "zod";
import { addressObjectSchema } from "./address_schema.ts";
import {
  type AddressConfig,
  type GatewayConfig,
  gatewayObjectSchema,
  LEGACY_TIMING_DEFAULTS,
} from "./gateway_schema.ts";
import type { emitSchema, logSchema } from "./schema_values.ts";
import { apiSchema, type appConfigSchema, historySchema } from "./schema.ts";

export type { AddressConfig, GatewayConfig };

/** How values are emitted: on change, on every cycle, or re-emitted every N ms. */
export type EmitMode = z.output<typeof emitSchema>;

/** When history rows are written: never, on change, on every read, or every N ms. */
export type LogMode = z.output<typeof logSchema>;

/** The bus (or radio) a gateway instance talks to. */
export type GatewayType = GatewayConfig["type"];

/** HTTP API settings. */
export type ApiConfig = z.output<typeof apiSchema>;

/** History settings. */
export type HistoryConfig = z.output<typeof historySchema>;

/** The whole configuration file, fully resolved. */
export type AppConfig = z.output<typeof appConfigSchema>;

/** The configuration file as written (before defaults). */
export type AppConfigInput = z.input<typeof appConfigSchema>;

/** Defaults of an address (everything but `name`), from the schema. */
export const ADDRESS_DEFAULTS: Readonly<Omit<AddressConfig, "name">> = (() => {
  const { name: _, ...rest } = addressObjectSchema.parse({ name: 0 });
  return Object.freeze(rest);
})();

/** Defaults of a gateway instance (everything but `name` and `addresses`), from the schema. */
export const GATEWAY_DEFAULTS: Readonly<
  Omit<GatewayConfig, "name" | "addresses">
> = (() => {
  const { name: _, addresses: __, ...rest } = gatewayObjectSchema.parse({
    name: "x",
  });
  return Object.freeze({ ...rest, ...LEGACY_TIMING_DEFAULTS });
})();

/** Defaults of the API section, from the schema. */
export const API_DEFAULTS: Readonly<ApiConfig> = Object.freeze(
  apiSchema.parse({}),
);

/** Defaults of the history section, from the schema. */
export const HISTORY_DEFAULTS: Readonly<HistoryConfig> = Object.freeze(
  historySchema.parse({}),
);

/** Keys that the `legacyDriver` profile cannot honour. */
export const LEGACY_REFUSED_KEYS = Object.freeze(
  Object.keys(LEGACY_TIMING_DEFAULTS),
) as readonly (keyof typeof LEGACY_TIMING_DEFAULTS)[];
