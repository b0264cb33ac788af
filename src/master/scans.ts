/**
 * Primary and secondary scans on the bus: the probes of {@link searchSecondary} as select
 * telegrams, identification by REQ_UD2, and the primary sweep with collision resolution.
 *
 * @module
 */
import {
  ADDRESS_NETWORK_LAYER,
  C_REQ_UD2,
  CI_RSP_UD_FIXED,
  CI_RSP_UD_VARIABLE,
  CI_RSP_UD_VARIABLE_MSB,
  type Frame,
  shortFrame,
} from "../link/mod.ts";
import { formatBcd } from "../util/mod.ts";
import type { MasterBus } from "./_bus.ts";
import {
  ANY_MASK,
  decodeSecondaryAddress,
  formatSecondaryAddress,
  formatSecondaryMask,
  parseSecondaryMask,
  type SecondaryMask,
} from "./address.ts";
import {
  type HexDigitPolicy,
  type IdentifiedMeter,
  type IdentifyResult,
  searchSecondary,
} from "./search_secondary.ts";

/** A meter found by a scan. */
export interface FoundMeter {
  /** Primary address, where known. */
  primary?: number;
  /** Secondary address, 16 hex digits (libmbus order). */
  secondary?: string;
  /** Identification number. */
  id?: string;
  /** Manufacturer letters. */
  manufacturer?: string;
  /** Version byte. */
  version?: number;
  /** Medium code. */
  medium?: number;
  /** True when several meters answered at this address or mask. */
  collision?: boolean;
}

/** Progress of a scan. */
export interface ScanProgress {
  /** Which scan. */
  kind: "primary" | "secondary";
  /** Addresses (primary) or probes (secondary) done. */
  done: number;
  /** Addresses to try (primary only). */
  total?: number;
  /** Meters found so far. */
  found: number;
  /** The address or mask just tried. */
  current: string;
}

/** Options of a primary scan. */
export interface PrimaryScanOptions {
  /** First address. @default 0 */
  from?: number;
  /** Last address. @default 250 */
  to?: number;
  /** Identify meters that share a primary address by a secondary scan. @default true */
  resolveCollisions?: boolean;
  /** Cancels the scan (rejects with `signal.reason`). */
  signal?: AbortSignal | undefined;
  /** Called after each address. */
  onProgress?: (progress: ScanProgress) => void;
}

/** Options of a secondary scan. */
export interface SecondaryScanOptions {
  /** Start mask. @default "FFFFFFFFFFFFFFFF" */
  mask?: string | SecondaryMask;
  /** Hex digits A–E in IDs. @default "auto" */
  hexDigits?: HexDigitPolicy;
  /** Order of ID digit narrowing. @default "lsb" */
  order?: "lsb" | "msb";
  /** Cancels the scan (rejects with `signal.reason`). */
  signal?: AbortSignal | undefined;
  /** Called after each probe. */
  onProgress?: (progress: ScanProgress) => void;
}

/** Probe counts of the last secondary scan. */
export interface SecondaryScanStats {
  /** Select telegrams sent. */
  probes: number;
  /** Probes nobody answered. */
  silent: number;
  /** Probes that collided. */
  collisions: number;
}

/** Reads the identity from a RSP_UD frame, if it has a long header. */
export function identityOf(frame: Frame): IdentifiedMeter | undefined {
  if (frame.type !== "long") return undefined;
  const long = frame.ci === CI_RSP_UD_VARIABLE ||
    frame.ci === CI_RSP_UD_VARIABLE_MSB;
  if (long && frame.data.length >= 8) {
    return { address: decodeSecondaryAddress(frame.data), primary: frame.a };
  }
  if (frame.ci === CI_RSP_UD_FIXED && frame.data.length >= 4) {
    // Fixed data (CI 73): only the ID is known.
    const id = formatBcd(frame.data.subarray(0, 4));
    return {
      address: { id, manufacturer: "", version: 0xff, medium: 0xff },
      primary: frame.a,
    };
  }
  return undefined;
}

/** Turns an identified meter into a {@link FoundMeter}. */
export function foundMeter(m: IdentifiedMeter): FoundMeter {
  const a = m.address;
  return {
    ...(m.primary === undefined ? {} : { primary: m.primary }),
    secondary: formatSecondaryAddress(a),
    id: a.id,
    manufacturer: a.manufacturer,
    version: a.version,
    medium: a.medium,
  };
}

