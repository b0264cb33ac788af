/**
 * The secondary-address tree search as a pure algorithm over a probe oracle: no bytes,
 * no clock. The master plugs in select telegrams (probe) and select + REQ_UD2 to 253
 * (identify); tests plug in a set of meters.
 *
 * Frugal by design, because every silent probe costs a full answer timeout on a real bus:
 * - the start mask itself is probed first (an empty bus or a single meter costs 1 probe);
 * - a clean single answer is identified by reading the meter's header, so a leaf is
 *   known without descending;
 * - ID digits are narrowed from the least significant one (installations share leading
 *   digits);
 * - hex digits A–E are probed only where the bus has them: the first time a position is
 *   split, the start mask with that position set to A, B, C, D and E is probed once (at
 *   most 40 probes per scan); a silent answer rules that digit out at that position for
 *   the whole scan, a single answer identifies the meter at once;
 * - after the ID is fixed, a remaining collision (same ID, different manufacturer, version
 *   or medium) is split on medium, version and manufacturer, values already seen on the
 *   bus first, stopping once the collision is explained.
 *
 * @module
 */
import {
  ANY_MASK,
  formatSecondaryMask,
  maskMatches,
  type SecondaryAddress,
  type SecondaryMask,
  secondaryMask,
} from "./address.ts";
import { candidates, type Field, wildcard } from "./_field_candidates.ts";

/** What one select telegram told: no slave, exactly one (selected), or several. */
export type ProbeResult = "none" | "one" | "collision";

/** A meter identified by reading it after a single answer. */
export interface IdentifiedMeter {
  /** Its full secondary address, from the RSP_UD header. */
  address: SecondaryAddress;
  /** The A field of its answer (its primary address), when known. */
  primary?: number;
}

/** The outcome of identifying a selected meter. */
export type IdentifyResult =
  | { kind: "found"; meter: IdentifiedMeter }
  | { kind: "collision" }
  | { kind: "none" };

/** Progress of a search. */
export interface SearchProgress {
  /** Probes sent so far. */
  probes: number;
  /** Meters found so far. */
  found: number;
  /** The mask just probed, 16 hex digits. */
  current: string;
}

/**
 * When hex digits A–E of ID positions are probed: where a probe of the start mask showed
 * them (`auto`), at every split (`always`), or never (as libmbus).
 */
export type HexDigitPolicy = "auto" | "always" | "never";

/** Options of {@link searchSecondary}. */
export interface SearchSecondaryOptions {
  /** Sends one select telegram and classifies the answer. */
  probe(mask: SecondaryMask): Promise<ProbeResult>;
  /** Reads the selected meter (REQ_UD2 to 253) after a single answer to `mask`. */
  identify(mask: SecondaryMask): Promise<IdentifyResult>;
  /** Called after each probe. */
  onProgress?: (progress: SearchProgress) => void;
  /** Cancels the search (rejects with `signal.reason`). */
  signal?: AbortSignal | undefined;
  /** Hex digits A–E in IDs: probed where the bus has them (`auto`), always, or never. @default "auto" */
  hexDigits?: HexDigitPolicy;
  /** Order of ID digit narrowing. @default "lsb" */
  order?: "lsb" | "msb";
}

/** The outcome of {@link searchSecondary}. */
export interface SearchResult {
  /** Meters found, in the order found. */
  meters: IdentifiedMeter[];
  /** Masks that still collide after every split (e.g. identical secondary addresses). */
  unresolved: SecondaryMask[];
  /** Select telegrams sent. */
  probes: number;
  /** Probes without any answer. */
  silent: number;
  /** Probes that collided (including singles that turned out to be collisions). */
  collisions: number;
}

const DECIMAL_DIGITS = "0123456789";
const HEX_DIGITS = "ABCDE";
/**
 * Finds every meter below a mask with as few select telegrams as it can.
 *
 * @param root The start mask (`FFFFFFFFFFFFFFFF` for the whole bus).
 * @param options The oracle and options.
 * @returns The meters, the unresolved masks and the probe counts.
 */
export async function searchSecondary(
  root: SecondaryMask,
  options: SearchSecondaryOptions,
): Promise<SearchResult> {
  const search = new Search(options);
  await search.run(root);
  return search.result;
}

class Search {
  readonly result: SearchResult = {
    meters: [],
    unresolved: [],
    probes: 0,
    silent: 0,
    collisions: 0,
  };
  #options: SearchSecondaryOptions;
  #root: SecondaryMask = ANY_MASK;
  /** Per `position:digit`: what probing the start mask with that hex digit showed. */
  #hexAtRoot = new Map<string, ProbeResult>();
  #seen = new Set<string>();

  constructor(options: SearchSecondaryOptions) {
    this.#options = options;
  }

