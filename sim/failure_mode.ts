/**
 * Ways a virtual slave misbehaves, applied to the bytes it was about to send. The slave's
 * state advances as usual (it did answer); only what reaches the wire changes. `silent`
 * and `intermittent` are handled before the slave hears the request.
 *
 * @module
 */
import type { Random } from "./_random.ts";

/** Names of the failure modes. */
export const FAILURE_MODES = [
  "silent",
  "late",
  "badChecksum",
  "truncated",
  "noise",
  "intermittent",
] as const;

/** One of {@link FAILURE_MODES}. */
export type FailureModeName = typeof FAILURE_MODES[number];

/** How a slave misbehaves. */
export interface FailureMode {
  /**
   * `silent`: never answers; `late`: answers after `lateDelayMs` more; `badChecksum`:
   * long frames carry a wrong checksum; `truncated`: the answer stops half way; `noise`:
   * `noiseBytes` random bytes precede the answer; `intermittent`: does not hear a request
   * with the given probability.
   */
  mode: FailureModeName;
  /** Chance that one answer is affected (intermittent: that a request is missed). @default 1 (intermittent 0.5) */
  probability?: number;
  /** Extra delay of `late` answers. @default 1500 */
  lateDelayMs?: number;
  /** Noise bytes before the answer. @default 3 */
  noiseBytes?: number;
}

/** An answer after the failure mode was applied. */
export interface DamagedAnswer {
  /** What goes on the wire (may be empty). */
  bytes: Uint8Array;
  /** Delay to add to the slave's answer delay. */
  extraDelayMs: number;
}

/**
 * Applies a failure mode to an answer.
 *
 * @param bytes The intact answer.
 * @param failure The mode.
 * @param random The slave's dice.
 * @returns The damaged answer.
 */
export function applyFailure(
  bytes: Uint8Array,
  failure: FailureMode,
  random: Random,
): DamagedAnswer {
  const intact = { bytes, extraDelayMs: 0 };
  if (failure.mode === "silent" || failure.mode === "intermittent") {
    return intact;
  }
  if (random() >= (failure.probability ?? 1)) return intact;
  switch (failure.mode) {
    case "late":
      return { bytes, extraDelayMs: failure.lateDelayMs ?? 1500 };
    case "badChecksum": {
      if (bytes.length < 5) return intact;
      const out = bytes.slice();
      const at = out.length - 2;
      out[at] = ((out[at] ?? 0) + 1 + Math.floor(random() * 254)) & 0xff;
      return { bytes: out, extraDelayMs: 0 };
    }
    case "truncated":
      return {
        bytes: bytes.subarray(0, Math.floor(bytes.length / 2)),
        extraDelayMs: 0,
      };
    case "noise": {
      const n = failure.noiseBytes ?? 3;
      const out = new Uint8Array(n + bytes.length);
      for (let i = 0; i < n; i++) out[i] = Math.floor(random() * 256);
      out.set(bytes, n);
      return { bytes: out, extraDelayMs: 0 };
    }
  }
}
