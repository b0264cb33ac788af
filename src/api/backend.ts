/**
 * What the HTTP API needs from the gateway, as TypeScript interfaces. The gateway's
 * `GatewayHost` satisfies {@link ApiBackend} structurally (or through a thin adapter); tests
 * can hand in anything of this shape. The API never reaches below this seam.
 *
 * @module
 */

/** Parameters of a scan job, as the API accepts them. */
export type ApiScanParams =
  | {
    /** Primary scan over a range of primary addresses. */
    readonly kind: "primary";
    /** First primary address probed; default 0. */
    readonly from?: number;
    /** Last primary address probed; default 250. */
    readonly to?: number;
  }
  | {
    /** Secondary tree scan under a mask. */
    readonly kind: "secondary";
    /** 16-digit mask with `F` wildcards; default all wildcards. */
    readonly mask?: string;
  }
  | {
    /** Listen for wireless telegrams. */
    readonly kind: "wireless";
    /** How long to listen, in milliseconds. */
    readonly durationMs: number;
  };

/** A scan running (or finished) on one instance. */
export interface ApiScanJob {
  /** Job id, unique within its instance. */
  readonly id: string;
  /** `primary`, `secondary` or `wireless`. */
  readonly kind: string;
  /** `running`, `done`, `cancelled` or `failed`. */
  readonly status: string;
  /** Progress so far (shape owned by the gateway). */
  readonly progress?: unknown;
  /** What the scan found (shape owned by the gateway). */
  readonly result?: unknown;
  /** Why it failed. */
  readonly error?: unknown;
  /** Requests cancellation; the job ends as `cancelled`. */
  cancel(): void;
}

/**
 * Counters of one instance. Every numeric field (also ones not listed here, and nested ones)
 * becomes a Prometheus metric; the listed ones get their canonical names.
 */
export interface ApiGatewayMetrics {
  /** Requests sent on the bus. */
  readonly requests?: number;
  /** Answers received. */
  readonly answers?: number;
  /** Requests that got no answer. */
  readonly timeouts?: number;
  /** Collisions (garbled answers) seen. */
  readonly collisions?: number;
  /** Repeated requests. */
  readonly retries?: number;
  /** Time the bus was owned by someone, in ms. */
  readonly busBusyMs?: number;
  /** Polling cycles run. */
  readonly cycles?: number;
  /** Polling ticks coalesced because a cycle overran them. */
  readonly missedTicks?: number;
}

/** A live event of one instance (`valueChanged`, `scanProgress`, `scanFinished`, `busState`, …). */
export interface ApiGatewayEvent {
  /** Event name; past tense or a state name. */
  readonly type: string;
  /** Further fields (shape owned by the gateway). */
  readonly [field: string]: unknown;
}

/** Something events can be subscribed to. */
export interface ApiEventSource {
  /**
   * Registers a listener.
   *
   * @param listener Called once per event, synchronously.
   * @returns A function that removes the listener.
   */
  subscribe(listener: (event: ApiGatewayEvent) => void): () => void;
}

/** One frame on an instance's wire (structural: the gateway's `WireFrame`). */
export interface ApiWireFrame {
  /** Time on the wire, ms since the epoch. */
  readonly at: number;
  /** `tx` (master → meters) or `rx` (meters → master, telegrams heard). */
  readonly direction: string;
  /** `master`, `bridge` or `radio`. */
  readonly origin: string;
  /** `frame`, `garbage` or `telegram`. */
  readonly kind: string;
  /** The bytes. */
  readonly bytes: Uint8Array;
  /** Garbage: the link error code. */
  readonly error?: string;
  /** Telegram: signal level. */
  readonly rssi?: number;
  /** Telegram: what the gateway made of it. */
  readonly outcome?: string;
  /** Telegram: error code of a failed one. */
  readonly outcomeCode?: string;
  /** Telegram: its driver. */
  readonly driver?: string;
}

/** The frames on an instance's wire (the bus monitor listens while it is used). */
export interface ApiWireTap {
  /**
   * Registers a listener; the tap works only while someone listens.
   *
   * @param listener Called once per frame, synchronously.
   * @returns A function that removes the listener.
   */
  subscribe(listener: (frame: ApiWireFrame) => void): () => void;
}

