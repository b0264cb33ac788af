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
  CONFIG_FILE_MODE,
  ConfigStore,
  loadConfig,
  MAX_CONFIG_BYTES,
  type RawConfig,
  redactConfig,
  redactGateway,
  removeStaleTemps,
  writeFileAtomic,
} from "./load_config.ts";
export { needsRestart } from "./config_diff.ts";
export { MQTT_SCHEMES, type MqttConfig, mqttSchema } from "./mqtt_schema.ts";
/** Files a config names (certificates, keys) are read with the same bound. */
export { readTextBounded } from "../../transport/mod.ts";
