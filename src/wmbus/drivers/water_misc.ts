/**
 * Water meters with small quirks: waterstarm (history dates), weh_07, rfmtx1 (obscured
 * total and date-time at fixed frame offsets).
 *
 * @module
 */

import { bits, I, num, status, text } from "./_build.ts";
import { rows } from "./rows.ts";
import { compactRecords, driverFormats } from "./_compact.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { round6 } from "./_records.ts";
import { minuteText, plainFrame, since2000 } from "./apator_layout.ts";
import { monthsBefore } from "./months.ts";

const V = "Volume";

/** Deltamess/Lorenz waterstarm. */
export const WATERSTARM: DriverDef = {
  name: "waterstarm",
  detect: [
    ["DWZ", 0x00, 0x06],
    ["DWZ", 0x02, 0x06],
    ["DWZ", 0x02, 0x07],
    ["EFE", 0x03, 0x07],
    ["EFE", 0x70, 0x07],
    ["DWZ", 0x00, 0x07],
  ],
  fields: [
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("battery", "v", { mt: I, vif: "Voltage" }),
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xffff,
        map: [
          [0x01, "SW_ERROR"],
          [0x02, "CRC_ERROR"],
          [0x04, "SENSOR_ERROR"],
          [0x08, "MEASUREMENT_ERROR"],
          [0x10, "BATTERY_VOLTAGE_ERROR"],
          [0x20, "MANIPULATION"],
          [0x40, "LEAKAGE_OR_NO_USAGE"],
          [0x80, "REVERSE_FLOW"],
          [0x100, "OVERLOAD"],
        ],
        default: "OK",
      }],
    }),
    ...rows(`
      total_backwards m3 I:AnyVolumeVIF c=3C
    `),
    text("meter_version", "hex", { mt: I, vif: "ModelVersion" }),
    text("parameter_set", "hex", { mt: I, vif: "ParameterSet" }),
    ...rows(`
      set_date date I:Date s=1
      consumption_at_set_date m3 I:Volume s=1
      total_backwards_at_set_date m3 I:AnyVolumeVIF s=1 c=3C
      consumption_at_history_{storage-1} m3 I:Volume s=2-16
      meter_datetime datetime I:DateTime
    `),
  ],
  after(ctx: HookContext) {
    const now = ctx.fields.meter_datetime;
    if (typeof now !== "string") return;
    for (const e of ctx.entries) {
      if (
        e.mt === I && e.vif >= 0x10 && e.vif <= 0x17 && e.storage >= 2 &&
        e.storage <= 16 && e.tariff === 0 && e.subunit === 0
      ) {
        ctx.fields[`history_${e.storage - 1}_date`] = monthsBefore(
          now,
          e.storage - 1,
        );
      }
    }
  },
};

