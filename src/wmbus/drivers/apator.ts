/**
 * Apator 162 (APA, version 0x05): proprietary payload after `2F 2F` — a marker byte,
 * 7 status bytes, then tag + fixed-size value fields; tag `10` is the total volume in
 * litres.
 *
 * @module
 */

import { I, num } from "./_build.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { dayText, layoutPayload, since2000 } from "./apator_layout.ts";
import { type DvEntry, intLE, round6, uintLE } from "./_records.ts";
import { defaultCompactRecords } from "./_compact.ts";

const TAG_TOTAL = 0x10;
const PAD = 0xff;
const HEADER = 1 + 7;

/** Tag → value length (bytes after the tag). */
// deno-fmt-ignore
const SIZES: ReadonlyMap<number, number> = new Map<number, number>([
  [0x00, 4], [0x01, 3], [0x10, 4], [0x11, 2], [0x40, 6], [0x41, 2], [0x42, 4], [0x43, 2], [0x44, 3],
  [0x80, 10], [0x81, 10], [0x82, 10], [0x83, 10], [0x84, 10], [0x86, 10], [0x87, 10],
  [0x85, 11], [0x88, 11], [0x8f, 11], [0x8a, 9], [0x8b, 6], [0x8c, 6], [0x8e, 7],
  [0xa0, 4], [0xa1, 4], [0xa4, 4], [0xa2, 1], [0xa5, 1], [0xa9, 1], [0xaf, 1], [0xa3, 7], [0xa6, 3],
  [0xa7, 2], [0xa8, 2], [0xaa, 2], [0xab, 2], [0xac, 2], [0xad, 2],
  [0xb0, 5], [0xb1, 8], [0xb3, 8], [0xb2, 16], [0xb5, 16], [0xb4, 2], [0xd0, 3], [0xd3, 3], [0xf0, 4],
  ...Array.from({ length: 12 }, (_, i) => [0x71 + i, 1 + 4 * (i + 2)] as [number, number]),
  ...Array.from({ length: 18 }, (_, i) => [0xb6 + i, 3] as [number, number]),
]);

/**
 * Walks the Apator 162 fields; returns the total volume in litres, or an error.
 *
 * @param payload Decrypted payload (starting with `2F 2F`).
 * @returns Litres, or an error code and message.
 */
export function apator162Total(
  payload: Uint8Array,
): { litres: number } | { code: string; message: string } {
  let pos = 0;
  while (payload[pos] === 0x2f) pos++;
  pos += HEADER;
  while (pos < payload.length) {
    const tag = payload[pos] ?? PAD;
    if (tag === PAD) break;
    const size = SIZES.get(tag);
    if (size === undefined) {
      return {
        code: "UNKNOWN_FIELD",
        message: `Cannot decode apator162 payload: unknown tag ${
          tag.toString(16)
        } at ${pos}`,
      };
    }
    if (pos + 1 + size > payload.length) break;
    if (tag === TAG_TOTAL) {
      return { litres: uintLE(payload.subarray(pos + 1, pos + 5)) };
    }
    pos += 1 + size;
  }
  return {
    code: "NO_TOTAL",
    message: "Cannot decode apator162 payload: no total volume field",
  };
}

/** Apator 162 water meter. */
export const APATOR162: DriverDef = {
  name: "apator162",
  detect: [["APA", 0x05, 0x06], ["APA", 0x05, 0x07]],
  // Like the reference: a payload of standard records gives total_m3 from its volume.
  fields: [num("total", "m3", { mt: I, vif: "Volume" })],
  after(ctx: HookContext) {
    const r = apator162Total(ctx.telegram.payload);
    if ("litres" in r) {
      ctx.fields.total_m3 = round6(r.litres / 1000);
      return;
    }
    return ctx.fields.total_m3 === undefined ? r : undefined;
  },
};

/**
 * The Apator 08/172 counter: the first four payload bytes, a two's complement 32-bit
 * integer (as an M-Bus type B value), or undefined when the payload is shorter.
 */
function apatorCounter(ctx: HookContext): number | undefined {
  const p = layoutPayload(ctx.telegram);
  return p.length < 4 ? undefined : intLE(p.subarray(0, 4));
}

/** Apator 172: a 4-byte counter first in the payload, in thirds of a cubic metre. */
export const APATOR172: DriverDef = {
  name: "apator172",
  detect: [["APT", 0x04, 0x11]],
  media: "water",
  fields: [],
  after(ctx: HookContext) {
    const n = apatorCounter(ctx);
    if (n !== undefined) ctx.fields.total_m3 = round6(n / 3);
  },
};

/** Apator 08: a 4-byte counter first in the payload, in thirds of a litre. */
export const APATOR08: DriverDef = {
  name: "apator08",
  detect: [["APT", 0x03, 0x03], ["APT", 0x0f, 0x0f]],
  // Without four payload bytes (a compact frame's short data), a volume record counts,
  // in thirds too, as in the reference.
  fields: [num("total", "m3", { mt: I, vif: "Volume" }, { forceScale: 1 / 3 })],
  after(ctx: HookContext) {
    const n = apatorCounter(ctx);
    if (n !== undefined) ctx.fields.total_m3 = round6(n / 1000 / 3);
  },
};

