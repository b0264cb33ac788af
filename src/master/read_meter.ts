/**
 * Reading a meter: by primary address (SND_NKE, then REQ_UD2; or REQ_UD2 alone with the
 * toggled FCB when the master knows the meter's FCB state) or by secondary address (select,
 * then REQ_UD2 to 253), following multi-telegram answers (DIF 1F) with a toggled FCB,
 * within `maxFrames` and `maxRecords` (mbus-wired.md §4.1–4.3).
 *
 * @module
 */
import { type DataRecord, decodeUserData, type Telegram } from "../app/mod.ts";
import {
  ADDRESS_BROADCAST_REPLY,
  ADDRESS_NETWORK_LAYER,
  C_REQ_UD2,
  withFcb,
} from "../link/mod.ts";
import { shortFrame } from "../link/mod.ts";
import type { MasterBus } from "./_bus.ts";
import {
  formatMeterAddress,
  type MeterAddress,
  type SecondaryMask,
  secondaryMask,
} from "./address.ts";
import { DEFAULT_MAX_FRAMES } from "./defaults.ts";
import { BadAnswerError, CollisionError, NoResponseError } from "./errors.ts";

/** Options of a readout. */
export interface ReadOptions {
  /** Most telegrams to fetch. @default 16 */
  maxFrames?: number;
  /** Most records to keep (the readout stops once reached). @default unlimited */
  maxRecords?: number;
  /** Cancels the readout (rejects with `signal.reason`). */
  signal?: AbortSignal | undefined;
  /** When to send a SND_NKE first; see {@link LinkResetPolicy}. @default the master's */
  linkReset?: LinkResetPolicy;
  /**
   * Asked between the telegrams of a multi-telegram readout: true stops the readout there
   * (the reading comes back `partial` and `yielded`), so that another user of the bus (a
   * TCP bridge client) waits one telegram, not a whole readout.
   */
  yieldWhen?: () => boolean;
}

/** The first answer's link fields. */
export interface AnswerFrame {
  /** C field of the RSP_UD. */
  c: number;
  /** A field: the meter's primary address. */
  a: number;
  /** CI field. */
  ci: number;
}

/** A meter's answer: the merged telegram and how it was read. */
export interface MeterReading {
  /** The address that was read. */
  address: MeterAddress;
  /** Header of the first telegram and the records of all telegrams, numbered in order. */
  telegram: Telegram;
  /** Link fields of the first answer. */
  frame: AnswerFrame;
  /** Telegrams read. */
  frames: number;
  /** True when the meter announced more records and then stopped answering (or yielded). */
  partial: boolean;
  /** True when the readout stopped early because `yieldWhen` asked for the bus. */
  yielded?: boolean;
  /** Time of the first answer, ms since the epoch (the master's clock). */
  readAt: number;
}

/** Link-layer key of a meter's FCB state. */
export function meterKey(address: MeterAddress): string {
  return address.kind === "primary"
    ? `p${address.address}`
    : `s${formatMeterAddress(address)}`;
}

/**
 * When a readout starts with a link reset (SND_NKE, which also restarts a multi-telegram
 * meter at its first telegram):
 * - `"always"`: before every readout by primary address (the safe choice for one-off
 *   reads; libmbus does the same);
 * - `"whenNeeded"`: only when the master does not know the meter's FCB state: on first
 *   contact, after a failed or partial readout, after a multi-telegram readout, after any
 *   other operation (scan, command) and after `Master.resetFcbState()`. A
 *   single-telegram meter whose last readout succeeded is read with one REQ_UD2 and the
 *   toggled FCB (a meter that honours the FCB sends new data; one that ignores it does
 *   anyway). A secondary address is always selected and reset.
 */
export type LinkResetPolicy = "always" | "whenNeeded";

/** The readout options with the master's settings filled in. */
export type ResolvedReadOptions = ReadOptions & {
  applyUnitFactor: boolean;
  linkReset: LinkResetPolicy;
};

/**
 * Reads a meter (one operation on the bus).
 *
 * @param bus The master's bus.
 * @param address Which meter.
 * @param options Limits, cancellation, unit factors, link reset policy.
 * @returns The reading.
 */
export async function readMeter(
  bus: MasterBus,
  address: MeterAddress,
  options: ResolvedReadOptions,
): Promise<MeterReading> {
  const key = meterKey(address);
  try {
    let reading: MeterReading | undefined;
    if (options.linkReset === "whenNeeded" && canSkipReset(bus, address)) {
      // Without a reset the first answer must be a whole reading; a meter that announces
      // more telegrams may be mid-sequence: restart it below with a SND_NKE.
      reading = await readSequence(bus, address, address.address, {
        ...options,
        singleTelegram: true,
      });
    }
    if (!reading) {
      const a = await reach(bus, address, options.signal);
      reading = await readSequence(bus, address, a, options);
    }
    const single = reading && reading.frames === 1 && !reading.partial &&
      !reading.telegram.moreRecordsFollow;
    if (!single) bus.fcbLost(key);
    if (!reading) throw new NoResponseError(formatMeterAddress(address), 0);
    return reading;
  } catch (e) {
    bus.fcbLost(key);
    throw e;
  }
}

function canSkipReset(
  bus: MasterBus,
  address: MeterAddress,
): address is MeterAddress & { kind: "primary" } {
  return address.kind === "primary" &&
    address.address !== ADDRESS_BROADCAST_REPLY &&
    bus.isFcbKnown(meterKey(address));
}

