/**
 * Reads one answer from a real transport until a quiet gap.
 *
 * @module
 */
import type { Transport } from "../../../src/transport/mod.ts";

/**
 * Sends a request and collects bytes until `quietMs` pass without one.
 *
 * @returns Everything received.
 */
export async function exchangeReal(
  port: Transport,
  request: Uint8Array,
  firstMs = 2000,
  quietMs = 150,
): Promise<Uint8Array> {
  await port.write(request);
  const parts: number[] = [];
  let wait = firstMs;
  for (;;) {
    const chunk = await port.read(300, wait);
    if (chunk.length === 0) break;
    parts.push(...chunk);
    wait = quietMs;
  }
  return Uint8Array.from(parts);
}
