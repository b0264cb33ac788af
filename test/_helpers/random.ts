/**
 * The seeded pseudo-random generator every test uses (mulberry32), so that a fuzz or
 * generated case that fails can be replayed from its seed.
 *
 * The simulator has its own generator (sim/_random.ts), which mixes the seed first;
 * tests keep this one so that their seeds give the same sequences as before.
 *
 * @module
 */

/**
 * Creates a seeded generator of uniformly distributed numbers in [0, 1).
 *
 * @param seed Any integer (taken as unsigned 32 bits); equal seeds give equal sequences.
 * @returns The generator.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
