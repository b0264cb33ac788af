/**
 * Kamstrup-style compact frames (CI 0x79, 0x7B, 0x73): the format signature selects a list of
 * DIF/VIF headers learned from an earlier full frame or built in; the data bytes are
 * then split by it.
 *
 * @module
 */

import { fromHex } from "../../util/mod.ts";
import { crcWmbus } from "../crc.ts";
import { expandCompact, formatOf } from "./_records.ts";
import type { DriverDef } from "./_spec.ts";

/** Compact-frame CIs: no header, short header, long header. */
const CI_COMPACT: ReadonlySet<number> = new Set([0x79, 0x7b, 0x73]);

const FILLER = 0x2f;

function knows(
  p: Uint8Array,
  learned: ReadonlyMap<number, Uint8Array>,
  builtIn: ReadonlyMap<number, Uint8Array>,
): boolean {
  const signature = (p[0] ?? 0) | ((p[1] ?? 0) << 8);
  return learned.has(signature) || builtIn.has(signature);
}

/**
 * Builds the signature → format table of built-in formats.
 *
 * @param formats DIF/VIF header strings (hex).
 * @returns The table.
 */
export function formatTable(
  formats: readonly string[],
): ReadonlyMap<number, Uint8Array> {
  return new Map(formats.map((hex) => {
    const f = fromHex(hex);
    return [crcWmbus(f), f] as const;
  }));
}

/**
 * A `records` hook: learns formats from full frames, expands compact frames.
 *
 * @param builtIn Built-in formats by signature.
 * @returns The hook.
 */
export function compactRecords(
  builtIn: ReadonlyMap<number, Uint8Array>,
): NonNullable<DriverDef["records"]> {
  return ({ telegram, state }) => {
    const all = telegram.payload;
    if (!CI_COMPACT.has(telegram.ci)) {
      const p = all;
      const fmt = formatOf(p);
      if (fmt.length > 0) state.formats.set(crcWmbus(fmt), fmt);
      return { ok: true, data: p };
    }
    // After decryption the frame starts with the 2F 2F check bytes.
    const skip = all[0] === FILLER && all[1] === FILLER &&
        !knows(all, state.formats, builtIn)
      ? 2
      : 0;
    const p = all.subarray(skip);
    if (p.length < 4) {
      return {
        ok: false,
        code: "TRUNCATED",
        message: "Cannot decode compact frame: shorter than its 4-byte header",
      };
    }
    const signature = (p[0] ?? 0) | ((p[1] ?? 0) << 8);
    const format = state.formats.get(signature) ?? builtIn.get(signature);
    if (format === undefined) {
      const sig = signature.toString(16).padStart(4, "0");
      return {
        ok: false,
        code: "UNKNOWN_COMPACT_FORMAT",
        message:
          `Cannot decode compact frame: format signature ${sig} not seen in a full frame yet`,
      };
    }
    const data = expandCompact(format, p.subarray(4));
    if (data === null) {
      return {
        ok: false,
        code: "TRUNCATED",
        message: "Cannot decode compact frame: data shorter than its format",
      };
    }
    return { ok: true, data };
  };
}