  async run(root: SecondaryMask): Promise<void> {
    this.#root = root;
    if ((await this.#visit(root)) === "collision") {
      await this.#expand(root, new Set<number | Field>());
    }
  }

  /** Probes a mask; identifies a single answer. Returns the evidence class. */
  async #visit(mask: SecondaryMask): Promise<ProbeResult> {
    this.#options.signal?.throwIfAborted();
    const r = this.result;
    const answer = await this.#options.probe(mask);
    r.probes++;
    let outcome = answer;
    if (answer === "one") {
      const id = await this.#options.identify(mask);
      if (id.kind === "found") this.#record(id.meter);
      else if (id.kind === "collision") outcome = "collision";
      else r.unresolved.push(mask);
    }
    if (outcome === "none") r.silent++;
    if (outcome === "collision") r.collisions++;
    this.#options.onProgress?.({
      probes: r.probes,
      found: r.meters.length,
      current: formatSecondaryMask(mask),
    });
    return outcome;
  }

  #record(meter: IdentifiedMeter): void {
    const key = formatSecondaryMask(secondaryMask(meter.address));
    // A hex probe of the start mask may meet a meter already found below.
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.result.meters.push(meter);
  }

  /** Splits a colliding mask; `done` holds ID positions and fields already exhausted. */
  async #expand(mask: SecondaryMask, done: Set<number | Field>): Promise<void> {
    const p = this.#nextPosition(mask, done);
    if (p !== undefined) return await this.#splitDigit(mask, p, done);
    for (const field of ["medium", "version", "manufacturer"] as const) {
      if (mask[field] !== wildcard(field) || done.has(field)) continue;
      return await this.#splitField(mask, field, done);
    }
    this.result.unresolved.push(mask);
  }

  #nextPosition(
    mask: SecondaryMask,
    done: Set<number | Field>,
  ): number | undefined {
    const lsb = (this.#options.order ?? "lsb") === "lsb";
    for (let k = 0; k < 8; k++) {
      const p = lsb ? 7 - k : k;
      if (mask.id.charAt(p) === "F" && !done.has(p)) return p;
    }
    return undefined;
  }

  async #splitDigit(
    mask: SecondaryMask,
    p: number,
    done: Set<number | Field>,
  ): Promise<void> {
    let evidence = await this.#children(mask, p, DECIMAL_DIGITS, done);
    const hex = await this.#hexDigits(p);
    if (formatSecondaryMask(mask) === formatSecondaryMask(this.#root)) {
      // At the start mask the hex probes were these very children: no second probe.
      for (const h of hex) {
        evidence += 2;
        await this.#expand(withDigit(mask, p, h), done);
      }
    } else {
      evidence += await this.#children(mask, p, hex, done);
    }
    // Hex digits the start mask showed as a single meter: already found, still evidence.
    evidence += this.result.meters.filter((m) => {
      const digit = m.address.id.toUpperCase().charAt(p);
      return HEX_DIGITS.includes(digit) && !hex.includes(digit) &&
        maskMatches(mask, m.address);
    }).length;
    if (evidence >= 2) return;
    // Not explained: the rest of the collision has digit F here (or was noise).
    if (evidence === 0 && (await this.#visit(mask)) !== "collision") return;
    await this.#expand(mask, new Set([...done, p]));
  }

  /** The hex digits worth probing at position `p` (see the module doc). */
  async #hexDigits(p: number): Promise<string> {
    const policy = this.#options.hexDigits ?? "auto";
    if (policy !== "auto") return policy === "always" ? HEX_DIGITS : "";
    const root = this.#root;
    let digits = "";
    for (const h of HEX_DIGITS) {
      const k = `${p}:${h}`;
      let r = this.#hexAtRoot.get(k);
      if (r === undefined) {
        r = await this.#visit(withDigit(root, p, h));
        this.#hexAtRoot.set(k, r);
      }
      // A single meter there was identified by the root probe already.
      if (r === "collision") digits += h;
    }
    return digits;
  }

  async #children(
    mask: SecondaryMask,
    p: number,
    digits: string,
    done: Set<number | Field>,
  ): Promise<number> {
    let evidence = 0;
    for (const d of digits) {
      const child = withDigit(mask, p, d);
      const r = await this.#visit(child);
      if (r === "one") evidence += 1;
      if (r === "collision") {
        evidence += 2;
        await this.#expand(child, done);
      }
    }
    return evidence;
  }

  async #splitField(
    mask: SecondaryMask,
    field: Field,
    done: Set<number | Field>,
  ): Promise<void> {
    let evidence = 0;
    const tried = new Set<number>();
    const { common, tail } = candidates(field);
    // Values seen on the bus first, then common ones, then the rest; stop once two
    // meters are accounted for (three meters sharing one ID are not looked for).
    for (const value of [...this.#seenValues(field), ...common, ...tail]) {
      if (tried.has(value)) continue;
      if (evidence >= 2) return;
      tried.add(value);
      const child = { ...mask, [field]: value };
      const r = await this.#visit(child);
      if (r === "one") evidence += 1;
      if (r === "collision") {
        evidence += 2;
        await this.#expand(child, done);
      }
    }
    if (evidence >= 2) return;
    await this.#expand(mask, new Set([...done, field]));
  }

  #seenValues(field: Field): number[] {
    const values = new Set<number>();
    for (const m of this.result.meters) {
      values.add(secondaryMask(m.address)[field]);
    }
    return [...values];
  }
}

function withDigit(mask: SecondaryMask, p: number, d: string): SecondaryMask {
  return { ...mask, id: mask.id.slice(0, p) + d + mask.id.slice(p + 1) };
}
