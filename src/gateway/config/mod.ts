/**
 * The config room: the configuration keys and defaults, validation, loading and atomic
 * writes, and what a live change needs (`needsRestart`).
 *
 * @module
 */
export * from "./keys.ts";
export { parseConfig } from "./validate_config.ts";
export { appConfigSchema, configJsonSchema } from "./schema.ts";
export {
  ConfigStore,
  loadConfig,
  type RawConfig,
  redactConfig,
  redactGateway,
  writeFileAtomic,
} from "./load_config.ts";
export { needsRestart } from "./config_diff.ts";