/**
 * The Apator E-ITN block (15 bytes): where each value sits and the record key it is
 * handed on as (the meter may also send those records as plain DIF/VIF data).
 */
// deno-fmt-ignore
const EITN_LAYOUT: readonly (readonly [at: number, size: number, key: string])[] = [
  [0, 1, "01FB00"], // season start date, low byte (the high byte is always A0)
  // bytes 1-2: not used
  [3, 2, "426E"], // allocation units of the previous period
  [5, 2, "8200FD3A"], // date the electronic seal was broken (0: intact)
  [7, 2, "026E"], // allocation units of the current period
  [9, 2, "02FD3A"], // current date
  [11, 2, "02FB02"], // average room temperature, previous season (1/256 °C)
  [13, 2, "02FB01"], // average room temperature, current season (1/256 °C)
];
const EITN_BLOCK = 15;
const EITN_MARK = 0xa0;

/**
 * The 15-byte E-ITN block of a payload: the whole payload, or after an `A0` mark, or
 * after a count byte N (0-15), N bytes and the `A0` mark; null for any other shape.
 *
 * @param p The payload.
 * @returns The block or null.
 */
export function eitnBlock(p: Uint8Array): Uint8Array | null {
  if (p.length === EITN_BLOCK) return p;
  if (p.length === EITN_BLOCK + 1 && p[0] === EITN_MARK) return p.subarray(1);
  const n = p[0] ?? 0xff;
  if (n <= 0x0f && p.length === EITN_BLOCK + 2 + n && p[1 + n] === EITN_MARK) {
    return p.subarray(2 + n);
  }
  return null;
}

/** The E-ITN block as DIF/VIF records (the same keys the meter may send plainly). */
function eitnRecords(block: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (const [at, size, key] of EITN_LAYOUT) {
    for (let i = 0; i < key.length; i += 2) {
      out.push(parseInt(key.slice(i, i + 2), 16));
    }
    out.push(...block.subarray(at, at + size));
  }
  return Uint8Array.from(out);
}

/** The unsigned value of the first record with this key, or undefined. */
function wordOf(entries: readonly DvEntry[], key: string): number | undefined {
  const e = entries.find((x) => x.key === key);
  return e === undefined ? undefined : uintLE(e.data);
}

/** An E-ITN date word: day (bits 0-4), month (5-8), year since 2000 (9-13); rolls over. */
function eitnDate(raw: number | undefined): string | null {
  if (raw === undefined) return null;
  const day = raw % 32;
  const month = (raw >> 5) % 16;
  const year = (raw >> 9) % 32;
  return dayText(since2000(year * 12 + month - 1, day - 1, 0));
}

/**
 * A count of 1/256 units with six decimals, ties to even (as a C `printf("%.6f")` of the
 * exact value prints it: 7858/256 = 30.6953125 is 30.695312).
 *
 * @param raw The count (an integer below 2^32).
 * @returns The value.
 */
export function per256(raw: number): number {
  const micro = raw * 15625; // raw / 256 * 10^6 = raw * 15625 / 4
  let q = Math.floor(micro / 4);
  const r = micro - 4 * q;
  if (r > 2 || (r === 2 && q % 2 === 1)) q++;
  return q / 1e6;
}

/**
 * Apator E-ITN 30/40 heat cost allocators: a 15-byte block (CI A0, or B6 with a prefix),
 * or the same values as DIF/VIF records. Words are unsigned; the season start date's high
 * byte is the fixed A0.
 */
export const APATOREITN: DriverDef = {
  name: "apatoreitn",
  detect: [["APA", 0x04, 0x08], ["APT", 0x04, 0x08]],
  fields: [],
  records(ctx) {
    // Compact frames expand like every driver's (and full frames teach their format).
    const base = defaultCompactRecords(ctx);
    if (!base.ok) return base;
    const p = layoutPayload(ctx.telegram);
    const block = eitnBlock(p);
    if (block !== null) return { ok: true, data: eitnRecords(block) };
    return {
      ok: true,
      data: base.data === ctx.telegram.payload ? p : base.data,
    };
  },
  after(ctx: HookContext) {
    const f = ctx.fields;
    const e = ctx.entries;
    const current = wordOf(e, "026E");
    if (current !== undefined) f.current_hca = current;
    const previous = wordOf(e, "426E");
    if (previous !== undefined) f.previous_hca = previous;
    f.current_date = eitnDate(wordOf(e, "02FD3A"));
    const lo = wordOf(e, "01FB00");
    f.season_start_date = eitnDate(
      lo === undefined ? undefined : EITN_MARK * 256 + lo,
    );
    const esb = wordOf(e, "8200FD3A");
    f.esb_date = esb === 0 ? null : eitnDate(esb);
    if (esb !== undefined) f.status = esb === 0 ? "OK" : "SEAL_BROKEN";
    const temp = (key: string): number | null => {
      const raw = wordOf(e, key);
      return raw === undefined ? null : per256(raw);
    };
    f.temp_room_avg_c = temp("02FB01");
    f.temp_room_prev_avg_c = temp("02FB02");
  },
};

export { APATORNA1 } from "./apator_na1.ts";
