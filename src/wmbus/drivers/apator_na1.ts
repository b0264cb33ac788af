/**
 * Apator NA-1 water meter (APA, version 0x14, water): payload byte 0 is the access number,
 * byte 1 the frame status (plain), bytes 2..17 one AES-CBC block under the meter's key
 * (IV from the link-layer address and byte 0). The plain block: a pad byte, the packed
 * total (4 bytes), the meter's clock in seconds since 2000 (4), the age and volume delta of
 * the last historic reading (5), the current and the historic alarm flags. The same values
 * may come as DIF/VIF records (manufacturer VIF FB xx, the keys below).
 *
 * @module
 */

import { bits, text } from "./_build.ts";
import { encodeManufacturer } from "../../app/mod.ts";
import { decryptApatorNa1 } from "../vendor_security.ts";
import { defaultCompactRecords } from "./_compact.ts";
import type { DriverDef, DriverKey, HookContext } from "./_spec.ts";
import type { DriverTelegram } from "./_types.ts";
import type { DvEntry } from "./_records.ts";
import { round6, uintLE } from "./_records.ts";
import { layoutPayload, minuteText, since2000 } from "./apator_layout.ts";

/** The plain block: offset, size, the record key each value is handed on as. */
// deno-fmt-ignore
const NA1_BLOCK: readonly (readonly [at: number, size: number, key: string])[] = [
  // byte 0: pad
  [1, 4, "04FB00"], // packed total: multiplier exponent in bits 4-5, count in the rest
  [5, 1, "01FB01"], [6, 1, "01FB02"], [7, 1, "01FB03"], [8, 1, "01FB04"], // clock, LE
  [9, 1, "01FB05"], // historic age, low byte (hours)
  [10, 1, "01FB06"], // bits 2-7: historic age high bits; bits 0-1: delta low bits
  [11, 1, "01FB07"], [12, 1, "01FB08"], [13, 1, "01FB09"], // historic delta, higher bits
  [14, 1, "01FB11"], // current alarm flags
  [15, 1, "01FB12"], // historic alarm flags
];
const FRAME_STATUS_KEY = "01FB10";

function pushRecord(out: number[], key: string, bytes: Uint8Array): void {
  for (let i = 0; i < key.length; i += 2) {
    out.push(parseInt(key.slice(i, i + 2), 16));
  }
  out.push(...bytes);
}

function keyBytes(key: DriverKey | undefined): Uint8Array | null {
  if (key === undefined) return null;
  return key instanceof Uint8Array ? key : key.bytes;
}

/**
 * The frame start the block's IV is taken from (bytes 2..9: manufacturer, id, version,
 * type): the meter's address, which a long TPL header gives instead of the link layer's.
 */
function ivFrame(t: DriverTelegram): Uint8Array {
  if (!/^[A-Z]{3}$/.test(t.manufacturer) || !/^[0-9A-Fa-f]{8}$/.test(t.id)) {
    return t.raw;
  }
  const m = encodeManufacturer(t.manufacturer);
  const id = t.id.match(/../g)?.map((h) => parseInt(h, 16)).reverse() ?? [];
  return Uint8Array.of(0, 0, m & 0xff, m >> 8, ...id, t.version, t.deviceType);
}

/**
 * The NA-1 values as records: the frame status (payload byte 1), the decrypted block's
 * values when the meter's key is known, then the payload's own records (telegrams with a
 * TPL header, a compact frame's expanded; manufacturer CIs carry none). Earlier records
 * win.
 */
function na1Records(
  ctx: Pick<HookContext, "telegram" | "key">,
  records: Uint8Array,
): Uint8Array {
  const t = ctx.telegram;
  const p = layoutPayload(t);
  const out: number[] = [];
  if (p.length >= 2) pushRecord(out, FRAME_STATUS_KEY, p.subarray(1, 2));
  const key = keyBytes(ctx.key);
  const block = key === null ? null : decryptApatorNa1(p, ivFrame(t), key);
  if (block !== null) {
    for (const [at, size, k] of NA1_BLOCK) {
      pushRecord(out, k, block.subarray(at, at + size));
    }
  }
  if (t.tpl !== null) out.push(...(records === t.payload ? p : records));
  return Uint8Array.from(out);
}

