/**
 * Reassembly of AFL fragments (CI 0x90, FCL bit 14 "more fragments", bits 0–7 the
 * fragment ID): the fragments of one message from one meter, in ID order, become one
 * telegram — the first fragment's DLL, ELL and AFL (its "more" bit cleared), then every
 * fragment's bytes after the AFL. A gap or a restart drops the partial message. The
 * reference decoder does not reassemble (it treats such telegrams as incomplete).
 *
 * @module
 */
import { CI } from "./constants.ts";
import { decodeLinkFrame } from "./link.ts";

/** What became of one telegram handed to the assembler. */
export type FragmentOutcome =
  | {
    /** A whole telegram: not fragmented, or the last fragment completing a message. */
    kind: "whole";
    /** The telegram (the input itself, or the reassembled frame without CRCs). */
    bytes: Uint8Array;
    /** Number of fragments it was made of (1 when not fragmented). */
    fragments: number;
  }
  | {
    /** A fragment kept until the rest arrives. */
    kind: "held";
    /** Its fragment ID. */
    fragmentId: number;
  }
  | {
    /** A last fragment whose earlier fragments are missing. */
    kind: "broken";
    /** One line. */
    message: string;
  };

/** ELL header sizes, CI included. */
const ELL_SIZES: ReadonlyMap<number, number> = new Map([
  [CI.ellShort, 3],
  [CI.ellSession, 9],
  [CI.ellAddress, 11],
  [CI.ellAddressSession, 17],
]);

const MORE = 0x4000;

/** Longest reassembled telegram (an L field counts at most 255 bytes). */
const MAX_FRAME = 256;

interface Pending {
  /** Frame bytes up to the end of the first fragment's AFL. */
  head: Uint8Array;
  /** The bytes after the AFL of each fragment so far. */
  parts: Uint8Array[];
  /** The fragment ID expected next. */
  next: number;
}

/** Keeps partial messages per meter and joins their fragments. */
export class FragmentAssembler {
  readonly #pending = new Map<string, Pending>();
  readonly #maxMeters: number;

  /** @param maxMeters Most meters with a partial message kept (oldest dropped). */
  constructor(maxMeters = 64) {
    this.#maxMeters = Math.max(1, maxMeters);
  }

  /** Meters with a partial message. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Takes one telegram.
   *
   * @param bytes The telegram from L on (DLL CRCs optional).
   * @returns Whole (to decode), held, or broken. Never throws.
   */
  push(bytes: Uint8Array): FragmentOutcome {
    const whole = { kind: "whole", bytes, fragments: 1 } as const;
    // Cheap test first: the CI after the DLL (format A puts a CRC before it).
    if (!mayHoldAfl(bytes[10]) && !mayHoldAfl(bytes[12])) return whole;
    const link = decodeLinkFrame(bytes);
    if (!link.ok) return whole;
    const frame = link.value.frame;
    let at = 10;
    const ell = ELL_SIZES.get(frame[at] ?? 0);
    if (ell !== undefined) {
      // An encrypted ELL hides the AFL: such telegrams are not reassembled.
      if (ell >= 9 && ((frame[at + ell - 3] ?? 0) >> 5) !== 0) return whole;
      at += ell;
    }
    if (frame[at] !== CI.afl || at + 4 > frame.length) return whole;
    const end = at + 2 + (frame[at + 1] ?? 0);
    if (end > frame.length) return whole;
    const fcl = (frame[at + 2] ?? 0) | ((frame[at + 3] ?? 0) << 8);
    const id = fcl & 0xff;
    const more = (fcl & MORE) !== 0;
    const key = meterKey(frame);
    const p = this.#pending.get(key);
    const part = frame.subarray(end);
    if (more) {
      if (p !== undefined && id === p.next) {
        p.parts.push(part);
        p.next = (id + 1) & 0xff;
      } else {
        const head = frame.slice(0, end);
        this.#keep(key, { head, parts: [part], next: (id + 1) & 0xff });
      }
      return { kind: "held", fragmentId: id };
    }
    if (p === undefined) return whole;
    this.#pending.delete(key);
    if (id !== p.next) {
      return {
        kind: "broken",
        message:
          `Cannot reassemble fragments: fragment ${id} follows fragment ${
            (p.next + 255) & 0xff
          }`,
      };
    }
    return join(p, part);
  }

  #keep(key: string, p: Pending): void {
    this.#pending.delete(key);
    if (this.#pending.size >= this.#maxMeters) {
      const oldest = this.#pending.keys().next();
      if (oldest.done !== true) this.#pending.delete(oldest.value);
    }
    this.#pending.set(key, p);
  }
}

function mayHoldAfl(ci: number | undefined): boolean {
  return ci === CI.afl || (ci !== undefined && ELL_SIZES.has(ci));
}

function meterKey(frame: Uint8Array): string {
  let s = "";
  for (let i = 2; i < 10; i++) s += String.fromCharCode(frame[i] ?? 0);
  return s;
}

function join(p: Pending, last: Uint8Array): FragmentOutcome {
  const parts = [...p.parts, last];
  const length = p.head.length + parts.reduce((n, x) => n + x.length, 0);
  if (length > MAX_FRAME) {
    return {
      kind: "broken",
      message:
        `Cannot reassemble fragments: ${length} bytes exceed one telegram`,
    };
  }
  const out = new Uint8Array(length);
  out.set(p.head);
  let at = p.head.length;
  for (const x of parts) {
    out.set(x, at);
    at += x.length;
  }
  // Clear "more fragments" in the first fragment's FCL; L counts the joined frame.
  const fclHigh = aflFclHigh(p.head);
  if (fclHigh >= 0) out[fclHigh] = (out[fclHigh] ?? 0) & ~(MORE >> 8);
  out[0] = out.length - 1;
  return { kind: "whole", bytes: out, fragments: parts.length };
}

/** Index of the FCL's high byte in a head that ends with the AFL. */
function aflFclHigh(head: Uint8Array): number {
  let at = 10;
  const ell = ELL_SIZES.get(head[at] ?? 0);
  if (ell !== undefined) at += ell;
  return head[at] === CI.afl ? at + 3 : -1;
}
