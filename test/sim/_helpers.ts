/**
 * Request builders and a small exchange helper for the simulator tests.
 *
 * @module
 */
import {
  C_REQ_UD2,
  C_SND_NKE,
  C_SND_UD,
  C_SND_UD_FCB,
  CI_SELECT,
  controlFrame,
  encodeFrame,
  longFrame,
  shortFrame,
  withFcb,
} from "../../src/link/mod.ts";
import type { VirtualClock } from "../../src/util/mod.ts";
import type { Transport } from "../../src/transport/transport.ts";

/** @returns SND_NKE to `a`. */
export function sndNke(a: number): Uint8Array {
  return encodeFrame(shortFrame(C_SND_NKE, a));
}

/** @returns REQ_UD2 to `a` with the given FCB. */
export function reqUd2(a: number, fcb: boolean): Uint8Array {
  return encodeFrame(shortFrame(withFcb(C_REQ_UD2, fcb), a));
}

/** @returns A select frame (CI 0x52 to 253) with the 8 mask bytes. */
export function select(mask: Uint8Array): Uint8Array {
  return encodeFrame(longFrame(C_SND_UD_FCB, 0xfd, CI_SELECT, mask));
}

/** @returns Set primary address of `a` to `next`. */
export function setAddress(a: number, next: number): Uint8Array {
  return encodeFrame(
    longFrame(C_SND_UD, a, 0x51, Uint8Array.of(0x01, 0x7a, next)),
  );
}

/** @returns A control frame (baud switch, reset) to `a`. */
export function control(a: number, ci: number): Uint8Array {
  return encodeFrame(controlFrame(C_SND_UD, a, ci));
}

/**
 * Sends a request and collects the answer until `quietMs` pass without a byte.
 *
 * @returns Everything received.
 */
export async function exchange(
  port: Transport,
  clock: VirtualClock,
  request: Uint8Array,
  quietMs = 400,
): Promise<Uint8Array> {
  await port.write(request);
  const parts: number[] = [];
  for (;;) {
    const chunk = await clock.drive(port.read(300, quietMs));
    if (chunk.length === 0) break;
    parts.push(...chunk);
  }
  return Uint8Array.from(parts);
}