/** The unsigned value of the first record with this key, or undefined. */
function valueOf(entries: readonly DvEntry[], key: string): number | undefined {
  const e = entries.find((x) => x.key === key);
  return e === undefined ? undefined : uintLE(e.data);
}

/** Writes the values computed from the block's fields (null where one is missing). */
function na1After(ctx: HookContext): void {
  const v = (key: string) => valueOf(ctx.entries, key);
  const f = ctx.fields;
  const packed = v("04FB00");
  const multiplier = packed === undefined ? NaN : 10 ** ((packed >>> 4) & 3);
  const total = packed === undefined
    ? NaN
    : ((Math.floor(packed / 256) * 16 + (packed % 16)) * multiplier) / 1000;
  f.total_m3 = Number.isNaN(total) ? null : round6(total);
  const clock = [v("01FB01"), v("01FB02"), v("01FB03"), v("01FB04")];
  const seconds = clock.every((b) => b !== undefined)
    ? clock.reduceRight((acc: number, b) => acc * 256 + (b ?? 0), 0)
    : NaN;
  const now = since2000(0, 0, seconds);
  f.meter_datetime = minuteText(now);
  const low = v("01FB05");
  const meta = v("01FB06");
  const ageH = low === undefined || meta === undefined
    ? NaN
    : (meta >> 2) * 256 + low;
  f.historic_age_h = Number.isNaN(ageH) ? null : ageH;
  const d = [v("01FB07"), v("01FB08"), v("01FB09")];
  const delta = meta === undefined || d.some((b) => b === undefined)
    ? NaN
    : (d[2] ?? 0) * 2 ** 18 + (d[1] ?? 0) * 2 ** 10 + (d[0] ?? 0) * 4 +
      (meta % 4);
  const historic = total - (delta * multiplier) / 1000;
  f.historic_m3 = Number.isNaN(historic) ? null : round6(historic);
  f.historic_datetime = minuteText(now - ageH * 3_600_000);
}

const ALARMS: readonly (readonly [number, string])[] = [
  [0x80, "MINIMUM_FLOW"],
  [0x40, "MAXIMUM_FLOW"],
  [0x20, "REVERSE_FLOW"],
  [0x10, "MEASUREMENT_UNCHANGED"],
  [0x08, "LEAK"],
  [0x04, "DEVICE_DISCONNECTED"],
  [0x02, "MAGNETIC_FIELD"],
];

/** Apator NA-1 water meter. */
export const APATORNA1: DriverDef = {
  name: "apatorna1",
  detect: [["APA", 0x14, 0x07]],
  fields: [
    text("frame_status", "lookup", { key: FRAME_STATUS_KEY }, {
      lookups: [
        bits("FRAME_STATUS_FLAGS", 0xff, [
          [0x01, "SUMMER_TIME"],
          [0x02, "HISTORICAL_INDICATION"],
          [0x04, "MAX_SPEED_EXCEEDED"],
          [0x08, "DEVICE_ACCESS_ERROR"],
          [0x10, "TWO_WAY_COM_BLOCK"],
          [0x20, "INSTALL_FRAME"],
          [0x40, "WRONG_TEMPERATURE"],
          [0x80, "SERVICE_EVENT"],
        ]),
      ],
      unsigned: true,
    }),
    text("current_status", "lookup", { key: "01FB11" }, {
      lookups: [
        bits("CURRENT_STATUS_FLAGS", 0xff, [
          ...ALARMS,
          [0x01, "BATTERY_LOW"],
        ]),
      ],
      unsigned: true,
    }),
    text("historic_status", "lookup", { key: "01FB12" }, {
      lookups: [
        bits("HISTORIC_STATUS_FLAGS", 0xff, [
          ...ALARMS,
          [0x01, "BATTERY_LIFETIME_THRESHOLD_EXCEEDED"],
        ]),
      ],
      unsigned: true,
    }),
  ],
  records: (ctx) => {
    // Compact frames expand like every driver's (and full frames teach their format).
    const base = defaultCompactRecords(ctx);
    return base.ok ? { ok: true, data: na1Records(ctx, base.data) } : base;
  },
  after: na1After,
};
