/**
 * What the master's UART receives when slaves answer: one answer arrives byte by byte;
 * two or more answers that overlap in time are combined bit by bit as a wired-AND (a
 * slave sends a 0 by drawing current, which dominates the idle 1), then read back by a
 * UART that hunts for start bits. EN 13757-2 characters are 11 bits: start 0, 8 data
 * bits LSB first, even parity, stop 1.
 *
 * @module
 */

/** One sender's bytes, the first start bit at `startMs`. */
export interface Transmission {
  /** Virtual or real time in ms when the first start bit begins. */
  startMs: number;
  /** The bytes sent back to back. */
  bytes: Uint8Array;
}

/** Bytes as the master receives them, each with the time its stop bit ends. */
export interface TimedBytes {
  /** The received bytes. */
  bytes: Uint8Array;
  /** Arrival time in ms of each byte (same length as `bytes`, ascending). */
  times: Float64Array;
}

const BITS_PER_CHAR = 11;

/**
 * Times for bytes sent back to back from `startMs` at `baudRate`.
 *
 * @param tx The transmission.
 * @param baudRate Line speed.
 * @returns The bytes with the end time of each.
 */
export function timeBytes(tx: Transmission, baudRate: number): TimedBytes {
  const charMs = BITS_PER_CHAR * 1000 / baudRate;
  const times = new Float64Array(tx.bytes.length);
  for (let i = 0; i < times.length; i++) {
    times[i] = tx.startMs + (i + 1) * charMs;
  }
  return { bytes: tx.bytes, times };
}

function evenParity(byte: number): number {
  let b = byte;
  b ^= b >> 4;
  b ^= b >> 2;
  b ^= b >> 1;
  return b & 1;
}

/**
 * Combines answers that share the wire. One answer (or answers that do not overlap) are
 * passed through; overlapping answers are AND-ed bit by bit, aligned by their start times
 * rounded to whole bit times, and decoded again as a UART would: a start bit, 8 data bits,
 * and resync on the next 0 after them (parity and stop-bit errors are not reported, the
 * byte is delivered as many converters do).
 *
 * @param answers The senders' transmissions (any order).
 * @param baudRate Line speed shared by all senders.
 * @returns What the master receives.
 */
export function mergeAnswers(
  answers: readonly Transmission[],
  baudRate: number,
): TimedBytes {
  const sorted = answers.filter((a) => a.bytes.length > 0).sort((a, b) =>
    a.startMs - b.startMs
  );
  const first = sorted[0];
  if (!first) return { bytes: new Uint8Array(0), times: new Float64Array(0) };
  if (sorted.length === 1) return timeBytes(first, baudRate);
  const bitMs = 1000 / baudRate;
  const t0 = first.startMs;
  let totalBits = 0;
  const offsets = sorted.map((a) => {
    const off = Math.max(0, Math.round((a.startMs - t0) / bitMs));
    totalBits = Math.max(totalBits, off + a.bytes.length * BITS_PER_CHAR);
    return off;
  });
  const line = new Uint8Array(totalBits + BITS_PER_CHAR).fill(1);
  sorted.forEach((a, k) => {
    let pos = offsets[k] ?? 0;
    for (const byte of a.bytes) {
      line[pos] = 0; // start bit
      for (let bit = 0; bit < 8; bit++) {
        const at = pos + 1 + bit;
        line[at] = (line[at] ?? 1) & (byte >> bit) & 1;
      }
      line[pos + 9] = (line[pos + 9] ?? 1) & evenParity(byte);
      pos += BITS_PER_CHAR; // stop bit stays as it is (1 unless another sender pulls it)
    }
  });
  return decodeLine(line, totalBits, t0, bitMs);
}

function decodeLine(
  line: Uint8Array,
  totalBits: number,
  t0: number,
  bitMs: number,
): TimedBytes {
  const bytes: number[] = [];
  const times: number[] = [];
  let i = 0;
  while (i < totalBits) {
    if (line[i] === 1) {
      i++;
      continue;
    }
    let byte = 0;
    for (let bit = 0; bit < 8; bit++) byte |= (line[i + 1 + bit] ?? 1) << bit;
    bytes.push(byte);
    times.push(t0 + (i + BITS_PER_CHAR) * bitMs);
    i += 10; // continue at the stop bit position: a 0 there starts the next character
  }
  return { bytes: Uint8Array.from(bytes), times: Float64Array.from(times) };
}