/** Wehrle water meters (also behind a Techem radio converter). */
export const WEH_07: DriverDef = {
  name: "weh_07",
  detect: [["WEH", 0xfe, 0x07], ["WEH", 0x03, 0x07]],
  fields: [
    num("total", "m3", { mt: I, vif: V }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("target", "m3", { mt: I, vif: V, storage: 1 }),
  ],
};

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

/** The frame offsets of the RFM-TX1 layout. */
const KEY_AT = 11;
const TOTAL_AT = 17;
const TIME_AT = 28;
const FRAME_MIN = TIME_AT + 6;

/**
 * Decodes the obscured total and the date-time of an RFM-TX1 telegram. The layout counts
 * from the start of the frame: the access number (offset 11) picks one of 16 XOR vectors
 * and, XORed into bytes 17..20 with the vector, gives 8 BCD digits of litres; bytes 28..33
 * are second, minute, hour, day, month and year in BCD (nibbles above 9 count as they
 * stand, so a date can roll over like the meter's own arithmetic).
 *
 * @param ctx Hook context.
 * @returns An error when the telegram is too short.
 */
function rfmtx1After(
  ctx: HookContext,
): { code: string; message: string } | void {
  const raw = plainFrame(ctx.telegram);
  if (raw.length < FRAME_MIN) {
    return {
      code: "TRUNCATED",
      message: "Cannot decode rfmtx1 payload: telegram too short",
    };
  }
  const key = raw[KEY_AT] ?? 0;
  const vector = VECTORS[key & 0x0f] ?? [];
  let total = 0;
  let mul = 1;
  for (let i = 0; i < 4; i++) {
    total += mul * bcd((raw[TOTAL_AT + i] ?? 0) ^ key ^ (vector[i + 2] ?? 0));
    mul *= 100;
  }
  ctx.fields.total_m3 = round6(total / 1000);
  const b = (i: number) => bcd(raw[TIME_AT + i] ?? 0);
  ctx.fields.meter_datetime = minuteText(
    since2000(b(5) * 12 + b(4) - 1, b(3) - 1, b(2) * 3600 + b(1) * 60 + b(0)),
  );
}

/** BMeters RFM-TX1. */
export const RFMTX1: DriverDef = {
  name: "rfmtx1",
  detect: [["BMT", 0x05, 0x07]],
  fields: [],
  after: rfmtx1After,
};

/** Engelmann water meters (FAW). */
export const ENGELMANN_FAW: DriverDef = {
  name: "engelmann_faw",
  aliases: ["engelmann-faw"],
  detect: [["EFE", 0x00, 0x07]],
  records: compactRecords(driverFormats("engelmann_faw")),
  fields: [
    num("total", "m3", { mt: I, vif: V }),
    text("meter_datetime", "datetime", { mt: I, vif: "DateTime" }),
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xff, [
        [0x01, "VOLUME_DETECTION_COILS_DEFECT"],
        [0x02, "RESET"],
        [0x04, "CRC_ERROR"],
        [0x08, "REMOVAL_DETECTED"],
        [0x10, "MAGNETIC_MANIPULATION"],
        [0x20, "LEAKAGE"],
        [0x40, "BLOCKED"],
        [0x80, "REVERSE_FLOW"],
      ])],
    }),
    text("reporting_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("consumption_at_reporting_date", "m3", { mt: I, vif: V, storage: 1 }),
    num("consumption_{storage-1}_months_ago", "m3", {
      mt: I,
      vif: V,
      storage: [2, 16],
    }),
  ],
};

/** Engelmann FAW RI water meters. */
export const ENGELMANN_FAW_RI: DriverDef = {
  // Not a reference driver: named apart from the reference's engelmann_faw.
  name: "mbusgw_engelmann_faw_ri",
  aliases: ["engelmann_faw_ri", "engelmann-faw-ri"],
  detect: [["EFE", 0x70, 0x06], ["EFE", 0x70, 0x16]],
  fields: [
    num("total", "m3", { mt: I, vif: V }),
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xff, [
        [0x01, "SENSOR_ERROR"],
        [0x02, "RESET"],
        [0x04, "SOFTWARE_FAULT"],
        [0x08, "MANIPULATION"],
        [0x10, "LOW_BATTERY"],
        [0x20, "ERRONEOUS_FLOW"],
        [0x40, "LEAKAGE"],
        [0x80, "OVERLOAD"],
      ])],
    }),
    text("set_date", "date", { mt: I, vif: "Date", storage: 1 }),
    // To the minute, like its sibling engelmann_faw (the reference's own PointInTime field).
    text("meter_datetime", "datetime", { mt: I, vif: "DateTime" }),
    num("consumption_at_set_date", "m3", { mt: I, vif: V, storage: 1 }),
    num("total_backwards_at_set_date", "m3", {
      mt: I,
      vif: V,
      storage: 1,
      combinables: ["3C"],
    }),
    num("consumption_at_history_{storage-1}", "m3", {
      mt: I,
      vif: V,
      storage: [2, 16],
    }),
  ],
  after(ctx: HookContext) {
    const now = ctx.fields.meter_datetime;
    if (typeof now !== "string") return;
    for (const e of ctx.entries) {
      if (
        e.mt === I && e.vif >= 0x10 && e.vif <= 0x17 && e.storage >= 2 &&
        e.storage <= 16 && e.tariff === 0 && e.subunit === 0
      ) {
        ctx.fields[`history_${e.storage - 1}_date`] = monthsBefore(
          now,
          e.storage - 1,
        );
      }
    }
  },
};

/** The miscellaneous water drivers. */
export const WATER_MISC_DRIVERS: readonly DriverDef[] = [
  WATERSTARM,
  WEH_07,
  RFMTX1,
  ENGELMANN_FAW,
  ENGELMANN_FAW_RI,
];
