/**
 * A readout exactly as libmbus's multi-telegram read does it (libmbus-behaviour.md §1–2),
 * for the `legacyDriver` profile: SND_NKE to 253 twice, each followed by a purge; by
 * secondary address one select (no retry) with a purge after its ACK; then REQ_UD2 with
 * C = 7B first, FCB toggled only to ask for the next telegram, the same frame resent after a
 * timeout or an invalid reply (purge first) up to 3 times in a row, and a purge after every
 * good answer. "Purge" = listen until one answer timeout passes in silence.
 *
 * @module
 */
import { decodeUserData, type Telegram } from "../app/mod.ts";
import {
  ADDRESS_NETWORK_LAYER,
  C_REQ_UD2,
  C_SND_NKE,
  C_SND_UD_FCB,
  CI_SELECT,
  longFrame,
  MAX_FRAME_LENGTH,
  shortFrame,
  withFcb,
} from "../link/mod.ts";
import type { MasterBus } from "./_bus.ts";
import {
  encodeSelectData,
  formatMeterAddress,
  type MeterAddress,
  secondaryMask,
} from "./address.ts";
import { DEFAULT_MAX_FRAMES } from "./defaults.ts";
import { BadAnswerError, CollisionError, NoResponseError } from "./errors.ts";
import {
  type AnswerFrame,
  merge,
  meterKey,
  type MeterReading,
  type ResolvedReadOptions,
} from "./read_meter.ts";

/** libmbus's `max_data_retry`: a REQ_UD2 is sent at most 4 times in a row. */
export const LIBMBUS_DATA_RETRY = 3;

/**
 * Listens until one answer timeout passes without a byte (libmbus's purge).
 *
 * @returns True when anything arrived.
 */
async function purge(
  bus: MasterBus,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const transport = bus.engine.transport;
  let got = 0;
  // Bounded: a line that never falls silent ends the purge after a few frames' worth.
  while (got < 4 * MAX_FRAME_LENGTH) {
    const chunk = await transport.read(
      MAX_FRAME_LENGTH,
      bus.options.requestTimeoutMs,
      signal,
    );
    if (chunk.length === 0) break;
    got += chunk.length;
  }
  return got > 0;
}

/** One select telegram as libmbus's read sends it: no retry; ACK then a purge. */
async function select(
  bus: MasterBus,
  address: MeterAddress & { kind: "secondary" },
  signal: AbortSignal | undefined,
): Promise<void> {
  const text = formatMeterAddress(address);
  const frame = longFrame(
    C_SND_UD_FCB,
    ADDRESS_NETWORK_LAYER,
    CI_SELECT,
    encodeSelectData(secondaryMask(address.secondary)),
  );
  const { outcome } = await bus.send(frame, {
    retry: 0,
    stopAtFrame: true,
    signal,
  });
  if (outcome.kind === "timeout") {
    throw new NoResponseError(text, 1, "selection");
  }
  if (outcome.kind !== "answer") {
    await purge(bus, signal);
    throw new CollisionError(text, "several meters match the selection");
  }
  if (outcome.frame.type !== "ack") {
    throw new NoResponseError(text, 1, "selection");
  }
  if (await purge(bus, signal)) {
    throw new CollisionError(text, "several meters match the selection");
  }
}

/**
 * Reads a meter with libmbus's request sequence (one operation on the bus).
 *
 * @param bus The master's bus.
 * @param address Which meter.
 * @param options Limits, cancellation, unit factors (`linkReset` is not used).
 * @returns The reading; `partial` when a later telegram failed 4 times.
 */
export async function readMeterLibmbus(
  bus: MasterBus,
  address: MeterAddress,
  options: ResolvedReadOptions,
): Promise<MeterReading> {
  const { signal } = options;
  const text = formatMeterAddress(address);
  // libmbus keeps no FCB state between reads; neither do we for this meter.
  bus.fcbLost(meterKey(address));
  for (let i = 0; i < 2; i++) {
    await bus.send(shortFrame(C_SND_NKE, ADDRESS_NETWORK_LAYER), {
      expectAnswer: false,
      signal,
    });
    await purge(bus, signal);
  }
  let a = ADDRESS_NETWORK_LAYER;
  if (address.kind === "secondary") await select(bus, address, signal);
  else a = address.address;

  const maxFrames = Math.max(1, options.maxFrames ?? DEFAULT_MAX_FRAMES);
  const maxRecords = options.maxRecords ?? Infinity;
  let merged: Telegram | undefined;
  let first: AnswerFrame | undefined;
  let readAt = 0;
  let frames = 0;
  let fcb = true;
  let failures = 0;
  let failure: Error | undefined;
  for (;;) {
    const request = shortFrame(withFcb(C_REQ_UD2, fcb), a);
    const { outcome } = await bus.send(request, {
      retry: 0,
      stopAtFrame: true,
      signal,
    });
    if (outcome.kind !== "answer") {
      if (outcome.kind !== "timeout") await purge(bus, signal);
      failure = outcome.kind === "timeout"
        ? new NoResponseError(text, failures + 1)
        : outcome.kind === "collision"
        ? new CollisionError(text)
        : new BadAnswerError(text, "not a valid frame");
      if (++failures > LIBMBUS_DATA_RETRY) break;
      bus.engine.stats.retries++;
      continue;
    }
    failures = 0;
    failure = undefined;
    await purge(bus, signal);
    const frame = outcome.frame;
    if (frame.type !== "long") {
      failure = new BadAnswerError(text, `a ${frame.type} frame`);
      break;
    }
    const decoded = decodeUserData(frame.ci, frame.data, {
      applyUnitFactor: options.applyUnitFactor,
    });
    if (!decoded.ok) {
      failure = new BadAnswerError(text, decoded.error.message);
      break;
    }
    frames++;
    if (!merged) {
      first = { c: frame.c, a: frame.a, ci: frame.ci };
      readAt = bus.clock.now();
    }
    merged = merge(merged, decoded.value);
    if (merged.records.length >= maxRecords) {
      merged.records.length = maxRecords;
      break;
    }
    if (!decoded.value.moreRecordsFollow || frames >= maxFrames) break;
    fcb = !fcb;
  }
  if (!merged || !first) throw failure ?? new NoResponseError(text, 0);
  return {
    address,
    telegram: merged,
    frame: first,
    frames,
    partial: failure !== undefined,
    readAt,
  };
}
