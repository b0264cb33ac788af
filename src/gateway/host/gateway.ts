/**
 * One gateway instance: its bus (a {@link MeterSource}), the arbiter, the scheduler, the
 * address tree, the emitter and the history policy, composed. The parts live in their rooms;
 * live reconfiguration, the removed-meter filter, history upkeep, the polling cycle and the
 * read side each have a private file here.
 *
 * @module
 */
import { MbusError } from "../../util/mod.ts";
import type { LinkStatus } from "../../transport/mod.ts";
import {
  type MbusPath,
  toMeterName,
  type TreeEntry,
  type TreeLeaf,
  type TreeNode,
} from "../tree/mod.ts";
import {
  type BusArbiter,
  type ScanParams,
  TappedTransport,
  WireTap,
} from "../source/mod.ts";
import { type GatewayConfig, redactGateway } from "../config/mod.ts";
import {
  type BridgeServer,
  type BridgeState,
  startBridge,
} from "../bridge/mod.ts";
import type { GatewayListener, GatewayState } from "../events/mod.ts";
import type { ScanJob } from "../scans/mod.ts";
import { type GatewayMetrics, gatewayMetrics } from "./gateway_metrics.ts";
import {
  composeInstance,
  type GatewayOptions,
  type InstanceParts,
} from "./_compose.ts";
import { pollCycle } from "./_cycle.ts";
import {
  type CommandParts,
  setBaudRate,
  setPrimaryAddress,
} from "./_commands.ts";
import { findValues, lookupPath, type ValuesFilter } from "./_queries.ts";

export type { GatewayOptions };

/** One gateway instance. */
export class Gateway {
  readonly #o: GatewayOptions;
  readonly #p: InstanceParts;
  readonly #wire: WireTap;
  #bridge: BridgeServer | undefined;
  #started = false;
  #stopped = false;
  #inCycle = false;
  #lastState: GatewayState = "stopped";
  #unlink: (() => void) | undefined;