/** One gateway instance (a bus or a wireless receiver). */
export interface ApiGateway {
  /** Instance name, unique in the host. */
  readonly name: string;
  /** Cluster number (`%mbus<cluster>:` paths), when the gateway has clusters. */
  readonly cluster?: number;
  /** The instance's configuration; the API redacts every `key` before returning it. */
  readonly config: unknown;
  /** `connecting`, `offline`, `idle`, `polling`, `scanning`, `bridged` or `stopped`. */
  readonly state: string;
  /** The connection to the bus: state, reason, next attempt, counters (null if unknown). */
  readonly link?: unknown;
  /** The frames on the bus, for the monitor (absent: the instance is not monitored). */
  readonly wire?: ApiWireTap;
  /** The TCP bridge (listen address, connected client, sessions), or null when off. */
  readonly bridge?: unknown;
  /**
   * Meters heard on air, configured or not (wireless instances).
   *
   * @returns Rows (shape owned by the gateway).
   */
  heard?(): readonly unknown[];
  /**
   * Current values of the address tree.
   *
   * @param filter `address` narrows to one meter, `q` to entries whose path or metadata contain it.
   * @returns Entries (shape owned by the gateway).
   */
  values(filter?: { address?: string; q?: string }): readonly unknown[];
  /**
   * One entry or subtree of the address tree.
   *
   * @param path A `%mbus:` path.
   * @returns The entry, or undefined when the path names nothing (yet).
   */
  get(path: string): unknown;
  /**
   * Reads one meter now, through the bus arbiter.
   *
   * @param address Primary or secondary address text.
   * @param signal Cancels the read.
   * @returns The reading.
   */
  read(address: string, signal?: AbortSignal): Promise<unknown>;
  /**
   * Starts a scan job.
   *
   * @param params What to scan.
   * @returns The job (running).
   */
  startScan(params: ApiScanParams): ApiScanJob;
  /**
   * Every scan job still remembered.
   *
   * @returns The jobs, oldest first.
   */
  scans(): readonly ApiScanJob[];
  /**
   * One scan job.
   *
   * @param id Job id.
   * @returns The job, or undefined.
   */
  scan(id: string): ApiScanJob | undefined;
  /**
   * Changes a meter's primary address.
   *
   * @param address Current address text.
   * @param newAddress New primary address 0..250.
   */
  setPrimaryAddress(address: string, newAddress: number): Promise<unknown>;
  /**
   * Switches a meter's baud rate.
   *
   * @param address Address text.
   * @param baudRate New baud rate.
   */
  setBaudRate(address: string, baudRate: number): Promise<unknown>;
  /**
   * The instance's counters.
   *
   * @returns Counters.
   */
  metrics(): ApiGatewayMetrics;
  /** The instance's live events. */
  readonly events: ApiEventSource;
}

/** A history query. */
export interface ApiHistoryQuery {
  /** Address or `%mbus:` path to narrow to. */
  address?: string;
  /** Instance name to narrow to. */
  instance?: string;
  /** Start of the range, ms since the epoch (inclusive). */
  from: number;
  /** End of the range, ms since the epoch (inclusive). */
  to: number;
  /** Only rows after this one (time and row number of a page's last row). */
  after?: { t: number; id: number };
  /** At most this many rows. */
  limit?: number;
}

/** The history log. */
export interface ApiHistory {
  /**
   * Rows in a time range.
   *
   * @param query Range and filters.
   * @returns Rows (shape owned by the gateway).
   */
  query(query: ApiHistoryQuery): readonly unknown[];
  /** The writer's counters, exposed at `/metrics`. */
  readonly stats?: ApiHistoryStats;
}

/** Counters of the history writer. */
export interface ApiHistoryStats {
  /** Rows committed to the database. */
  readonly writtenRows: number;
  /** Rows waiting for their commit now. */
  readonly queuedRows: number;
  /** Rows dropped because the database could not be written and the queue was full. */
  readonly droppedRows: number;
  /** Commits that failed (their rows stayed queued). */
  readonly failedFlushes: number;
  /** Duration of the last commit, ms. */
  readonly lastFlushMs: number;
}

/** What the API is served from: the gateway host. */
export interface ApiBackend {
  /** Every instance. */
  readonly instances: readonly ApiGateway[];
  /**
   * One instance by name.
   *
   * @param name Instance name.
   * @returns The instance, or undefined.
   */
  get(name: string): ApiGateway | undefined;
  /** The history log, when history is configured. */
  readonly history?: ApiHistory | undefined;
  /**
   * Resolves a `%mbus:` path (with instance name or cluster) to its instance. Without it,
   * the API tries the instances in order.
   *
   * @param path The path text.
   * @returns The instance (the path's parsed form is not used by the API).
   * @throws An `MbusError` (`BAD_PATH`, `NOT_FOUND`) when the path is malformed or names no instance.
   */
  resolve?(path: string): { readonly gateway: ApiGateway };
  /**
   * Reads the meter of a path now and returns the path's content afterwards.
   *
   * @param path The path text.
   * @param signal Cancels the read.
   * @returns The node, entry or leaf (undefined when the meter lacks it).
   */
  readPath?(path: string, signal?: AbortSignal): Promise<unknown>;
  /**
   * Edits the configuration file: validated, then written atomically. Meter changes apply
   * to running instances at once; instance-level changes wait for a restart.
   *
   * @param mutator Edits the file's raw JSON in place (or returns a replacement).
   * @returns The new configuration, secrets redacted.
   * @throws An `MbusError` (`UNSUPPORTED` without a file, `INVALID_CONFIG` when the result is invalid).
   */
  updateConfig?(
    mutator: (raw: Record<string, unknown>) => Record<string, unknown> | void,
  ): Promise<unknown>;
}
