/**
 * BMeters RFM-TX1 water meters: older units (CFG 0x1006) obscure the total with a
 * per-telegram XOR; newer ones send ordinary records.
 *
 * @module
 */

import { I, num, text } from "./_build.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { round6 } from "./_values.ts";

const OBSCURED_CFG = 0x1006;

/** XOR vectors of the RFM-TX1, selected by the low nibble of the access number. */
// deno-fmt-ignore
const VECTORS: readonly (readonly number[])[] = [
  [117, 150, 122, 16, 26, 10], [91, 127, 112, 19, 34, 19], [179, 24, 185, 11, 142, 153],
  [142, 125, 121, 7, 74, 22], [181, 145, 7, 154, 203, 105], [184, 163, 50, 161, 57, 14],
  [189, 128, 156, 126, 96, 153], [39, 92, 180, 196, 128, 163], [48, 208, 10, 206, 25, 3],
  [194, 76, 240, 5, 165, 134], [84, 75, 22, 152, 17, 94], [75, 238, 12, 201, 125, 162],
  [135, 202, 74, 72, 228, 31], [196, 135, 119, 46, 138, 232], [227, 48, 189, 120, 87, 140],
  [164, 154, 57, 111, 40, 5],
];

function bcd(b: number): number {
  return (b >> 4) * 10 + (b & 0x0f);
}

function pad2(n: number): string {
  return String(n % 99).padStart(2, "0");
}

/**
 * Decodes the obscured total and the date-time of an old RFM-TX1 telegram.
 *
 * @param ctx Hook context.
 * @returns An error when the telegram is too short.
 */
function rfmtx1After(
  ctx: HookContext,
): { code: string; message: string } | void {
  if (ctx.telegram.tpl?.config !== OBSCURED_CFG) return;
  const raw = ctx.telegram.raw;
  if (raw.length < 34) {
    return {
      code: "TRUNCATED",
      message: "Cannot decode rfmtx1 payload: telegram too short",
    };
  }
  const key = raw[0x0b] ?? 0;
  const vector = VECTORS[key & 0x0f] ?? [];
  let total = 0;
  let mul = 1;
  for (let i = 2; i < 6; i++) {
    total += mul * bcd((raw[0x0f + i] ?? 0) ^ key ^ (vector[i] ?? 0));
    mul *= 100;
  }
  ctx.fields.total_m3 = round6(total / 1000);
  const b = (i: number) => bcd(raw[28 + i] ?? 0);
  ctx.fields.meter_datetime = `${2000 + b(5)}-${pad2(b(4))}-${pad2(b(3))} ${
    pad2(b(2))
  }:${pad2(b(1))}:${pad2(b(0))}`;
}

/** BMeters RFM-TX1. */
export const RFMTX1: DriverDef = {
  name: "rfmtx1",
  detect: [["BMT", 0x05, 0x07]],
  fields: [
    num("total", "m3", { mt: I, vif: "Volume" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
  ],
  after: rfmtx1After,
};

/** The BMeters drivers kept here. */
export const BMETERS_DRIVERS: readonly DriverDef[] = [RFMTX1];
