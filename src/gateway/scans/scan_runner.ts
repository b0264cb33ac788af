/**
 * The scan jobs of one instance: at most one runs at a time; polling pauses while it runs;
 * a scan that cannot start says why (`BUS_BUSY` naming the scan or the bridge that has the bus).
 *
 * @module
 */
import { type Clock, MbusError } from "../../util/mod.ts";
import type { BusArbiter, MeterSource, ScanParams } from "../source/mod.ts";
import type { EventHub } from "../events/mod.ts";
import { ScanJob } from "./scan_job.ts";
import { checkScanParams } from "./_scan_params.ts";

/** Options of {@link ScanRunner}. */
export interface ScanRunnerOptions {
  /** Instance name. */
  instance: string;
  /** The bus. */
  source: MeterSource;
  /** The instance's arbiter. */
  arbiter: BusArbiter;
  /** Where progress and results go. */
  hub: EventHub;
  /** Time source. */
  clock: Clock;
  /** Called when a job starts or ends (bus state may change). */
  onChange: () => void;
  /** Jobs remembered. @default 20 */
  keep?: number;
}

/** Runs and remembers scan jobs. */
export class ScanRunner {
  readonly #o: ScanRunnerOptions;
  readonly #jobs: ScanJob[] = [];
  #seq = 0;
  #started = 0;

  /** @param options Instance parts. */
  constructor(options: ScanRunnerOptions) {
    this.#o = options;
  }

  /** True while a job runs. */
  get isRunning(): boolean {
    return this.#jobs.some((j) => j.status === "running");
  }

  /** Jobs started so far. */
  get started(): number {
    return this.#started;
  }

  /** Remembered jobs, oldest first. */
  list(): ScanJob[] {
    return [...this.#jobs];
  }

  /** A job by id. @param id Job id. */
  get(id: string): ScanJob | undefined {
    return this.#jobs.find((j) => j.id === id);
  }

  /** What the running job is doing (for the bridge's BUSY answer); undefined when idle. */
  busyReason(): string | undefined {
    const job = this.#jobs.find((j) => j.status === "running");
    if (!job) return undefined;
    const p = job.progress;
    return p
      ? `scan ${job.id} ${p.kind} ${p.done}/${p.total ?? "?"} found ${p.found}`
      : `scan ${job.id} ${job.kind} starting`;
  }

  /**
   * Starts a scan.
   *
   * @param params What to scan.
   * @returns The running job.
   * @throws {MbusError} `BUS_BUSY`, `BAD_SCAN`, `UNSUPPORTED`; `AddressError` for a bad range or mask.
   */
  start(params: ScanParams): ScanJob {
    const { instance, arbiter } = this.#o;
    checkScanParams(params, this.#o.source.kind);
    const running = this.#jobs.find((j) => j.status === "running");
    if (running) {
      throw new MbusError(
        "BUS_BUSY",
        `Cannot start a scan on "${instance}": scan ${running.id} (${running.kind}) is still running`,
      );
    }
    const owner = arbiter.owner;
    if (owner?.kind === "bridge" || arbiter.pauseReasons.includes("bridge")) {
      throw new MbusError(
        "BUS_BUSY",
        `Cannot start a scan on "${instance}": the TCP bridge has the bus`,
      );
    }
    const job = new ScanJob({
      id: String(++this.#seq),
      instance,
      params,
      startedAt: this.#o.clock.now(),
    });
    this.#jobs.push(job);
    const keep = this.#o.keep ?? 20;
    while (this.#jobs.length > keep && this.#jobs[0]?.status !== "running") {
      this.#jobs.shift();
    }
    this.#started++;
    void this.#run(job);
    return job;
  }

  /** Cancels every running job and waits for them to end. */
  async cancelAll(): Promise<void> {
    for (const j of this.#jobs) j.cancel();
    await Promise.all(this.#jobs.map((j) => j.finished));
  }

  async #run(job: ScanJob): Promise<void> {
    const { arbiter, hub, clock, instance, source } = this.#o;
    const reason = `scan ${job.id}`;
    arbiter.pause(reason);
    this.#o.onChange();
    try {
      using _lease = await arbiter.acquire({ kind: "scan", label: reason }, {
        signal: job.signal,
      });
      const result = await source.scan(job.params, {
        signal: job.signal,
        onProgress: (progress) => {
          job.setProgress(progress);
          hub.publish({
            type: "scanProgress",
            instance,
            scanId: job.id,
            progress,
          });
        },
      });
      job.succeed(result, clock.now());
    } catch (e) {
      job.failWith(e, clock.now());
    } finally {
      arbiter.resume(reason);
      hub.publish({
        type: "scanFinished",
        instance,
        scanId: job.id,
        status: job.status === "running" ? "failed" : job.status,
        result: job.result,
        error: job.error,
      });
      this.#o.onChange();
    }
  }
}