  /**
   * Composes an instance (stopped until {@link start}).
   *
   * @param config The instance's validated configuration.
   * @param options Source, clock, history.
   */
  constructor(config: GatewayConfig, options: GatewayOptions) {
    this.#o = options;
    this.#wire = new WireTap(options.clock);
    options.source.setWireTap?.(this.#wire);
    this.#p = composeInstance(config, options, {
      onChange: () => this.#publishState(),
      runCycle: (meters, signal) => this.#cycle(meters, signal),
    });
  }

  /** Instance name. */
  get name(): string {
    return this.#p.live.current.name;
  }
  /** Cluster number. */
  get cluster(): number {
    return this.#p.live.current.cluster;
  }
  /** The configuration, with meter keys redacted. */
  get config(): GatewayConfig {
    return redactGateway(this.#p.live.current);
  }
  /** The bus arbiter (the TCP bridge and tools acquire it too). */
  get arbiter(): BusArbiter {
    return this.#p.arbiter;
  }
  /** Events of this instance. */
  get events(): { subscribe(fn: GatewayListener): () => void } {
    return this.#p.hub;
  }
  /** Every frame on the bus (the master's, a bridge client's, or telegrams on air). */
  get wire(): WireTap {
    return this.#wire;
  }
  /** What the bus is doing. */
  get state(): GatewayState {
    if (this.#stopped || !this.#started) return "stopped";
    const owner = this.#p.arbiter.owner;
    if (owner?.kind === "bridge") return "bridged";
    const link = this.#o.source.link?.()?.state;
    if (link === "connecting" || link === "offline") return link;
    if (this.#p.scans.isRunning) return "scanning";
    return this.#inCycle ? "polling" : "idle";
  }
  /** The TCP bridge's state, or null when `tcpServer` is off. */
  get bridge(): BridgeState | null {
    return this.#bridge?.state ?? null;
  }

  /**
   * Starts polling, periodic re-emission and (with `tcpServer`) the TCP bridge.
   *
   * @throws {TransportError} `PORT_BUSY` when the bridge port is taken.
   */
  start(): void {
    if (this.#started || this.#stopped) return;
    const { source, clock } = this.#o;
    if (this.#p.live.current.tcpServer && source.transport) {
      this.#bridge = startBridge(this.#p.live.current, {
        transport: new TappedTransport(
          source.transport,
          "bridge",
          clock,
          this.#wire,
        ),
        arbiter: this.#p.arbiter,
        clock,
        busyReason: () => this.#p.scans.busyReason(),
        onBusReturned: () => source.resetFcbState?.(),
        resetLinks: () => source.resetLinks?.() ?? Promise.resolve(),
        onChange: (bridge) => {
          this.#p.hub.publish({
            type: "bridgeState",
            instance: this.name,
            bridge,
          });
          this.#publishState();
        },
      });
    }
    this.#started = true;
    this.#unlink = source.onLinkChange?.(() => this.#publishState());
    this.#p.scheduler.start();
    this.#p.emitter.start();
    this.#publishState();
  }

  /** Stops polling, cancels scans, closes the source. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const cancelling = this.#p.scans.cancelAll();
    await this.#p.scheduler.stop();
    await this.#p.emitter.stop();
    await cancelling;
    await this.#bridge?.close();
    this.#unlink?.();
    await this.#o.source.close();
    this.#publishState();
  }

  /** The health of the connection to the bus (state, reason, next attempt, counters). */
  get link(): LinkStatus | null {
    return this.#o.source.link?.() ?? null;
  }

  /**
   * Meters heard on air, configured or not; empty for a wired instance.
   *
   * @returns One row per meter (ID, manufacturer, driver, telegrams, RSSI, configured, error).
   */
  heard(): unknown[] {
    return this.#o.source.heard?.() ?? [];
  }

  /**
   * Record entries of this instance.
   *
   * @param filter `address` (or `meter`: any meter name form) and `q` (substring of path, unit, quantity).
   * @returns The entries.
   */
  values(filter: ValuesFilter = {}): TreeEntry[] {
    return findValues(this.#p.tree, filter);
  }

  /** Every meter node of this instance. */
  meters(): TreeNode[] {
    return this.#p.tree.meters.flatMap((m) => this.#p.tree.node(m) ?? []);
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
    return lookupPath(this.#p.tree, this, path);
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
    const meter = toMeterName(address, this.#p.live.current.type);
    this.#checkRunning("read");
    await this.#p.publisher.readAndPublish(
      meter,
      { kind: "read", label: `read of ${meter}` },
      { signal, rethrow: true },
    );
    const node = this.#p.tree.node(meter);
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
    this.#checkRunning("start a scan");
    return this.#p.scans.start(params);
  }

  /** Scan jobs, oldest first (the last 20). */
  scans(): ScanJob[] {
    return this.#p.scans.list();
  }

  /** A scan job by id. @param id Job id. */
  scan(id: string): ScanJob | undefined {
    return this.#p.scans.get(id);
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
    const meter = toMeterName(address, this.#p.live.current.type);
    this.#checkRunning("set a primary address");
    await setPrimaryAddress(this.#commandParts, meter, newAddress, signal);
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
    const meter = toMeterName(address, this.#p.live.current.type);
    this.#checkRunning("switch a baud rate");
    await setBaudRate(this.#commandParts, meter, baudRate, signal);
  }

  get #commandParts(): CommandParts {
    return { arbiter: this.#p.arbiter, source: this.#o.source };
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
    this.#p.live.offer(config, this.#inCycle);
  }

  /** Counters of the instance. */
  metrics(): GatewayMetrics {
    return gatewayMetrics({
      source: this.#o.source.stats(),
      scheduler: this.#p.scheduler.stats,
      publisher: this.#p.publisher.counts,
      emitted: this.#p.emitter.emitted,
      scans: this.#p.scans.started,
      bridge: this.bridge,
      link: this.#o.source.link?.(),
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
    await this.#cycle(
      this.#p.live.current.addresses.map((a) => a.name),
      signal,
    );
  }

  async #cycle(meters: string[], signal: AbortSignal): Promise<void> {
    this.#inCycle = true;
    this.#publishState();
    try {
      await pollCycle(this.#p, meters, signal);
    } finally {
      this.#inCycle = false;
      this.#p.live.settle();
      this.#p.upkeep.afterCycle();
      this.#publishState();
    }
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
    this.#p.hub.publish({
      type: "busState",
      instance: this.name,
      state,
      owner: this.#p.arbiter.owner?.label ?? null,
    });
  }
}
