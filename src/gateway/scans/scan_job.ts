/**
 * A scan running as a job: its id, kind, status, progress and result, and a way to cancel
 * it. Serialises to JSON for the API.
 *
 * @module
 */
import { isAbortError, MbusError } from "../../util/mod.ts";
import type { FoundMeter, ScanParams, ScanProgress } from "../source/mod.ts";

/** Status of a scan job. */
export type ScanStatus = "running" | "done" | "cancelled" | "failed";

/** A scan job's JSON view. */
export interface ScanJobView {
  /** Job id (unique per instance). */
  id: string;
  /** Instance name. */
  instance: string;
  /** Scan kind. */
  kind: ScanParams["kind"];
  /** Parameters. */
  params: ScanParams;
  /** Status. */
  status: ScanStatus;
  /** Last progress, or null before the first. */
  progress: ScanProgress | null;
  /** Meters found (partial while running). */
  result: FoundMeter[] | null;
  /** Failure. */
  error: { code: string; message: string } | null;
  /** ISO start time. */
  startedAt: string;
  /** ISO end time, or null while running. */
  finishedAt: string | null;
}

/** Options of {@link ScanJob}. */
export interface ScanJobOptions {
  /** Job id. */
  id: string;
  /** Instance name. */
  instance: string;
  /** Parameters. */
  params: ScanParams;
  /** Start time (ms). */
  startedAt: number;
}

/** A running or finished scan. */
export class ScanJob {
  readonly #o: ScanJobOptions;
  readonly #abort = new AbortController();
  #status: ScanStatus = "running";
  #progress: ScanProgress | null = null;
  #result: FoundMeter[] | null = null;
  #error: { code: string; message: string } | null = null;
  #finishedAt: number | null = null;
  #done: Promise<void>;
  #resolveDone: () => void = () => {};

  /**
   * Creates a running job.
   *
   * @param options Id, instance, parameters, start time.
   */
  constructor(options: ScanJobOptions) {
    this.#o = options;
    this.#done = new Promise((r) => {
      this.#resolveDone = r;
    });
  }

  /** Job id. */
  get id(): string {
    return this.#o.id;
  }
  /** Scan kind. */
  get kind(): ScanParams["kind"] {
    return this.#o.params.kind;
  }
  /** Parameters. */
  get params(): ScanParams {
    return this.#o.params;
  }
  /** Status. */
  get status(): ScanStatus {
    return this.#status;
  }
  /** Last progress. */
  get progress(): ScanProgress | null {
    return this.#progress;
  }
  /** Meters found. */
  get result(): FoundMeter[] | null {
    return this.#result;
  }
  /** Failure. */
  get error(): { code: string; message: string } | null {
    return this.#error;
  }
  /** Aborted by {@link cancel}. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }
  /** Resolves when the job has finished (never rejects). */
  get finished(): Promise<void> {
    return this.#done;
  }

  /** Cancels a running scan; no effect once finished. */
  cancel(): void {
    if (this.#status !== "running") return;
    this.#abort.abort(
      new MbusError("ABORTED", `Scan ${this.#o.id} was cancelled`),
    );
  }

  /** Records progress. @param p Progress. */
  setProgress(p: ScanProgress): void {
    this.#progress = p;
  }

  /** Marks the job done. @param result Found meters. @param atMs End time. */
  succeed(result: FoundMeter[], atMs: number): void {
    if (this.#status !== "running") return;
    this.#status = "done";
    this.#result = result;
    this.#finish(atMs);
  }

  /** Marks the job cancelled or failed. @param e The error. @param atMs End time. */
  failWith(e: unknown, atMs: number): void {
    if (this.#status !== "running") return;
    const cancelled = this.#abort.signal.aborted || isAbortError(e);
    this.#status = cancelled ? "cancelled" : "failed";
    this.#error = {
      code: e instanceof MbusError
        ? e.code
        : cancelled
        ? "ABORTED"
        : "INTERNAL",
      message: e instanceof Error ? e.message : String(e),
    };
    this.#finish(atMs);
  }

  #finish(atMs: number): void {
    this.#finishedAt = atMs;
    this.#resolveDone();
  }

  /**
   * The job as JSON for the API.
   *
   * @returns The JSON view.
   */
  toJSON(): ScanJobView {
    return {
      id: this.#o.id,
      instance: this.#o.instance,
      kind: this.#o.params.kind,
      params: this.#o.params,
      status: this.#status,
      progress: this.#progress,
      result: this.#result,
      error: this.#error,
      startedAt: new Date(this.#o.startedAt).toISOString(),
      finishedAt: this.#finishedAt === null
        ? null
        : new Date(this.#finishedAt).toISOString(),
    };
  }
}
