/**
 * All gateway instances of one configuration file, with the shared history store, one
 * merged event stream and `%mbus:` path resolution across instances.
 *
 * @module
 */
import {
  AddressError,
  type Clock,
  ConfigError,
  MbusError,
  RealClock,
} from "../../util/mod.ts";
import {
  type MbusPath,
  parseMbusPath,
  type TreeEntry,
  type TreeLeaf,
  type TreeNode,
} from "../tree/mod.ts";
import {
  type AppConfig,
  type ConfigStore,
  type GatewayConfig,
  needsRestart,
  type RawConfig,
  redactConfig,
} from "../config/mod.ts";
import { EventHub, type GatewayListener } from "../events/mod.ts";
import { Gateway } from "./gateway.ts";
import { History } from "../history/mod.ts";
import { type MeterSource, SupervisedSource } from "../source/mod.ts";

/** Opens the bus of one instance. */
export type SourceFactory = (
  config: GatewayConfig,
  clock: Clock,
) => MeterSource | Promise<MeterSource>;

/** Options of {@link GatewayHost.create}. */
export interface GatewayHostOptions {
  /** Opens each instance's bus. */
  openSource: SourceFactory;
  /** Time source. @default RealClock */
  clock?: Clock;
  /** History store; by default one is opened from `config.history` (and closed on stop). */
  history?: History;
  /** The file the configuration came from (for API changes). */
  store?: ConfigStore;
  /** Time zone of cron expressions. @default local */
  tz?: string;
  /** Told one line when a bus goes offline or opens again. */
  log?: (line: string) => void;
}

/** A path resolved to its instance. */
export interface ResolvedPath {
  /** The instance. */
  gateway: Gateway;
  /** The parsed path. */
  path: MbusPath;
}

/** The gateway instances of a configuration. */
export class GatewayHost {
  readonly #instances: Gateway[];
  #config: AppConfig;
  /** Each instance's configuration as it runs, by name. */
  readonly #running = new Map<string, GatewayConfig>();
  #restartRequired: string[] = [];
  readonly #history: History;
  readonly #ownsHistory: boolean;
  readonly #hub = new EventHub();
  readonly #store: ConfigStore | undefined;
  readonly #clock: Clock;
  #stopped = false;

