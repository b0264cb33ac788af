/**
 * A small in-memory {@link ApiBackend} for route-logic tests: values, a history, events, and
 * scan jobs that step on a {@link VirtualClock}. The end-to-end tests use the real gateway
 * over the simulator instead.
 *
 * @module
 */
import type {
  ApiBackend,
  ApiGateway,
  ApiGatewayEvent,
  ApiGatewayMetrics,
  ApiHistoryQuery,
  ApiScanJob,
  ApiScanParams,
} from "../../src/api/mod.ts";
import {
  AddressError,
  MbusError,
  type VirtualClock,
} from "../../src/util/mod.ts";

/** A value entry. */
export interface FakeEntry {
  path: string;
  value: number;
  unit: string;
}

class FakeJob implements ApiScanJob {
  readonly id: string;
  readonly kind: string;
  status = "running";
  progress = { done: 0, total: 0, found: 0 };
  result: unknown[] = [];
  #abort = new AbortController();

  constructor(id: string, kind: string) {
    this.id = id;
    this.kind = kind;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  cancel(): void {
    this.#abort.abort();
  }
}

/** One fake instance. */
export class FakeGateway implements ApiGateway {
  readonly name: string;
  readonly config: unknown;
  state = "idle";
  entries: FakeEntry[] = [];
  metricsValue: Record<string, unknown> = {
    requests: 10,
    answers: 8,
    timeouts: 2,
    collisions: 1,
    retries: 3,
    busBusyMs: 1500,
  };
  readonly calls: string[] = [];
  #listeners = new Set<(e: ApiGatewayEvent) => void>();
  #jobs = new Map<string, FakeJob>();
  #clock: VirtualClock;

  constructor(name: string, clock: VirtualClock, config: unknown) {
    this.name = name;
    this.#clock = clock;
    this.config = config;
  }

  readonly events = {
    subscribe: (fn: (e: ApiGatewayEvent) => void): () => void => {
      this.#listeners.add(fn);
      return () => this.#listeners.delete(fn);
    },
  };

  emit(e: ApiGatewayEvent): void {
    for (const l of this.#listeners) l(e);
  }

  values(filter: { address?: string; q?: string } = {}): unknown[] {
    return this.entries.filter((e) =>
      (filter.address === undefined ||
        e.path.startsWith(`%mbus:${filter.address}/`)) &&
      (filter.q === undefined || e.path.includes(filter.q) ||
        e.unit.includes(filter.q))
    );
  }

  get(path: string): unknown {
    if (!path.startsWith("%mbus:")) {
      throw new AddressError("BAD_PATH", path, "Bad path");
    }
    return this.entries.find((e) => e.path === path);
  }

  async read(address: string, signal?: AbortSignal): Promise<unknown> {
    this.calls.push(`read ${address}`);
    if (address === "99") {
      throw new MbusError("NO_RESPONSE", `No answer from ${address}`);
    }
    if (address === "busy") {
      throw new MbusError("BUS_BUSY", "The bus is busy: scan");
    }
    await this.#clock.sleep(100, signal);
    return { address, records: [{ value: 1, unit: "m3" }], key: "00112233" };
  }

  startScan(params: ApiScanParams): ApiScanJob {
    const id = String(this.#jobs.size + 1);
    const job = new FakeJob(id, params.kind);
    const total = params.kind === "primary"
      ? (params.to ?? 250) - (params.from ?? 0) + 1
      : 10;
    job.progress.total = total;
    this.#jobs.set(id, job);
    this.#runScan(job, total);
    return job;
  }

  async #runScan(job: FakeJob, total: number): Promise<void> {
    this.state = "scanning";
    try {
      for (let i = 0; i < total; i++) {
        await this.#clock.sleep(50, job.signal);
        job.progress.done = i + 1;
        if (i % 3 === 0) {
          job.progress.found++;
          job.result.push({ primary: i });
        }
        this.emit({
          type: "scanProgress",
          instance: this.name,
          scanId: job.id,
          progress: { ...job.progress },
        });
      }
      job.status = "done";
    } catch {
      job.status = "cancelled";
    }
    this.state = "idle";
    this.emit({
      type: "scanFinished",
      instance: this.name,
      scanId: job.id,
      status: job.status,
    });
  }

  scans(): ApiScanJob[] {
    return [...this.#jobs.values()];
  }

  scan(id: string): ApiScanJob | undefined {
    return this.#jobs.get(id);
  }

  setPrimaryAddress(address: string, newAddress: number): Promise<unknown> {
    this.calls.push(`set-primary ${address} ${newAddress}`);
    return Promise.resolve(undefined);
  }

  setBaudRate(address: string, baudRate: number): Promise<unknown> {
    this.calls.push(`set-baudrate ${address} ${baudRate}`);
    return Promise.resolve(undefined);
  }

  metrics(): ApiGatewayMetrics {
    return this.metricsValue as ApiGatewayMetrics;
  }
}

/** A fake host of fake instances with a tiny history. */
export class FakeBackend implements ApiBackend {
  readonly instances: FakeGateway[];
  readonly rows: { path: string; t: number; value: number }[] = [];
  readonly history = {
    query: (q: ApiHistoryQuery): unknown[] =>
      this.rows.filter((r) =>
        r.t >= q.from && r.t <= q.to &&
        (q.address === undefined || r.path.startsWith(q.address))
      ).slice(0, q.limit),
  };

  constructor(clock: VirtualClock, names: string[] = ["heat", "water"]) {
    this.instances = names.map((n) =>
      new FakeGateway(n, clock, {
        name: n,
        type: "tcp",
        addresses: [{ name: "1", scale: 0.01 }, {
          name: "12345678",
          key: "000102030405060708090a0b0c0d0e0f",
        }],
      })
    );
  }

  get(name: string): FakeGateway | undefined {
    return this.instances.find((g) => g.name === name);
  }
}