/**
 * REQ_UD2s at `a` until the last telegram or a limit. With `singleTelegram`, undefined
 * when the first telegram announces more.
 */
async function readSequence(
  bus: MasterBus,
  address: MeterAddress,
  a: number,
  options: ResolvedReadOptions & { singleTelegram?: boolean },
): Promise<MeterReading | undefined> {
  const text = formatMeterAddress(address);
  const key = meterKey(address);
  const maxFrames = Math.max(1, options.maxFrames ?? DEFAULT_MAX_FRAMES);
  const maxRecords = options.maxRecords ?? Infinity;
  let merged: Telegram | undefined;
  let first: AnswerFrame | undefined;
  let readAt = 0;
  let frames = 0;
  let partial = false;
  let yielded = false;
  while (frames < maxFrames) {
    const next = await readTelegram(bus, a, key, text, options);
    if (next instanceof Error) {
      // Nothing read yet: the meter failed. Some telegrams read: a partial reading.
      if (!merged) throw next;
      partial = true;
      break;
    }
    frames++;
    if (!merged || !first) {
      if (options.singleTelegram && next.telegram.moreRecordsFollow) {
        return undefined;
      }
      first = next.frame;
      readAt = bus.clock.now();
    }
    merged = merge(merged, next.telegram);
    if (merged.records.length >= maxRecords) {
      merged.records.length = maxRecords;
      break;
    }
    if (!next.telegram.moreRecordsFollow) break;
    if (frames < maxFrames && options.yieldWhen?.()) {
      partial = true;
      yielded = true;
      break;
    }
  }
  if (!merged || !first) throw new NoResponseError(text, 0);
  return {
    address,
    telegram: merged,
    frame: first,
    frames,
    partial,
    readAt,
    ...(yielded ? { yielded } : {}),
  };
}

/** One REQ_UD2 with the meter's next FCB: the decoded telegram, or why not. */
async function readTelegram(
  bus: MasterBus,
  a: number,
  key: string,
  text: string,
  options: ResolvedReadOptions,
): Promise<{ telegram: Telegram; frame: AnswerFrame } | Error> {
  const fcb = bus.nextFcb(key);
  const { outcome, attempts } = await bus.send(
    shortFrame(withFcb(C_REQ_UD2, fcb), a),
    // Only one meter answers a primary address below 254 or 253 after a selection: no
    // listening for trailing bytes after its frame (a SND_NKE still listens, so that two
    // meters sharing an address show as a collision there).
    { signal: options.signal, stopAtFrame: a !== ADDRESS_BROADCAST_REPLY },
  );
  switch (outcome.kind) {
    case "timeout":
      return new NoResponseError(text, attempts);
    case "collision":
      return new CollisionError(text);
    case "badFrame":
      return new BadAnswerError(text, "not a valid frame");
  }
  const frame = outcome.frame;
  if (frame.type !== "long") {
    return new BadAnswerError(text, `a ${frame.type} frame`);
  }
  bus.fcbAnswered(key, fcb);
  const decoded = decodeUserData(frame.ci, frame.data, {
    applyUnitFactor: options.applyUnitFactor,
  });
  if (!decoded.ok) return new BadAnswerError(text, decoded.error.message);
  return {
    telegram: decoded.value,
    frame: { c: frame.c, a: frame.a, ci: frame.ci },
  };
}

/** Makes the meter addressable: link reset at its primary address, or a selection. */
async function reach(
  bus: MasterBus,
  address: MeterAddress,
  signal: AbortSignal | undefined,
): Promise<number> {
  const text = formatMeterAddress(address);
  if (address.kind === "primary") {
    const r = await bus.linkReset(address.address, meterKey(address), {
      signal,
    });
    if (r.outcome.kind === "timeout") {
      throw new NoResponseError(text, r.attempts, "acknowledge");
    }
    if (r.outcome.kind === "collision") throw new CollisionError(text);
    return address.address;
  }
  const mask = secondaryMask(address.secondary);
  await selectOne(bus, mask, text, signal);
  // SND_NKE to 253 resets the selected meter's FCB state (so that it starts with its first
  // telegram, as after SND_NKE by primary address) but also deselects it: select again.
  const reset = await bus.linkReset(ADDRESS_NETWORK_LAYER, meterKey(address), {
    signal,
  });
  if (reset.outcome.kind === "answer") await selectOne(bus, mask, text, signal);
  return ADDRESS_NETWORK_LAYER;
}

/**
 * Selects exactly one meter by a mask.
 *
 * @throws {NoResponseError} When nobody answers.
 * @throws {CollisionError} When several meters match.
 */
export async function selectOne(
  bus: MasterBus,
  mask: SecondaryMask,
  text: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { result, attempts } = await bus.select(mask, { signal });
  if (result === "none") throw new NoResponseError(text, attempts, "selection");
  if (result === "collision") {
    throw new CollisionError(text, "several meters match the selection");
  }
}

/** Appends a telegram's records to a reading, numbering them on. */
export function merge(
  into: Telegram | undefined,
  next: Telegram,
): Telegram {
  const offset = into?.records.length ?? 0;
  const records: DataRecord[] = next.records.map((r, i) => ({
    ...r,
    index: offset + i,
  }));
  if (!into) return { ...next, records };
  return {
    ...into,
    records: [...into.records, ...records],
    moreRecordsFollow: next.moreRecordsFollow,
    manufacturerData: next.manufacturerData ?? into.manufacturerData,
    error: into.error ?? next.error,
  };
}