  private constructor(
    config: AppConfig,
    instances: Gateway[],
    parts: {
      history: History;
      ownsHistory: boolean;
      store?: ConfigStore;
      clock: Clock;
    },
  ) {
    this.#config = config;
    this.#instances = instances;
    this.#history = parts.history;
    this.#ownsHistory = parts.ownsHistory;
    this.#store = parts.store;
    this.#clock = parts.clock;
    for (const g of config.gateways) this.#running.set(g.name, g);
    for (const g of instances) g.events.subscribe((e) => this.#hub.publish(e));
  }

  /**
   * Opens every instance's source (closing the opened ones if one fails).
   *
   * @param config A validated configuration.
   * @param options Source factory, clock, history.
   * @returns The host (not started).
   */
  static async create(
    config: AppConfig,
    options: GatewayHostOptions,
  ): Promise<GatewayHost> {
    const clock = options.clock ?? new RealClock();
    const history = options.history ??
      openHistory(config, clock, options.log);
    // Each bus opens on its own: one that is down leaves its instance offline (retrying)
    // while the others run; only a configuration fault stops the start.
    const sources = config.gateways.map((g) =>
      new SupervisedSource({
        kind: g.type === "wireless" ? "wireless" : "wired",
        label: `instance "${g.name}" (${busLabel(g)})`,
        open: () => options.openSource(g, clock),
        clock,
        ...(options.log ? { log: options.log } : {}),
      })
    );
    try {
      await Promise.all(sources.map((s) => s.firstAttempt()));
    } catch (e) {
      await Promise.all(sources.map((s) => s.close().catch(() => {})));
      if (!options.history) history.close();
      throw e;
    }
    const instances = config.gateways.map((g, i) =>
      new Gateway(g, {
        source: sources[i] as MeterSource,
        clock,
        history,
        ...(options.tz === undefined ? {} : { tz: options.tz }),
      })
    );
    return new GatewayHost(config, instances, {
      history,
      ownsHistory: !options.history,
      clock,
      ...(options.store ? { store: options.store } : {}),
    });
  }

  /** The instances, in file order. */
  get instances(): Gateway[] {
    return [...this.#instances];
  }
  /** The shared history store. */
  get history(): History {
    return this.#history;
  }
  /** Events of every instance. */
  get events(): { subscribe(fn: GatewayListener): () => void } {
    return this.#hub;
  }
  /** The configuration with secrets redacted. */
  get config(): AppConfig {
    return redactConfig(this.#config);
  }
  /** The config file store, when the host was created from a file. */
  get store(): ConfigStore | undefined {
    return this.#store;
  }
  /** The host's clock. */
  get clock(): Clock {
    return this.#clock;
  }

  /** An instance by name. @param name Instance name. */
  get(name: string): Gateway | undefined {
    return this.#instances.find((g) => g.name === name);
  }

  /** An instance by cluster number. @param cluster Cluster. */
  byCluster(cluster: number): Gateway | undefined {
    return this.#instances.find((g) => g.cluster === cluster);
  }

  /**
   * Resolves a `%mbus:` path to its instance.
   *
   * @param text The path.
   * @returns The instance and the parsed path.
   * @throws {AddressError} `BAD_PATH` when malformed; {@link MbusError} `NOT_FOUND` for an unknown instance.
   */
  resolve(text: string): ResolvedPath {
    const r = parseMbusPath(text);
    if (!r.ok) {
      throw new AddressError(
        "BAD_PATH",
        text,
        `Invalid path "${text}": ${r.error.message}`,
      );
    }
    const p = r.value;
    const gateway = p.instance !== undefined
      ? this.get(p.instance)
      : this.byCluster(p.cluster ?? 0);
    if (!gateway) {
      const which = p.instance !== undefined
        ? `instance "${p.instance}"`
        : `cluster ${p.cluster ?? 0}`;
      throw new MbusError("NOT_FOUND", `Cannot resolve "${text}": no ${which}`);
    }
    return { gateway, path: p };
  }

  /**
   * Looks a path up across instances.
   *
   * @param text The path.
   * @returns Node, entry or leaf, or undefined when not (yet) in the tree.
   */
  lookup(text: string): TreeEntry | TreeNode | TreeLeaf | undefined {
    const { gateway, path } = this.resolve(text);
    return gateway.get(path);
  }

  /**
   * Reads the meter of a path now (`%mbus:5` triggers a fresh request) and returns the
   * path's content afterwards.
   *
   * @param text The path.
   * @param signal Cancels.
   * @returns The content after the read.
   */
  async readPath(
    text: string,
    signal?: AbortSignal,
  ): Promise<TreeEntry | TreeNode | TreeLeaf | undefined> {
    const { gateway, path } = this.resolve(text);
    await gateway.read(path.meter, signal);
    return gateway.get(path);
  }

  /**
   * Changes the configuration file through its {@link ConfigStore}: validated, then written
   * atomically (temporary file, fsync, rename, fsync of the folder). Then each instance whose
   * instance-level keys are unchanged takes its meters' changes live
   * ({@link Gateway.reconfigure}); the others, and instances added or removed, keep running
   * as they are and are listed by {@link restartRequired}.
   *
   * @param mutator Edits the file's raw JSON.
   * @returns The new configuration, secrets redacted.
   * @throws {MbusError} `UNSUPPORTED` when the host was not created from a file; `ConfigError` when invalid.
   */
  async updateConfig(
    mutator: (raw: RawConfig) => RawConfig | void,
  ): Promise<AppConfig> {
    if (!this.#store) {
      throw new MbusError(
        "UNSUPPORTED",
        "Cannot change the configuration: the gateway was not started from a file",
      );
    }
    const next = await this.#store.update(mutator);
    this.#applyLive(next);
    return redactConfig(next);
  }

  /**
   * Instances whose settings in the file differ from what runs and need a restart to take
   * them (changed instance-level keys, added or removed instances), sorted; empty when
   * everything was applied live. Changes of `api` or `history` always need a restart and
   * are not listed.
   */
  get restartRequired(): string[] {
    return [...this.#restartRequired];
  }

  #applyLive(next: AppConfig): void {
    const pending = new Set<string>();
    for (const g of next.gateways) {
      if (!this.#running.has(g.name)) pending.add(g.name);
    }
    for (const gateway of this.#instances) {
      const running = this.#running.get(gateway.name);
      const wanted = next.gateways.find((g) => g.name === gateway.name);
      if (!running || !wanted || needsRestart(running, wanted)) {
        pending.add(gateway.name);
        continue;
      }
      this.#running.set(gateway.name, wanted);
      gateway.reconfigure(wanted);
    }
    this.#config = next;
    this.#restartRequired = [...pending].sort();
  }

  /** Starts every instance. */
  start(): void {
    for (const g of this.#instances) g.start();
  }

  /** Stops every instance and closes the history (if the host opened it). Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await Promise.all(this.#instances.map((g) => g.stop()));
    if (this.#ownsHistory) this.#history.close();
  }

  /** Same as {@link stop}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

function openHistory(
  config: AppConfig,
  clock: Clock,
  log: ((line: string) => void) | undefined,
): History {
  try {
    return new History({
      path: config.history.path,
      retentionDays: config.history.retentionDays,
      clock,
      ...(log ? { log } : {}),
    });
  } catch (e) {
    throw new ConfigError(
      "history.path",
      `Cannot open history database "${config.history.path}": ${
        e instanceof Error ? e.message : String(e)
      }`,
      { cause: e },
    );
  }
}

function busLabel(g: GatewayConfig): string {
  if (g.type === "tcp") return `tcp ${g.host}:${g.port}`;
  if (g.type === "wireless") {
    return `wireless ${g.serialPort ?? g.host ?? ""}`.trim();
  }
  return `serial ${g.serialPort}`;
}