/**
 * Secondary tree scan (one operation).
 *
 * @param bus The master's bus.
 * @param options Mask, policy, progress, cancellation.
 * @returns The meters found (and unresolved collisions) plus probe counts.
 */
export async function scanSecondary(
  bus: MasterBus,
  options: SecondaryScanOptions,
): Promise<{ meters: FoundMeter[]; stats: SecondaryScanStats }> {
  const { signal } = options;
  const root = typeof options.mask === "string"
    ? parseSecondaryMask(options.mask)
    : options.mask ?? ANY_MASK;
  const timeoutMs = bus.scanTimeoutMs;
  const result = await searchSecondary(root, {
    probe: async (mask) =>
      (await bus.select(mask, { timeoutMs, signal })).result,
    identify: () => identifySelected(bus, signal),
    signal,
    ...(options.hexDigits ? { hexDigits: options.hexDigits } : {}),
    ...(options.order ? { order: options.order } : {}),
    onProgress: (p) =>
      options.onProgress?.({
        kind: "secondary",
        done: p.probes,
        found: p.found,
        current: p.current,
      }),
  });
  const meters = result.meters.map(foundMeter);
  for (const mask of result.unresolved) {
    meters.push({ secondary: formatSecondaryMask(mask), collision: true });
  }
  const { probes, silent, collisions } = result;
  return { meters, stats: { probes, silent, collisions } };
}

async function identifySelected(
  bus: MasterBus,
  signal: AbortSignal | undefined,
): Promise<IdentifyResult> {
  const { outcome } = await bus.send(
    shortFrame(C_REQ_UD2, ADDRESS_NETWORK_LAYER),
    { signal, retry: Math.max(1, bus.options.retry) },
  );
  // Two selected meters whose E5s merged cleanly garble the RSP_UD (§4.3.5 pitfall);
  // a bad frame that survives the retry is taken as that.
  if (outcome.kind === "collision" || outcome.kind === "badFrame") {
    return { kind: "collision" };
  }
  if (outcome.kind !== "answer") return { kind: "none" };
  const meter = identityOf(outcome.frame);
  return meter ? { kind: "found", meter } : { kind: "none" };
}

/**
 * Primary scan (one operation): REQ_UD2 to each address; a garbled answer is reported as
 * a collision, and the meters sharing that address are identified by a secondary scan.
 *
 * @param bus The master's bus.
 * @param options Range, progress, cancellation.
 * @returns The meters found, in address order.
 */
export async function scanPrimary(
  bus: MasterBus,
  options: PrimaryScanOptions,
): Promise<FoundMeter[]> {
  const from = options.from ?? 0;
  const to = options.to ?? 250;
  const { signal } = options;
  const found: FoundMeter[] = [];
  const collided: number[] = [];
  for (let a = from; a <= to; a++) {
    signal?.throwIfAborted();
    const probe = () =>
      bus.send(shortFrame(C_REQ_UD2, a), {
        timeoutMs: bus.scanTimeoutMs,
        signal,
      });
    let { outcome } = await probe();
    if (outcome.kind === "collision" || outcome.kind === "badFrame") {
      // Confirm: a late answer of another meter or a burst of noise garbles once; two
      // meters sharing the address garble every time.
      outcome = (await probe()).outcome;
    }
    if (outcome.kind === "collision" || outcome.kind === "badFrame") {
      collided.push(a);
      found.push({ primary: a, collision: true });
    } else if (outcome.kind === "answer") {
      const m = identityOf(outcome.frame);
      found.push(m ? foundMeter({ ...m, primary: a }) : { primary: a });
    }
    options.onProgress?.({
      kind: "primary",
      done: a - from + 1,
      total: to - from + 1,
      found: found.length,
      current: String(a),
    });
  }
  if (collided.length === 0 || options.resolveCollisions === false) {
    return found;
  }
  const { meters } = await scanSecondary(bus, { signal });
  return found.flatMap((f) => {
    if (!f.collision) return [f];
    const sharing = meters.filter((m) => m.primary === f.primary);
    // One meter there after all: its answers were garbled (noise), not a collision.
    if (sharing.length === 1) return sharing;
    return sharing.length >= 2
      ? sharing.map((m) => ({ ...m, collision: true }))
      : [f];
  });
}
