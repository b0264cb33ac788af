/**
 * A scripted MeterSource for scheduler/emitter tests that need no bus (the end-to-end tests
 * use the simulator through the real master). Reads take `readMs` of virtual time.
 *
 * @module
 */
import { type Clock, MbusError } from "../../src/util/mod.ts";
import type {
  FoundMeter,
  MeterSource,
  ScanParams,
  SourceAddress,
  SourceReading,
  SourceReadOptions,
  SourceScanOptions,
  SourceStats,
} from "../../src/gateway/mod.ts";

/** Values of one fake meter: record index → value. */
export type FakeValues = (number | string | null)[];

export class FakeSource implements MeterSource {
  readonly kind: "wired" | "wireless";
  readonly #clock: Clock;
  readonly values = new Map<string, FakeValues>();
  readonly log: { meter: string; at: number }[] = [];
  readMs: number;
  scanStepMs = 100;
  #stats: SourceStats = {
    requests: 0,
    answers: 0,
    timeouts: 0,
    collisions: 0,
    retries: 0,
    busyMs: 0,
  };
  closed = false;
  #active = 0;
  maxActive = 0;

  constructor(
    clock: Clock,
    options: { readMs?: number; kind?: "wired" | "wireless" } = {},
  ) {
    this.#clock = clock;
    this.readMs = options.readMs ?? 100;
    this.kind = options.kind ?? "wired";
  }

  async read(
    meter: string,
    options: SourceReadOptions = {},
  ): Promise<SourceReading> {
    this.#active++;
    this.maxActive = Math.max(this.maxActive, this.#active);
    try {
      this.#stats.requests++;
      this.log.push({ meter, at: this.#clock.now() });
      await this.#clock.sleep(this.readMs, options.signal);
      this.#stats.busyMs += this.readMs;
      const v = this.values.get(meter);
      if (!v) {
        this.#stats.timeouts++;
        throw new MbusError("NO_RESPONSE", `No response from meter ${meter}`);
      }
      this.#stats.answers++;
      return {
        header: {
          id: "12345678",
          manufacturer: "KAM",
          version: 1,
          medium: { code: 7, name: "Water" },
          accessNumber: 1,
          status: 0,
          signature: 0,
        },
        records: v.map((value, index) => ({
          index,
          function: "instantaneous",
          storage: 0,
          tariff: 0,
          subunit: 0,
          quantity: "Volume",
          unit: "m^3",
          value,
          raw: value,
        })),
        frames: 1,
        partial: false,
        readAt: this.#clock.now(),
      };
    } finally {
      this.#active--;
    }
  }

  async scan(
    params: ScanParams,
    options: SourceScanOptions = {},
  ): Promise<FoundMeter[]> {
    const total = params.kind === "primary"
      ? (params.to ?? 250) - (params.from ?? 0) + 1
      : 10;
    const found: FoundMeter[] = [];
    for (let i = 0; i < total; i++) {
      await this.#clock.sleep(this.scanStepMs, options.signal);
      const addr = (params.kind === "primary" ? params.from ?? 0 : 0) + i;
      if (this.values.has(String(addr))) found.push({ primary: addr });
      options.onProgress?.({
        kind: params.kind,
        done: i + 1,
        total,
        found: found.length,
        current: String(addr),
      });
    }
    return found;
  }

  setPrimaryAddress(meter: string, newAddress: number): Promise<void> {
    const v = this.values.get(meter);
    if (!v) {
      return Promise.reject(
        new MbusError("NO_RESPONSE", `No response from meter ${meter}`),
      );
    }
    this.values.delete(meter);
    this.values.set(String(newAddress), v);
    return Promise.resolve();
  }

  setBaudRate(): Promise<void> {
    return Promise.resolve();
  }

  /** The meters as last handed over by the gateway (live reconfiguration). */
  addresses: readonly Record<string, unknown>[] | undefined;

  /** Records the meters the gateway hands over. */
  setAddresses(addresses: readonly SourceAddress[]): void {
    this.addresses = addresses as unknown as Record<string, unknown>[];
  }

  stats(): SourceStats {
    return { ...this.#stats };
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
