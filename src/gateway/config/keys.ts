/**
 * The configuration file's shape: one application file holding the API and history
 * settings and any number of gateway instances. Every key has a default here, once.
 *
 * @module
 */

/** How values are emitted: on change, on every cycle, or re-emitted every N ms. */
export type EmitMode = "changes" | "cycle" | number;

/** When history rows are written: never, on change, on every read, or every N ms. */
export type LogMode = "never" | "update" | "always" | number;

/** The bus (or radio) a gateway instance talks to. */
export type GatewayType = "serial" | "tcp" | "wireless";

/** One meter of an instance, as configured. */
export interface AddressConfig {
  /** Primary address (0..250), 8-digit ID, 16-hex secondary address, or a wireless meter ID; normalised. */
  name: string;
  /** Free text. @default "" */
  description: string;
  /** Multiplier applied to numeric values. @default 1 */
  scale: number;
  /** Added after scaling. @default 0 */
  offset: number;
  /** Per-address polling override (ms or cron, `;`-joined); undefined = the instance's. */
  polling?: string | number;
  /** Most frames read in a multi-frame readout. @default 16 */
  maxFrames: number;
  /** Most records kept. @default 1000 */
  maxRecords: number;
  /** Poll only every (skipLoops + 1)-th cycle. @default 0 */
  skipLoops: number;
  /** History policy. @default "never" */
  log: LogMode;
  /** AES key of an encrypted (wireless) meter, 32 hex digits; never exposed by accessors. */
  key?: string;
  /** Wireless driver name; undefined = auto-detect. */
  driver?: string;
}

/** One gateway instance. */
export interface GatewayConfig {
  /** Unique instance name (a letter, then letters, digits, `_`, `-`, `.`). */
  name: string;
  /** Cluster number, unique per file: `%mbus<cluster>:…` paths. @default 0 */
  cluster: number;
  /** Free text. @default "" */
  description: string;
  /** Bus kind. @default "tcp" */
  type: GatewayType;
  /** Publish only values, without unit/quantity/... metadata. @default true */
  onlyValues: boolean;
  /** Emit policy. @default "changes" */
  emitOnlyChanges: EmitMode;
  /** Serial device path (type serial, wireless). @default "" */
  serialPort: string;
  /** Serial line speed. @default 2400 */
  serialBaudRate: number;
  /** TCP converter host. @default "192.168.1.1" */
  host: string;
  /** TCP converter port. @default 10001 */
  port: number;
  /** Polling: ms, or cron expressions joined by `;`. @default 1000 */
  polling: string | number;
  /** Answer timeout in ms. @default 5000 */
  requestTimeout: number;
  /** Pause between requests in ms. @default 1000 */
  idleTimeout: number;
  /** Retries after a timeout or bad frame. @default 0 */
  retry: number;
  /** Apply the VIF's 10^n factor. @default true */
  applyUnitFactor: boolean;
  /** libmbus compatibility profile. @default false */
  legacyDriver: boolean;
  /** Offer the bus to third-party masters over TCP (bridge). @default false */
  tcpServer: boolean;
  /** Bridge port. @default 8222 */
  tcpServerPort: number;
  /** Bridge listen address; off loopback the bus is open to the network. @default "127.0.0.1" */
  tcpServerHost: string;
  /** Silence after which a bridge client's bus goes back to polling, ms. @default 60000 */
  tcpServerIdleTimeout: number;
  /** The meters. @default [] */
  addresses: AddressConfig[];
}

/** HTTP API settings. */
export interface ApiConfig {
  /** Listen address. @default "127.0.0.1" */
  host: string;
  /** Listen port. @default 8080 */
  port: number;
  /** Bearer token for mutating endpoints; required off loopback. */
  token?: string;
}

/** History settings. */
export interface HistoryConfig {
  /** SQLite file; `:memory:` keeps it in memory. @default ":memory:" */
  path: string;
  /** Rows older than this are deleted. @default 30 */
  retentionDays: number;
}

/** The whole configuration file. */
export interface AppConfig {
  /** HTTP API. */
  api: ApiConfig;
  /** History store. */
  history: HistoryConfig;
  /** Gateway instances (at least one). */
  gateways: GatewayConfig[];
}

/** Defaults of a gateway instance (everything but `name` and `addresses`). */
export const GATEWAY_DEFAULTS = {
  cluster: 0,
  description: "",
  type: "tcp",
  onlyValues: true,
  emitOnlyChanges: "changes",
  serialPort: "",
  serialBaudRate: 2400,
  host: "192.168.1.1",
  port: 10001,
  polling: 1000,
  requestTimeout: 5000,
  idleTimeout: 1000,
  retry: 0,
  applyUnitFactor: true,
  legacyDriver: false,
  tcpServer: false,
  tcpServerPort: 8222,
  tcpServerHost: "127.0.0.1",
  tcpServerIdleTimeout: 60_000,
} as const satisfies Omit<GatewayConfig, "name" | "addresses">;

/** Defaults of an address (everything but `name`). */
export const ADDRESS_DEFAULTS = {
  description: "",
  scale: 1,
  offset: 0,
  maxFrames: 16,
  maxRecords: 1000,
  skipLoops: 0,
  log: "never",
} as const satisfies Omit<AddressConfig, "name">;

/** Defaults of the API section. */
export const API_DEFAULTS = { host: "127.0.0.1", port: 8080 } as const;

/** Defaults of the history section. */
export const HISTORY_DEFAULTS = {
  path: ":memory:",
  retentionDays: 30,
} as const;

/** Keys that the `legacyDriver` profile cannot honour. */
export const LEGACY_REFUSED_KEYS = [
  "requestTimeout",
  "idleTimeout",
  "retry",
] as const;
