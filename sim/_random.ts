/**
 * A small seeded pseudo-random generator (mulberry32), so that generated buses and
 * failure modes repeat exactly for a given seed.
 *
 * @module
 */

/** A function returning uniformly distributed numbers in [0, 1). */
export type Random = () => number;

/**
 * Creates a seeded generator.
 *
 * @param seed Any integer; equal seeds give equal sequences.
 * @returns The generator.
 */
export function createRandom(seed: number): Random {
  let state = (seed >>> 0) ^ 0x9e3779b9;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Hashes a text to a 32-bit seed (FNV-1a), to derive per-meter seeds from IDs.
 *
 * @param text Any text.
 * @returns An unsigned 32-bit number.
 */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
