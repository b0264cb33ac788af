/**
 * One gateway instance: its bus (a {@link MeterSource}), the arbiter, the scheduler, the
 * address tree, the emitter and the history policy, composed.
 *
 * @module
 */
import {
  AddressError,
  type Clock,
  isAbortError,
  MbusError,
} from "../../util/mod.ts";
import {
  AddressTree,
  type MbusPath,
  parseMbusPath,
  parseMeterName,
  toMeterName,
  type TreeEntry,
  type TreeLeaf,
  type TreeNode,
} from "../tree/mod.ts";
import {
  BusArbiter,
  type MeterSource,
  type ScanParams,
} from "../source/mod.ts";
import {
  type AddressConfig,
  type GatewayConfig,
  redactGateway,
} from "../config/mod.ts";
import {
  Emitter,
  MeterPublisher,
  pollGroups,
  Scheduler,
} from "../polling/mod.ts";
import { type BridgeState, startBridge } from "../bridge/mod.ts";
import type { BridgeServer } from "../bridge/mod.ts";
import { type GatewayMetrics, gatewayMetrics } from "./gateway_metrics.ts";
import {
  EventHub,
  type GatewayListener,
  type GatewayState,
} from "../events/mod.ts";
import type { History } from "../history/mod.ts";
import { type ScanJob, ScanRunner } from "../scans/mod.ts";

/** Options of {@link Gateway}. */
export interface GatewayOptions {
  /** The bus. The gateway closes it on {@link Gateway.stop}. */
  source: MeterSource;
  /** Time source. */
  clock: Clock;
  /** History store (shared by the host). */
  history?: History;
  /** Time zone of cron expressions. @default local */
  tz?: string;
}

/** One gateway instance. */
export class Gateway {
  #config: GatewayConfig;
  #pending: GatewayConfig | undefined;
  readonly #o: GatewayOptions;
  readonly #hub = new EventHub();
  /** The emitter's events, before dropping re-emissions of meters removed live. */
  readonly #emitted = new EventHub();
  /** Paths of meters removed from the configuration while running. */
  readonly #removed = new Set<string>();
  readonly #arbiter: BusArbiter;
  readonly #tree: AddressTree;
  readonly #emitter: Emitter;
  readonly #publisher: MeterPublisher;
  readonly #scheduler: Scheduler;
  readonly #byMeter = new Map<string, AddressConfig>();
  readonly #scans: ScanRunner;
  #bridge: BridgeServer | undefined;
  #started = false;
  #stopped = false;
  #inCycle = false;
  #lastState: GatewayState = "stopped";
  #lastPruneMs = 0;

