/**
 * Meters whose counters move: each fresh (not repeated) answer re-encodes the telegram
 * with its current-value counters grown a little, so a gateway that emits only changes
 * has something to show. Only storage 0, instantaneous, numeric records of counting
 * quantities grow: energy, volume, mass, on time, operating time and HCA units
 * (EN 13757-3 primary VIFs 00–27 and 6E).
 *
 * @module
 */
import { encodeRecords, type RecordInput } from "../src/app/mod.ts";

function isCounter(record: RecordInput): boolean {
  if (typeof record.raw !== "number") return false;
  if ((record.storage ?? 0) !== 0) return false;
  if ((record.function ?? "instantaneous") !== "instantaneous") return false;
  const vif = Number.parseInt(record.vif, 16) & 0x7f;
  return vif <= 0x27 || vif === 0x6e;
}

/**
 * Builds the refresh function of a slave with moving counters.
 *
 * @param telegrams The records of each telegram.
 * @returns `(index, fresh) => bytes`: telegram `index` after `fresh` fresh answers, or
 *   undefined when a grown value no longer fits its type (the slave then sends the
 *   original).
 */
export function liveTelegrams(
  telegrams: readonly RecordInput[][],
): (index: number, fresh: number) => Uint8Array | undefined {
  return (index, fresh) => {
    const records = telegrams[index];
    if (!records) return undefined;
    try {
      return encodeRecords(
        records.map((r, i) =>
          isCounter(r)
            ? { ...r, raw: (r.raw as number) + fresh * (1 + (i % 3)) }
            : r
        ),
      );
    } catch {
      return undefined;
    }
  };
}
