/**
 * The seam between the gateway and a bus: a {@link MeterSource} reads meters, scans and
 * runs commands. The wired source wraps the `Master`; a wireless receiver implements the
 * same interface (reading returns the last telegram heard; scans listen for `durationMs`).
 * Types here are structural: `src/app`'s `DataRecord` and `Header` satisfy them.
 *
 * @module
 */
import type {
  LinkListener,
  LinkStatus,
  Transport,
} from "../../transport/mod.ts";
import type { WireTap } from "./wire_tap.ts";

/** A value as decoded: numbers, ISO dates, text, binary as hex, or null. */
export type SourceValue = number | string | null;

/** One data record of a reading (a structural subset of `src/app`'s `DataRecord`). */
export interface SourceRecord {
  /** Position in the merged record list. */
  index: number;
  /** "instantaneous" | "maximum" | "minimum" | "error". */
  function: string;
  /** Storage number. */
  storage: number;
  /** Tariff. */
  tariff: number;
  /** Subunit (device). */
  subunit: number;
  /** Quantity name, e.g. "Energy". */
  quantity: string;
  /** Unit, e.g. "Wh"; "" when dimensionless. */
  unit: string;
  /** Value with the unit factor applied (or not, per `applyUnitFactor`). */
  value: SourceValue;
  /** Value as coded. */
  raw: SourceValue;
}

/** The header of a reading (a structural subset of `src/app`'s `Header`). */
export interface SourceHeader {
  /** Identification number. */
  id: string;
  /** Three-letter manufacturer code. */
  manufacturer: string;
  /** Version. */
  version: number;
  /** Medium code and name. */
  medium: { code: number; name: string };
  /** Access number. */
  accessNumber: number;
  /** Status byte. */
  status: number;
  /** Signature. */
  signature: number;
}

/** What one read of a meter returned. */
export interface SourceReading {
  /** Header (null for answers without one). */
  header: SourceHeader | null;
  /** Records of all frames, merged and numbered in order. */
  records: SourceRecord[];
  /** Frames read. */
  frames: number;
  /** True when the meter announced more frames and went silent (or the read yielded). */
  partial: boolean;
  /** True when the read stopped between telegrams because someone waits for the bus. */
  yielded?: boolean;
  /** Time of the read (ms since the epoch, on the source's clock). */
  readAt: number;
}

/** Options of {@link MeterSource.read}. */
export interface SourceReadOptions {
  /** Most frames. */
  maxFrames?: number;
  /** Most records. */
  maxRecords?: number;
  /** Cancels the read. */
  signal?: AbortSignal;
  /** Asked between telegrams: true stops a multi-telegram read there (`yielded`). */
  yieldWhen?: () => boolean;
}

/** Parameters of a scan. */
export type ScanParams =
  | { kind: "primary"; from?: number; to?: number }
  | { kind: "secondary"; mask?: string }
  | { kind: "wireless"; durationMs: number };

/** Scan progress. */
export interface ScanProgress {
  /** Scan kind. */
  kind: "primary" | "secondary" | "wireless";
  /** Probes (or ms listened) so far. */
  done: number;
  /** Total, when known. */
  total?: number;
  /** Meters found so far. */
  found: number;
  /** What is being probed now. */
  current: string;
}

/** A meter found by a scan. */
export interface FoundMeter {
  /** Primary address, when known. */
  primary?: number;
  /** Secondary address, 16 hex digits. */
  secondary?: string;
  /** Identification number. */
  id?: string;
  /** Manufacturer. */
  manufacturer?: string;
  /** Version. */
  version?: number;
  /** Medium code. */
  medium?: number;
  /** Several meters answered at this primary address. */
  collision?: boolean;
}

/** Options of {@link MeterSource.scan}. */
export interface SourceScanOptions {
  /** Cancels the scan. */
  signal?: AbortSignal;
  /** Progress callback. */
  onProgress?: (p: ScanProgress) => void;
}

/** A configured meter as a source sees it (a structural subset of the config's address). */
export interface SourceAddress {
  /** Canonical meter name. */
  readonly name: string;
}

/** Counters of a source. */
export interface SourceStats {
  /** Requests sent. */
  requests: number;
  /** Answers received. */
  answers: number;
  /** Requests without answer. */
  timeouts: number;
  /** Garbled answers (collisions). */
  collisions: number;
  /** Retries. */
  retries: number;
  /** Time the bus was busy, in ms. */
  busyMs: number;
}

/** A wired master or a wireless receiver, as the gateway sees it. */
export interface MeterSource {
  /** "wired" or "wireless". */
  readonly kind: "wired" | "wireless";
  /** The raw bus, when the TCP bridge may hand it to a third-party master (wired only). */
  readonly transport?: Transport | undefined;
  /**
   * Every meter heard on air, configured or not (wireless sources only).
   *
   * @returns One row per meter, in order of first reception.
   */
  heard?(): unknown[];
  /**
   * Forgets what the master knows of every meter's FCB state, so that the next read starts
   * with SND_NKE (after someone else, e.g. a bridge client, has talked to the meters).
   */
  resetFcbState?(): void;
  /**
   * Clears every meter's link state on the bus (SND_NKE to the broadcast address), so that
   * any master's first REQ_UD2 gets a fresh first telegram (wired only).
   *
   * @param options Cancellation.
   */
  resetLinks?(options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Reads one meter.
   *
   * @param meter Canonical meter name (see `parseMeterName`).
   * @param options Limits and cancellation.
   */
  read(meter: string, options?: SourceReadOptions): Promise<SourceReading>;
  /**
   * Scans the bus (or listens on air).
   *
   * @param params What to scan.
   * @param options Cancellation and progress.
   */
  scan(params: ScanParams, options?: SourceScanOptions): Promise<FoundMeter[]>;
  /** Sets a meter's primary address (wired only). */
  setPrimaryAddress(
    meter: string,
    newAddress: number,
    options?: { signal?: AbortSignal },
  ): Promise<void>;
  /** Switches a meter's baud rate (wired only). */
  setBaudRate(
    meter: string,
    baudRate: number,
    options?: { signal?: AbortSignal },
  ): Promise<void>;
  /**
   * Takes the meters' per-address settings live (a wireless receiver's keys and drivers
   * apply from the next telegram).
   *
   * @param addresses The instance's meters as configured now.
   */
  setAddresses?(addresses: readonly SourceAddress[]): void;
  /**
   * Attaches the instance's wire tap (the bus monitor): the source tells it every frame it
   * writes and reads, or every telegram heard (see `wire_tap.ts`).
   *
   * @param tap The tap, or undefined to detach.
   */
  setWireTap?(tap: WireTap | undefined): void;
  /** Counters. */
  stats(): SourceStats;
  /** The health of the connection to the bus, where the source knows it. */
  link?(): LinkStatus | undefined;
  /**
   * Listens to changes of {@link link}.
   *
   * @param fn Called after each change.
   * @returns Unsubscribes.
   */
  onLinkChange?(fn: LinkListener): () => void;
  /** Releases the transport. */
  close(): Promise<void>;
}