  /**
   * Composes an instance (stopped until {@link start}).
   *
   * @param config The instance's validated configuration.
   * @param options Source, clock, history.
   */
  constructor(config: GatewayConfig, options: GatewayOptions) {
    this.#config = config;
    this.#o = options;
    this.#arbiter = new BusArbiter({ onChange: () => this.#publishState() });
    for (const a of config.addresses) this.#byMeter.set(a.name, a);
    this.#scans = new ScanRunner({
      instance: config.name,
      source: options.source,
      arbiter: this.#arbiter,
      hub: this.#hub,
      clock: options.clock,
      onChange: () => this.#publishState(),
    });
    const prefix = config.cluster === 0 ? "%mbus:" : `%mbus${config.cluster}:`;
    this.#tree = new AddressTree({
      instance: config.name,
      prefix,
      onlyValues: config.onlyValues,
      legacy: config.legacyDriver,
    }, config.addresses);
    this.#emitter = new Emitter({
      instance: config.name,
      mode: config.emitOnlyChanges,
      clock: options.clock,
      hub: this.#emitted,
    });
    this.#emitted.subscribe((e) => {
      if (e.type === "valueChanged" && e.reason === "periodic") {
        if (this.#removed.has(e.path.slice(0, e.path.lastIndexOf("/")))) return;
      }
      this.#hub.publish(e);
    });
    this.#publisher = new MeterPublisher({
      instance: config.name,
      source: options.source,
      arbiter: this.#arbiter,
      tree: this.#tree,
      emitter: this.#emitter,
      hub: this.#hub,
      clock: options.clock,
      history: options.history,
      addresses: this.#byMeter,
    });
    this.#scheduler = new Scheduler({
      clock: options.clock,
      groups: pollGroups(config),
      runCycle: (meters, signal) => this.#cycle(meters, signal),
      isPaused: () => this.#arbiter.isPaused,
      ...(options.tz === undefined ? {} : { tz: options.tz }),
    });
  }

  /** Instance name. */
  get name(): string {
    return this.#config.name;
  }
  /** Cluster number. */
  get cluster(): number {
    return this.#config.cluster;
  }
  /** The configuration, with meter keys redacted. */
  get config(): GatewayConfig {
    return redactGateway(this.#config);
  }
  /** The bus arbiter (the TCP bridge and tools acquire it too). */
  get arbiter(): BusArbiter {
    return this.#arbiter;
  }
  /** Events of this instance. */
  get events(): { subscribe(fn: GatewayListener): () => void } {
    return this.#hub;
  }
  /** What the bus is doing. */
  get state(): GatewayState {
    if (this.#stopped || !this.#started) return "stopped";
    const owner = this.#arbiter.owner;
    if (owner?.kind === "bridge") return "bridged";
    if (this.#scans.isRunning) return "scanning";
    return this.#inCycle ? "polling" : "idle";
  }

  /**
   * Starts polling, periodic re-emission and (with `tcpServer`) the TCP bridge.
   *
   * @throws {TransportError} `PORT_BUSY` when the bridge port is taken.
   */
  start(): void {
    if (this.#started || this.#stopped) return;
    if (this.#config.tcpServer && this.#o.source.transport) {
      this.#bridge = startBridge(this.#config, {
        transport: this.#o.source.transport,
        arbiter: this.#arbiter,
        clock: this.#o.clock,
        busyReason: () => this.#scanBusyReason(),
        onBusReturned: () => this.#o.source.resetFcbState?.(),
        onChange: (state) => {
          this.#hub.publish({
            type: "bridgeState",
            instance: this.name,
            bridge: state,
          });
          this.#publishState();
        },
      });
    }
    this.#started = true;
    this.#scheduler.start();
    this.#emitter.start();
    this.#publishState();
  }

  /**
   * Meters heard on air, configured or not; empty for a wired instance.
   *
   * @returns One row per meter (ID, manufacturer, driver, telegrams, RSSI, configured, error).
   */
  heard(): unknown[] {
    return this.#o.source.heard?.() ?? [];
  }

  /** What a running scan is doing, for the bridge's BUSY answer. */
  #scanBusyReason(): string | undefined {
    const job = this.#scans.list().find((j) => j.status === "running");
    if (!job) return undefined;
    const p = job.progress;
    return p
      ? `scan ${job.id} ${p.kind} ${p.done}/${p.total ?? "?"} found ${p.found}`
      : `scan ${job.id} ${job.kind} starting`;
  }

  /** The TCP bridge's state, or null when `tcpServer` is off. */
  get bridge(): BridgeState | null {
    return this.#bridge?.state ?? null;
  }

  /** Stops polling, cancels scans, closes the source. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const cancelling = this.#scans.cancelAll();
    await this.#scheduler.stop();
    await this.#emitter.stop();
    await cancelling;
    await this.#bridge?.close();
    await this.#o.source.close();
    this.#publishState();
  }

  /**
   * Record entries of this instance.
   *
   * @param filter `address` (or `meter`: any meter name form) and `q` (substring of path, unit, quantity).
   * @returns The entries.
   */
  values(
    filter: { address?: string; meter?: string; q?: string } = {},
  ): TreeEntry[] {
    const given = filter.address ?? filter.meter;
    const meter = given === undefined
      ? undefined
      : parseMeterName(given)?.text ?? given.toUpperCase();
    return this.#tree.entries({
      ...(meter === undefined ? {} : { meter }),
      ...(filter.q === undefined ? {} : { q: filter.q }),
    });
  }

  /** Every meter node of this instance. */
  meters(): TreeNode[] {
    return this.#tree.meters.flatMap((m) => this.#tree.node(m) ?? []);
  }

  /**
   * Looks up a `%mbus:` path (text or parsed). A path that names another instance
   * (`%mbus:<other>/…`) or another cluster (`%mbus<n>:…`) gives undefined; `%mbus:…` is
   * taken as this instance's.
   *
   * @param path The path.
   * @returns Node, entry or leaf; undefined when absent, elsewhere or malformed.
   */
  get(path: string | MbusPath): TreeEntry | TreeNode | TreeLeaf | undefined {
    let p: MbusPath;
    if (typeof path === "string") {
      const r = parseMbusPath(path);
      if (!r.ok) return undefined;
      p = r.value;
    } else p = path;
    if (p.instance !== undefined && p.instance !== this.name) return undefined;
    if (p.cluster !== undefined && p.cluster !== this.cluster) return undefined;
    return this.#tree.lookup(p);
  }

  /**
   * Reads a meter now, through the arbiter (queued ahead of polling), and publishes it.
   *
   * @param address Any meter name form.
   * @param signal Cancels the wait and the read.
   * @returns The meter's node after the read.
   * @throws {AddressError} `BAD_ADDRESS`; the source's errors (`NO_RESPONSE`, ...).
   */
  async read(address: string, signal?: AbortSignal): Promise<TreeNode> {
    const meter = toMeterName(address, this.#config.type);
    this.#checkRunning("read");
    await this.#publisher.readAndPublish(
      meter,
      { kind: "read", label: `read of ${meter}` },
      { signal, rethrow: true },
    );
    const node = this.#tree.node(meter);
    if (!node) {
      throw new MbusError("NOT_FOUND", `Meter "${meter}" is not in the tree`);
    }
    return node;
  }

  /**
   * Starts a scan job. Polling pauses until it ends.
   *
   * @param params What to scan.
   * @returns The job.
   * @throws {MbusError} `BUS_BUSY` when a scan runs or the bus is bridged; `BAD_SCAN` on bad parameters.
   */
  startScan(params: ScanParams): ScanJob {
    if (this.#stopped) {
      throw new MbusError(
        "STOPPED",
        `Cannot start a scan: instance "${this.name}" is stopped`,
      );
    }
    return this.#scans.start(params);
  }

  /** Scan jobs, oldest first (the last 20). */
  scans(): ScanJob[] {
    return this.#scans.list();
  }

  /** A scan job by id. @param id Job id. */
  scan(id: string): ScanJob | undefined {
    return this.#scans.get(id);
  }

  /**
   * Changes a meter's primary address (permanent).
   *
   * @param address Any meter name form.
   * @param newAddress 0..250.
   * @param signal Cancels the wait and the command.
   */
  async setPrimaryAddress(
    address: string,
    newAddress: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const meter = toMeterName(address, this.#config.type);
    this.#checkRunning("set a primary address");
    if (!Number.isInteger(newAddress) || newAddress < 0 || newAddress > 250) {
      throw new AddressError(
        "BAD_ADDRESS",
        String(newAddress),
        `Cannot set primary address ${newAddress}: expected 0..250`,
      );
    }
    using _lease = await this.#arbiter.acquire({
      kind: "command",
      label: `set-primary of ${meter}`,
    }, signal ? { signal } : {});
    await this.#o.source.setPrimaryAddress(
      meter,
      newAddress,
      signal ? { signal } : {},
    );
  }

  /**
   * Switches a meter's baud rate.
   *
   * @param address Any meter name form.
   * @param baudRate One of 300..38400.
   * @param signal Cancels the wait and the command.
   */
  async setBaudRate(
    address: string,
    baudRate: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const meter = toMeterName(address, this.#config.type);
    this.#checkRunning("switch a baud rate");
    using _lease = await this.#arbiter.acquire({
      kind: "command",
      label: `set-baudrate of ${meter}`,
    }, signal ? { signal } : {});
    await this.#o.source.setBaudRate(meter, baudRate, signal ? { signal } : {});
  }

  /**
   * Applies a new configuration of this instance's meters live: added meters join polling
   * and the tree, removed ones leave both (their history rows stay), changed per-address
   * settings apply from the next read. A cycle in progress finishes first, with the meters
   * and settings it started with. Instance-level keys are taken as they are: the caller
   * ({@link GatewayHost}) restarts instead when those change.
   *
   * @param config The instance's new validated configuration (same name).
   */
  reconfigure(config: GatewayConfig): void {
    if (this.#inCycle) this.#pending = config;
    else this.#applyConfig(config);
  }

  #applyConfig(config: GatewayConfig): void {
    this.#pending = undefined;
    const kept = new Set(config.addresses.map((a) => a.name));
    for (const name of this.#byMeter.keys()) {
      if (!kept.has(name)) this.#removed.add(this.#tree.meterPath(name));
    }
    for (const name of kept) this.#removed.delete(this.#tree.meterPath(name));
    this.#config = config;
    this.#byMeter.clear();
    for (const a of config.addresses) this.#byMeter.set(a.name, a);
    this.#tree.setAddresses(config.addresses);
    this.#scheduler.setGroups(pollGroups(config));
  }

  /** Counters of the instance. */
  metrics(): GatewayMetrics {
    return gatewayMetrics({
      source: this.#o.source.stats(),
      scheduler: this.#scheduler.stats,
      publisher: this.#publisher.counts,
      emitted: this.#emitter.emitted,
      scans: this.#scans.started,
      bridge: this.bridge,
    });
  }

  /**
   * Polls every configured meter once, now (as one cycle; used by tools and benchmarks).
   *
   * @param signal Cancels the cycle.
   */
  async pollOnce(
    signal: AbortSignal = new AbortController().signal,
  ): Promise<void> {
    await this.#cycle(this.#config.addresses.map((a) => a.name), signal);
  }

  async #cycle(meters: string[], signal: AbortSignal): Promise<void> {
    this.#inCycle = true;
    this.#publishState();
    try {
      for (const meter of meters) {
        if (signal.aborted || this.#arbiter.isPaused) break;
        try {
          await this.#publisher.readAndPublish(
            meter,
            { kind: "poll", label: `polling of ${meter}` },
            { signal },
          );
        } catch (e) {
          if (signal.aborted || isAbortError(e)) break;
        }
      }
    } finally {
      this.#inCycle = false;
      if (this.#pending) this.#applyConfig(this.#pending);
      this.#o.history?.flush();
      this.#prune();
      this.#publishState();
    }
  }

  #prune(): void {
    const now = this.#o.clock.now();
    if (!this.#o.history || now - this.#lastPruneMs < 3_600_000) return;
    this.#lastPruneMs = now;
    this.#o.history.prune(now);
  }

  #checkRunning(what: string): void {
    if (this.#stopped) {
      throw new MbusError(
        "STOPPED",
        `Cannot ${what}: instance "${this.name}" is stopped`,
      );
    }
  }

  #publishState(): void {
    const state = this.state;
    if (state === this.#lastState) return;
    this.#lastState = state;
    this.#hub.publish({
      type: "busState",
      instance: this.name,
      state,
      owner: this.#arbiter.owner?.label ?? null,
    });
  }
}
