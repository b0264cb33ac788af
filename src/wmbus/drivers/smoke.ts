/**
 * Smoke detectors with standard records: ei6500, lansensm, qsmoke.
 *
 * @module
 */

import { bits, I, index, num, status, text } from "./_build.ts";
import { rows } from "./rows.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { uintLE } from "./_records.ts";

const HEAD = "8440FF2C";

const BATTERY_LEVELS = Array.from(
  { length: 16 },
  (_, i) => [i * 0x100, `${(2.25 + 0.05 * i).toFixed(2)}V`] as const,
);

/** Ei Electronics Ei6500-OMS. */
export const EI6500: DriverDef = {
  name: "ei6500",
  detect: [["EIE", 0x0c, 0x1a]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffff, [
        [0x0200, "UNKNOWN_FIELD_C"],
        [0x0400, "UNKNOWN_FIELD_CI"],
        [0x0800, "UNKNOWN_RECORD"],
        [0x1000, "ACCESS_RIGHT"],
        [0x2000, "RECORD_SIZE"],
        [0x4000, "RECORD_VALUE"],
        [0x8000, "BAD_PASSWORD"],
      ])],
    }),
    text("head_status", "lookup", { key: HEAD }, {
      inject: true,
      lookups: [bits("HEAD_STATUS", 0xff8ef0e0, [
        [0x00000020, "SOUNDER_FAULT"],
        [0x00000040, "TAMPER_WHILE_REMOVED"],
        [0x00000080, "EOL_REACHED"],
        [0x00001000, "LOW_BATTERY_FAULT"],
        [0x00002000, "ALARM_SENSOR_FAULT"],
        [0x00004000, "OBSTACLE_DETECTOR_FAULT"],
        [0x00008000, "EOL_WITHIN_12_MONTH"],
        [0x00020000, "ENV_CHANGED_SINCE_INSTALLATION"],
        [0x00040000, "COMM_TO_HEAD_FAULT"],
        [0x00080000, "INTERFERENCE_PREVENTING_OBSTACLE_DETECTION"],
        [0x01000000, "OBSTACLE_DETECTED"],
        [0x02000000, "SMOKE_DETECTOR_FULLY_COVERED"],
      ])],
    }),
    text("last_alarm_date", "date", {
      mt: I,
      vif: "Date",
      tariff: 1,
      subunit: 1,
    }),
    num("alarm", "counter", {
      mt: I,
      vif: "CumulationCounter",
      tariff: 1,
      subunit: 1,
    }),
    text("software_version", "hex", { mt: I, vif: "SoftwareVersion" }),
    text("message_datetime", "datetime", { mt: I, vif: "DateTime" }),
    num("duration_removed", "h", {
      mt: I,
      vif: "DurationOfTariff",
      tariff: 2,
      subunit: 1,
    }),
    text("last_remove_date", "date", {
      mt: I,
      vif: "Date",
      tariff: 2,
      subunit: 1,
    }),
    num("removed", "counter", {
      mt: I,
      vif: "CumulationCounter",
      tariff: 2,
      subunit: 1,
    }),
    text("test_button_last_date", "date", {
      mt: I,
      vif: "Date",
      tariff: 3,
      subunit: 1,
    }),
    num("test_button", "counter", {
      mt: I,
      vif: "CumulationCounter",
      tariff: 3,
      subunit: 1,
    }),
    text("installation_date", "date", { mt: I, vif: "Date", tariff: 2 }),
    text("last_sound_check_date", "date", { mt: I, vif: "Date", storage: 1 }),
    // Dust bits 2-4 all set: cleaning recommended (merged into the status).
    text("dust_status", "lookup", { key: HEAD }, {
      inject: true,
      lookups: [index("DUST_STATUS", 0x1c, [
        ...[0x00, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18].map((v) =>
          [v, ""] as const
        ),
        [0x1c, "CLEANING_RECOMMENDED"],
      ])],
    }),
    text("dust_level", "lookup", { key: HEAD }, {
      lookups: [index("DUST", 0x1f, [])],
    }),
    text("battery_level", "lookup", { key: HEAD }, {
      lookups: [index("BATTERY_VOLTAGE", 0x0f00, BATTERY_LEVELS)],
    }),
    text("obstacle_distance", "lookup", { key: HEAD }, {
      lookups: [index("OBSTACLE_DISTANCE", 0x700000, [
        [0x000000, "SEODS_NOT_COMPLETED"],
        [0x100000, ""],
        [0x200000, "45_TO_60_CM"],
        [0x300000, "38_TO_53_CM"],
        [0x400000, "33_TO_48_CM"],
        [0x500000, "28_TO_40_CM"],
        [0x600000, "20_TO_33_CM"],
        [0x700000, "0_TO_25_CM"],
      ])],
    }),
  ],
  after(ctx: HookContext) {
    const head = ctx.entries.find((e) => e.key === HEAD);
    // The reference's calculated counter reads 0 without the head record.
    ctx.fields.dust_level_counter = 0;
    if (head !== undefined) {
      const v = uintLE(head.data);
      ctx.fields.dust_level_counter = v & 0x1f;
      // A flag named when its bit is clear: the obstacle detection self-test not done.
      if ((v & 0x10000) === 0) ctx.status.push("SEODS_NOT_YET_COMPLETED");
    }
  },
};

/** Lansen smoke detector. */
export const LANSENSM: DriverDef = {
  name: "lansensm",
  detect: [["LAS", 0x03, 0x1a]],
  fields: [
    status({
      // Combinable 1D (standard conformant data content); the meter's FD 97 FF 1C records
      // carry a manufacturer combinable instead, so the status is the last of them.
      match: { mt: I, vif: "ErrorFlags", combinables: ["1D"] },
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xffff,
        map: [
          [0x0002, "LOW_BATTERY"],
          [0x0004, "SMOKE"],
          [0x0008, "MANUAL_TEST"],
          [0x0010, "MALFUNCTION"],
          [0x0020, "NO_CONNECTION_TO_SMOKE_DETECTOR"],
          [0x0100, "SMOKE_SENSOR_END_OF_LIFE"],
        ],
        default: "OK",
      }],
    }),
    ...rows(`
      async_msg_id counter I:AccessNumber none
      minutes_since_last_manual_test counter I:Dimensionless none
    `),
  ],
};

/** Qundis Q smoke. */
export const QSMOKE: DriverDef = {
  name: "qsmoke",
  detect: [["QDS", 0x21, 0x1a], ["QDS", 0x23, 0x1a], ["LSE", 0x21, 0x1a], [
    "LSE",
    0x23,
    0x1a,
  ]],
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xffff,
        map: [],
        default: "OK",
      }],
    }),
    ...rows(`
      last_alarm_date date I:Date s=6
      alarm counter k=81037C
      message_datetime datetime I:DateTime
      test_button_last_date date I:Date s=4
      test_button counter k=81027C
      transmission counter I:AccessNumber uns
      at_error_date date err:Date
      some_sort_of_duration h k=02FDAC7E
    `),
  ],
};

/** The smoke detector family (Techem TSD2 lives with Techem). */
export const SMOKE_DRIVERS: readonly DriverDef[] = [EI6500, LANSENSM, QSMOKE];
