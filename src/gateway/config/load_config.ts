/**
 * Reading the configuration file, and writing changes back atomically: a temporary file in
 * the same folder (mode 0600: the file holds meter keys and the API token), fsync, rename
 * over the old file, fsync of the folder. A kill at any moment leaves either the old or the
 * new file, whole; the temporary files such a kill leaves behind are removed when the store
 * next opens the file.
 *
 * @module
 */
import { readTextBounded } from "../../transport/mod.ts";
import { ConfigError } from "../../util/mod.ts";
import type { AppConfig, GatewayConfig } from "./keys.ts";
import { parseConfig } from "./validate_config.ts";

/** A JSON object as read from the file (before defaults). */
export type RawConfig = Record<string, unknown>;

/** Largest configuration file read, in bytes. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** Mode of a written configuration file: owner read and write only. */
export const CONFIG_FILE_MODE = 0o600;

/** Reads at most {@link MAX_CONFIG_BYTES} (a pipe or device reports size 0 to `stat`). */
async function readBounded(path: string): Promise<string> {
  try {
    return await readTextBounded(path, MAX_CONFIG_BYTES);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new ConfigError(
      "(file)",
      `Cannot read config file "${path}": ${e.message}`,
    );
  }
}

async function readRaw(path: string): Promise<RawConfig> {
  let text: string;
  try {
    const size = (await Deno.stat(path)).size;
    if (size > MAX_CONFIG_BYTES) {
      throw new ConfigError(
        "(file)",
        `Cannot read config file "${path}": ${size} bytes is larger than the limit of ${MAX_CONFIG_BYTES} bytes`,
      );
    }
    text = await readBounded(path);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
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

function splitPath(path: string): { dir: string; base: string } {
  const slash = path.lastIndexOf("/");
  return {
    dir: slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash),
    base: path.slice(slash + 1),
  };
}

/** Temporary files of {@link writeFileAtomic}: `<name>.tmp-<pid>-<8 hex digits>`. */
const TEMP_RE = /^\.tmp-(\d+)-[0-9a-f]{8}$/;

/**
 * Removes the temporary files that an interrupted {@link writeFileAtomic} of `path` left
 * next to it (`<name>.tmp-<pid>-<hex>`, whole copies of the config, keys included), except
 * this process's own.
 *
 * @param path The configuration file.
 * @returns The names removed.
 */
export async function removeStaleTemps(path: string): Promise<string[]> {
  const { dir, base } = splitPath(path);
  const removed: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch {
    return removed;
  }
  for (const e of entries) {
    if (!e.isFile || !e.name.startsWith(base)) continue;
    const m = TEMP_RE.exec(e.name.slice(base.length));
    if (!m || Number(m[1]) === Deno.pid) continue;
    try {
      await Deno.remove(`${dir}/${e.name}`);
      removed.push(e.name);
    } catch {
      // Gone already, or not ours to remove: nothing to clean.
    }
  }
  return removed;
}

/**
 * Replaces a file's content atomically and durably, as mode 0600 (owner only).
 *
 * @param path Target file.
 * @param text New content.
 */
export async function writeFileAtomic(
  path: string,
  text: string,
): Promise<void> {
  const { dir } = splitPath(path);
  const temp = `${path}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const mode = CONFIG_FILE_MODE;
  try {
    {
      using file = await Deno.open(temp, {
        write: true,
        create: true,
        truncate: true,
        mode,
      });
      const bytes = new TextEncoder().encode(text);
      let off = 0;
      while (off < bytes.length) off += await file.write(bytes.subarray(off));
      await file.sync();
    }
    await Deno.chmod(temp, mode); // the umask may have changed it
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
  if (copy.mqtt?.password !== undefined) copy.mqtt.password = "********";
  // A password in the broker URL (mqtt://user:secret@host) is a password too.
  if (copy.mqtt) {
    copy.mqtt.url = copy.mqtt.url.replace(
      /^([a-z]+:\/\/[^/@:]*):[^/@]*@/,
      "$1:********@",
    );
  }
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
   * Opens and validates a file, after removing the temporary files of an earlier write
   * that was interrupted.
   *
   * @param path File path.
   * @returns The store.
   */
  static async open(path: string): Promise<ConfigStore> {
    await removeStaleTemps(path);
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
