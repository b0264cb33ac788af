/**
 * An in-memory oracle for the pure secondary search: a list of meter addresses and a
 * standard slave's select rule. Used only for the search algorithm's unit tests; the
 * master's tests drive the simulator.
 *
 * @module
 */
import {
  maskMatches,
  type SecondaryAddress,
  type SecondaryMask,
} from "../../src/master/address.ts";
import type {
  IdentifyResult,
  ProbeResult,
  SearchSecondaryOptions,
} from "../../src/master/search_secondary.ts";
import { seededRandom } from "../_helpers/random.ts";

/** N meters with distinct random decimal IDs. */
export function randomMeters(n: number, seed: number): SecondaryAddress[] {
  const rnd = seededRandom(seed);
  const ids = new Set<string>();
  while (ids.size < n) {
    ids.add(String(Math.floor(rnd() * 1e8)).padStart(8, "0"));
  }
  return [...ids].map((id) => ({
    id,
    manufacturer: "KAM",
    version: 1,
    medium: 7,
  }));
}

/** Oracle over a list of meters. */
export function oracle(
  meters: SecondaryAddress[],
): Pick<SearchSecondaryOptions, "probe" | "identify"> & { probes: number } {
  let selected: SecondaryAddress[] = [];
  const o = {
    probes: 0,
    probe(mask: SecondaryMask): Promise<ProbeResult> {
      o.probes++;
      selected = meters.filter((m) => maskMatches(mask, m));
      return Promise.resolve(
        selected.length === 0
          ? "none"
          : selected.length === 1
          ? "one"
          : "collision",
      );
    },
    identify(): Promise<IdentifyResult> {
      const m = selected[0];
      if (selected.length > 1) return Promise.resolve({ kind: "collision" });
      return Promise.resolve(
        m ? { kind: "found", meter: { address: m } } : { kind: "none" },
      );
    },
  };
  return o;
}
