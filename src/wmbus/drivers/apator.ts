/**
 * Apator 162 (APA, version 0x05): proprietary payload after `2F 2F` — a marker byte,
 * 7 status bytes, then tag + fixed-size value fields; tag `10` is the total volume in
 * litres.
 *
 * @module
 */

import { I, num, text } from "./_build.ts";
import { decryptApatorNa1 } from "../vendor_security.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { round6, uintLE } from "./_records.ts";

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

/** Apator 172: a 4-byte counter first in the payload, scaled to m3 as the reference does. */
export const APATOR172: DriverDef = {
  name: "apator172",
  detect: [["APT", 0x04, 0x11]],
  media: "water",
  fields: [],
  after(ctx: HookContext) {
    const p = ctx.telegram.payload;
    if (p.length < 4) {
      return {
        code: "TRUNCATED",
        message: "Cannot decode apator172 payload: shorter than 4 bytes",
      };
    }
    const m3 = uintLE(p.subarray(0, 4)) / 1000;
    ctx.fields.total_m3 = round6(0.1 * Math.round((10000 * m3) / 3));
  },
};

/** Apator 08: a 4-byte counter first in the payload, in thirds of a litre. */
export const APATOR08: DriverDef = {
  name: "apator08",
  detect: [["APT", 0x03, 0x03], ["APT", 0x0f, 0x0f]],
  fields: [],
  after(ctx: HookContext) {
    const p = ctx.telegram.payload;
    if (p.length < 4) {
      return {
        code: "TRUNCATED",
        message: "Cannot decode apator08 payload: shorter than 4 bytes",
      };
    }
    ctx.fields.total_m3 = round6(uintLE(p.subarray(0, 4)) / 1000 / 3);
  },
};

/** Apator E-ITN heat cost allocator dates: day, month, year since 2000 (5 bits). */
function eitnDate(raw: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${2000 + ((raw >> 9) % 32)}-${pad((raw >> 5) % 16)}-${pad(raw % 32)}`;
}

/** Apator E-ITN heat cost allocators (CI 0xA0, or 0xB6 with a skipped prefix). */
export const APATOREITN: DriverDef = {
  name: "apatoreitn",
  detect: [["APA", 0x04, 0x08], ["APT", 0x04, 0x08]],
  fields: [],
  after(ctx: HookContext) {
    let p = ctx.telegram.payload;
    if (ctx.telegram.ci === 0xb6) p = p.subarray(1 + (p[0] ?? 0));
    if (p[0] === 0xa0 && p.length >= 16) p = p.subarray(1);
    if (p.length < 15) {
      return {
        code: "TRUNCATED",
        message: "Cannot decode apatoreitn payload: too short",
      };
    }
    const w = (at: number) => uintLE(p.subarray(at, at + 2));
    const esb = w(5);
    const f = ctx.fields;
    f.current_hca = w(7);
    f.previous_hca = w(3);
    f.current_date = eitnDate(w(9));
    f.season_start_date = eitnDate(160 * 256 + (p[0] ?? 0));
    f.esb_date = esb === 0 ? null : eitnDate(esb);
    f.status = esb === 0 ? "OK" : "SEAL_BROKEN";
    f.temp_room_avg_c = round6(w(13) / 256);
    f.temp_room_prev_avg_c = round6(w(11) / 256);
  },
};

/**
 * Apator NA-1 water meter (CI A0): payload byte 0 is the access number, bytes 2..17 one
 * AES-CBC block (IV from the link-layer address, zero key as in the reference). In the
 * plain block, byte 1 holds a power-of-ten multiplier (bits 4-5) and the low nibble of
 * the litre count; bytes 2..4 the rest.
 */
export const APATORNA1: DriverDef = {
  name: "apatorna1",
  detect: [["APA", 0x14, 0x07]],
  fields: [
    text("frame_status", "lookup", { key: "01FB10" }, {
      lookups: [{
        type: "bits",
        name: "FRAME_STATUS_FLAGS",
        mask: 0xff,
        map: [
          [0x01, "SUMMER_TIME"],
          [0x02, "HISTORICAL_INDICATION"],
          [0x04, "MAX_SPEED_EXCEEDED"],
          [0x08, "DEVICE_ACCESS_ERROR"],
          [0x10, "TWO_WAY_COM_BLOCK"],
          [0x20, "INSTALL_FRAME"],
          [0x40, "WRONG_TEMPERATURE"],
          [0x80, "SERVICE_EVENT"],
        ],
        default: "OK",
      }],
    }),
    text("current_status", "lookup", { key: "01FB11" }, {
      lookups: [{
        type: "bits",
        name: "CURRENT_STATUS_FLAGS",
        mask: 0xff,
        map: [
          [0x80, "MINIMUM_FLOW"],
          [0x40, "MAXIMUM_FLOW"],
          [0x20, "REVERSE_FLOW"],
          [0x10, "MEASUREMENT_UNCHANGED"],
          [0x08, "LEAK"],
          [0x04, "DEVICE_DISCONNECTED"],
          [0x02, "MAGNETIC_FIELD"],
          [0x01, "BATTERY_LOW"],
        ],
        default: "OK",
      }],
    }),
    text("historic_status", "lookup", { key: "01FB12" }, {
      lookups: [{
        type: "bits",
        name: "HISTORIC_STATUS_FLAGS",
        mask: 0xff,
        map: [
          [0x80, "MINIMUM_FLOW"],
          [0x40, "MAXIMUM_FLOW"],
          [0x20, "REVERSE_FLOW"],
          [0x10, "MEASUREMENT_UNCHANGED"],
          [0x08, "LEAK"],
          [0x04, "DEVICE_DISCONNECTED"],
          [0x02, "MAGNETIC_FIELD"],
          [0x01, "BATTERY_LIFETIME_THRESHOLD_EXCEEDED"],
        ],
        default: "OK",
      }],
    }),
  ],
  after(ctx: HookContext) {
    const b = decryptApatorNa1(ctx.telegram.payload, ctx.telegram.raw);
    if (b === null) {
      return {
        code: "TRUNCATED",
        message: "Cannot decode apatorna1 payload: shorter than 18 bytes",
      };
    }
    const multiplier = 10 ** (((b[1] ?? 0) >> 4) & 0x03);
    const reading = (b[4] ?? 0) * 2 ** 20 + (b[3] ?? 0) * 2 ** 12 +
      (b[2] ?? 0) * 16 + ((b[1] ?? 0) & 0x0f);
    ctx.fields.total_m3 = round6((reading * multiplier) / 1000);
  },
};
