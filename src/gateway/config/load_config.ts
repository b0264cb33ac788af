/**
 * Reading the configuration file, and writing changes back atomically: a temporary file in
 * the same folder, fsync, rename over the old file, fsync of the folder. A kill at any moment
 * leaves either the old or the new file, whole.
 *
 * @module
 */
import { ConfigError } from "../../util/mod.ts";
import type { AppConfig, GatewayConfig } from "./keys.ts";
import { parseConfig } from "./validate_config.ts";

/** A JSON object as read from the file (before defaults). */
export type RawConfig = Record<string, unknown>;

async function readRaw(path: string): Promise<RawConfig> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : String(e);
    throw new ConfigError(
      "(file)",
      `Cannot read config file "${path}": ${why}`,
      { cause: e },
    );
  }
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw new ConfigError(
        "(top level)",
        `Invalid config file "${path}": the top level must be an object`,
      );
    }
    return json as RawConfig;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new ConfigError(
      "(file)",
      `Cannot parse config file "${path}": ${why}`,
      { cause: e },
    );
  }
}

/**
 * Reads and validates a configuration file.
 *
 * @param path File path.
 * @returns The complete configuration.
 * @throws {ConfigError} when the file is missing, not JSON or invalid.
 */
export async function loadConfig(path: string): Promise<AppConfig> {
  return parseConfig(await readRaw(path));
}

/**
 * Replaces a file's content atomically and durably.
 *
 * @param path Target file.
 * @param text New content.
 */
export async function writeFileAtomic(
  path: string,
  text: string,
): Promise<void> {
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash);
  const temp = `${path}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  // Keep the file's permissions (a config may hold meter keys: new files are 0600).
  const mode = await Deno.stat(path).then(
    (st) => st.mode ?? 0o600,
    () => 0o600,
  );
  try {
    {
      using file = await Deno.open(temp, {
        write: true,
        create: true,
        truncate: true,
        mode: mode & 0o777,
      });
      const bytes = new TextEncoder().encode(text);
      let off = 0;
      while (off < bytes.length) off += await file.write(bytes.subarray(off));
      await file.sync();
    }
    await Deno.chmod(temp, mode & 0o777); // the umask may have narrowed it
    await Deno.rename(temp, path);
  } catch (e) {
    await Deno.remove(temp).catch(() => {});
    throw e;
  }
  using d = await Deno.open(dir, { read: true });
  await d.sync();
}

/**
 * Redacts secrets (meter keys, the API token) from a configuration for display.
 *
 * @param config A configuration.
 * @returns A deep copy with `key` and `token` replaced by `"********"`.
 */
export function redactConfig(config: AppConfig): AppConfig {
  const copy = structuredClone(config);
  if (copy.api.token !== undefined) copy.api.token = "********";
  copy.gateways = copy.gateways.map(redactGateway);
  return copy;
}

/**
 * Redacts meter keys from one instance's configuration.
 *
 * @param g An instance configuration.
 * @returns A deep copy with each `key` replaced by `"********"`.
 */
export function redactGateway(g: GatewayConfig): GatewayConfig {
  const copy = structuredClone(g);
  for (const a of copy.addresses) if (a.key !== undefined) a.key = "********";
  return copy;
}

/**
 * The configuration file as a store: validated on open, changed through {@link update}, which
 * validates the result before writing it atomically. Updates are serialised.
 */
export class ConfigStore {
  readonly #path: string;
  #raw: RawConfig;
  #current: AppConfig;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(path: string, raw: RawConfig, current: AppConfig) {
    this.#path = path;
    this.#raw = raw;
    this.#current = current;
  }

  /**
   * Opens and validates a file.
   *
   * @param path File path.
   * @returns The store.
   */
  static async open(path: string): Promise<ConfigStore> {
    const raw = await readRaw(path);
    return new ConfigStore(path, raw, parseConfig(raw));
  }

  /** The file path. */
  get path(): string {
    return this.#path;
  }

  /** The current validated configuration. */
  get current(): AppConfig {
    return this.#current;
  }

  /** The file's JSON as written (a copy). */
  get raw(): RawConfig {
    return structuredClone(this.#raw);
  }

  /**
   * Changes the file: the mutator edits a copy of the raw JSON (or returns a new one); the
   * result is validated and written atomically. Nothing is written when validation fails.
   *
   * @param mutator Edits the raw JSON.
   * @returns The new configuration.
   * @throws {ConfigError} when the result is invalid.
   */
  update(mutator: (raw: RawConfig) => RawConfig | void): Promise<AppConfig> {
    const run = this.#queue.then(async () => {
      const draft = structuredClone(this.#raw);
      const next = mutator(draft) ?? draft;
      const config = parseConfig(next);
      await writeFileAtomic(this.#path, JSON.stringify(next, null, 2) + "\n");
      this.#raw = next;
      this.#current = config;
      return config;
    });
    this.#queue = run.catch(() => {});
    return run;
  }
}
