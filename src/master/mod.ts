/**
 * The M-Bus master (EN 13757-2/-3): one request at a time, request timeout, idle pause,
 * retries, FCB, multi-telegram readout, primary scan, frugal secondary tree scan,
 * selection, set primary address, baud switch and application reset, with progress events
 * and cancellation. Imports link, app, transport and util.
 *
 * @example
 * ```ts ignore
 * import { Master, parseMeterAddress } from "./mod.ts";
 * const master = new Master({ transport, clock });
 * const reading = await master.readMeter(parseMeterAddress("5"), { maxFrames: 4 });
 * ```
 * @module
 */
export {
  ANY_MASK,
  decodeSecondaryAddress,
  encodeSelectData,
  formatMeterAddress,
  formatSecondaryAddress,
  formatSecondaryMask,
  maskMatches,
  type MeterAddress,
  parseMeterAddress,
  parseSecondaryMask,
  type SecondaryAddress,
  type SecondaryMask,
} from "./address.ts";
export { BadAnswerError, CollisionError, NoResponseError } from "./errors.ts";
export { Master, type MasterOptions } from "./master.ts";
export type {
  AnswerFrame,
  LinkResetPolicy,
  MeterReading,
  ReadOptions,
} from "./read_meter.ts";
export type { MasterStats, Outcome } from "./request_engine.ts";
export type {
  FoundMeter,
  PrimaryScanOptions,
  ScanProgress,
  SecondaryScanOptions,
  SecondaryScanStats,
} from "./scans.ts";
export {
  type HexDigitPolicy,
  type IdentifiedMeter,
  type IdentifyResult,
  type ProbeResult,
  type SearchProgress,
  type SearchResult,
  searchSecondary,
  type SearchSecondaryOptions,
} from "./search_secondary.ts";
export type { CommandOptions } from "./commands.ts";
export { frameGapMs, probeTimeoutMs } from "./timing.ts";
export {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_FRAMES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRY,
} from "./defaults.ts";
