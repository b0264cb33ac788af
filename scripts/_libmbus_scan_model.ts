/**
 * A model of libmbus's scans (primary: SND_NKE to every address; secondary: the
 * depth-first mask walk), written from docs/libmbus-behaviour.md §1 and §3, run over a
 * Transport on a VirtualClock so that bench_scan.ts can compare its bus time with ours.
 *
 * @module
 */
import {
  ADDRESS_BROADCAST_NO_REPLY,
  ADDRESS_NETWORK_LAYER,
  bytesNeeded,
  C_REQ_UD2,
  C_SND_NKE,
  C_SND_UD_FCB,
  CI_SELECT,
  decodeFrame,
  encodeFrame,
  type Frame,
  longFrame,
  shortFrame,
} from "../src/link/mod.ts";
import { encodeSelectData, parseSecondaryMask } from "../src/master/mod.ts";
import { type Transport, wireTimeMs } from "../src/transport/transport.ts";
import type { VirtualClock } from "../src/util/mod.ts";

/** libmbus VTIME at 2400 Bd, ms. */
const VTIME_MS = 300;
/** A receive gives up after this many empty reads. */
const EMPTY_READS = 3;
/** Select probes are sent up to this many times on silence (max_search_retry 1). */
const SEARCH_TRIES = 2;

/** What one scan cost. */
export interface ScanCost {
  /** Meters found, as `ID/MAN` (or primary addresses). */
  found: Set<string>;
  /** Requests sent. */
  probes: number;
  /** Requests that met silence. */
  silent: number;
  /** Garbled or colliding answers. */
  collisions: number;
  /** Bus time in seconds. */
  seconds: number;
}

/**
 * The key a found meter is counted under.
 *
 * @param id The ID.
 * @param manufacturer The manufacturer code.
 * @returns `ID/MAN`, the ID upper-cased.
 */
export function meterKey(id: string, manufacturer: string): string {
  return `${id.toUpperCase()}/${manufacturer}`;
}

type Rx = { kind: "timeout" } | { kind: "invalid" } | {
  kind: "frame";
  frame: Frame;
};

/** libmbus's scan, modelled from its documented behaviour. */
export class LibmbusModel {
  readonly #port: Transport;
  readonly #clock: VirtualClock;
  readonly cost: ScanCost = {
    found: new Set(),
    probes: 0,
    silent: 0,
    collisions: 0,
    seconds: 0,
  };

  constructor(port: Transport, clock: VirtualClock) {
    this.#port = port;
    this.#clock = clock;
  }

  async #send(frame: Frame): Promise<void> {
    const bytes = encodeFrame(frame);
    await this.#port.write(bytes);
    await this.#clock.sleep(wireTimeMs(bytes.length, this.#port.baudRate)); // tcdrain
  }

  async #receive(): Promise<Rx> {
    let buf = new Uint8Array(0);
    let empties = 0;
    for (;;) {
      const need = bytesNeeded(buf);
      if (need === 0) {
        const r = decodeFrame(buf);
        return r.ok ? { kind: "frame", frame: r.value } : { kind: "invalid" };
      }
      if (need < 0) return { kind: "invalid" };
      const chunk = await this.#port.read(need, VTIME_MS);
      if (chunk.length === 0) {
        if (++empties >= EMPTY_READS) {
          return buf.length === 0 ? { kind: "timeout" } : { kind: "invalid" };
        }
        continue;
      }
      const next = new Uint8Array(buf.length + chunk.length);
      next.set(buf);
      next.set(chunk, buf.length);
      buf = next;
    }
  }

  /** Receives until a receive times out; true when anything arrived. */
  async #purge(): Promise<boolean> {
    let saw = false;
    while ((await this.#receive()).kind !== "timeout") saw = true;
    return saw;
  }

  async #probe(mask: string): Promise<"none" | "single" | "collision"> {
    this.cost.probes++;
    const data = encodeSelectData(parseSecondaryMask(mask));
    for (let i = 0; i < SEARCH_TRIES; i++) {
      await this.#send(
        longFrame(C_SND_UD_FCB, ADDRESS_NETWORK_LAYER, CI_SELECT, data),
      );
      const r = await this.#receive();
      if (r.kind === "timeout") continue;
      if (r.kind === "invalid") {
        await this.#purge();
        return "collision";
      }
      if (r.frame.type !== "ack") return "none";
      if (await this.#purge()) return "collision";
      return await this.#read();
    }
    this.cost.silent++;
    return "none";
  }

  async #read(): Promise<"none" | "single" | "collision"> {
    await this.#send(shortFrame(C_REQ_UD2, ADDRESS_NETWORK_LAYER));
    const r = await this.#receive();
    if (r.kind === "timeout") return "none";
    if (r.kind === "invalid") {
      await this.#purge();
      return "collision";
    }
    if (await this.#purge()) return "collision";
    const f = r.frame;
    if (f.type !== "long" || f.data.length < 8) return "none";
    const id = [3, 2, 1, 0].map((i) =>
      (f.data[i] ?? 0).toString(16).padStart(2, "0")
    ).join("");
    const code = (f.data[4] ?? 0) | ((f.data[5] ?? 0) << 8);
    const man = String.fromCharCode(
      64 + ((code >> 10) & 31),
      64 + ((code >> 5) & 31),
      64 + (code & 31),
    );
    this.cost.found.add(meterKey(id, man));
    return "single";
  }

  async #walk(mask: string, pos: number): Promise<void> {
    if (mask.charAt(pos) !== "F") {
      if (pos < 15) return await this.#walk(mask, pos + 1);
      const r = await this.#probe(mask);
      if (r === "collision") this.cost.collisions++;
      return;
    }
    for (let d = 0; d <= 9; d++) {
      const m = mask.slice(0, pos) + d + mask.slice(pos + 1);
      const r = await this.#probe(m);
      if (r === "collision") {
        this.cost.collisions++;
        if (pos < 15) await this.#walk(m, pos + 1);
      }
    }
  }

  /** `mbus-serial-scan`: SND_NKE to 0..250, purge after an ACK (retries 0). */
  async scanPrimary(): Promise<void> {
    for (let a = 0; a <= 250; a++) {
      this.cost.probes++;
      await this.#send(shortFrame(C_SND_NKE, a));
      const r = await this.#receive();
      if (r.kind === "timeout") {
        this.cost.silent++;
      } else if (r.kind === "invalid") {
        await this.#purge();
        this.cost.collisions++;
      } else if (r.frame.type === "ack") {
        if (await this.#purge()) this.cost.collisions++;
        else this.cost.found.add(String(a));
      }
    }
  }

  async scan(): Promise<void> {
    await this.#send(shortFrame(C_SND_NKE, ADDRESS_NETWORK_LAYER));
    await this.#purge();
    await this.#send(shortFrame(C_SND_NKE, ADDRESS_BROADCAST_NO_REPLY));
    await this.#purge();
    await this.#walk("FFFFFFFFFFFFFFFF", 0);
  }
}
