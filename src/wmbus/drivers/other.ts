/**
 * Gas, pulse counters and door/window sensors: unismart, lansenpu, lansendw.
 *
 * @module
 */

import { bits, I, index, num, status, text } from "./_build.ts";
import { compactRecords, formatTable } from "./_compact.ts";
import type { DriverDef, Matcher } from "./_spec.ts";

const ERRORS: Matcher = { mt: I, vif: "ErrorFlags", combinables: "*" };
const ANY_FLAGS = bits("ERROR_FLAGS", 0xffff, []);

/** Apator/Amiplus Unismart gas meter. */
export const UNISMART: DriverDef = {
  name: "unismart",
  detect: [["AMX", 0x01, 0x03]],
  fields: [
    status({
      match: { key: "02FD74" },
      lookups: [bits("STATUS_FLAGS", 0xffff, [])],
      tpl: false,
    }),
    text("fabrication_no", "hex", { mt: I, vif: "FabricationNo" }),
    text("other", "lookup", { key: "017F" }, {
      lookups: [bits("OTHER_FLAGS", 0xff, [], null)],
    }),
    text("total_datetime", "datetime", { mt: I, vif: "DateTime", index: 1 }),
    num("total", "m3", { mt: I, vif: "Volume", combinables: ["3A"] }),
    text("target_datetime", "datetime", { mt: I, vif: "DateTime", storage: 1 }),
    num("target", "m3", {
      mt: I,
      vif: "Volume",
      storage: 1,
      combinables: ["3A"],
    }),
    text("version", "hex", { mt: I, vif: "ModelVersion" }),
    text("supplier_info", "hex", { mt: I, vif: "SpecialSupplierInformation" }),
    text("parameter_set", "hex", { mt: I, vif: "ParameterSet" }),
    text("meter_datetime", "datetime", { mt: I, vif: "DateTime", index: 2 }),
  ],
};

/** Lansen pulse counter. */
export const LANSENPU: DriverDef = {
  name: "lansenpu",
  detect: [["LAS", 0x14, 0x00], ["LAS", 0x1b, 0x00], ["LAS", 0x0b, 0x02]],
  fields: [
    status({ match: ERRORS, lookups: [ANY_FLAGS] }),
    num("a", "counter", { mt: I, vif: "Dimensionless" }, { scale: "none" }),
    num("b", "counter", { mt: I, vif: "Dimensionless", subunit: 1 }, {
      scale: "none",
    }),
  ],
};

/** Lansen door/window detector. */
export const LANSENDW: DriverDef = {
  name: "lansendw",
  detect: [["LAS", 0x07, 0x1d]],
  fields: [
    text("status", "lookup", { mt: I, vif: "DigitalInput" }, {
      lookups: [
        index("INPUT_FLAGS", 0xffff, [[0x11, "CLOSED"], [0x55, "OPEN"]]),
      ],
    }),
    {
      kind: "status",
      name: "error_flags",
      match: ERRORS,
      lookups: [ANY_FLAGS],
    },
    num("a", "counter", { mt: I, vif: "Dimensionless" }, { scale: "none" }),
    num("b", "counter", { mt: I, vif: "Dimensionless", subunit: 1 }, {
      scale: "none",
    }),
  ],
};

const DIMLESS = "Dimensionless";

/** Lansen repeater. */
export const LANSENRP: DriverDef = {
  name: "lansenrp",
  detect: [["LAS", 0x0b, 0x32]],
  fields: [
    status({ match: ERRORS, lookups: [bits("ERROR_FLAGS", 0xffffffff, [])] }),
    num("total_routed_messages", "counter", { mt: I, vif: DIMLESS }, {
      scale: "none",
    }),
    num("used_router_slots", "counter", { mt: I, vif: DIMLESS, subunit: 1 }, {
      scale: "none",
    }),
    text("software_version", "hex", { mt: I, vif: "SoftwareVersion" }),
    text(
      "is_repeater_listening",
      "lookup",
      { mt: I, vif: DIMLESS, subunit: 2 },
      {
        lookups: [index("INPUT_BITS", 0x01, [[0x00, "NO"], [0x01, "YES"]])],
      },
    ),
    num("seconds_to_mode_change", "counter", {
      mt: I,
      vif: DIMLESS,
      subunit: 3,
    }, { scale: "none" }),
    num("listen_timer_value", "counter", { mt: I, vif: DIMLESS, storage: 1 }, {
      scale: "none",
    }),
    num("pause_timer_value", "counter", { mt: I, vif: DIMLESS, storage: 2 }, {
      scale: "none",
    }),
    text("repeater_listening_on_weekdays", "lookup", {
      mt: I,
      vif: DIMLESS,
      storage: 3,
    }, {
      lookups: [bits("INPUT_BITS", 0xffff, [
        [0x01, "SU"],
        [0x02, "MO"],
        [0x04, "TU"],
        [0x08, "WE"],
        [0x10, "TH"],
        [0x20, "FR"],
        [0x40, "SA"],
      ], null)],
    }),
    num("start_time_value", "counter", { mt: I, vif: DIMLESS, storage: 4 }, {
      scale: "none",
    }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("battery", "v", { mt: I, vif: "Voltage" }),
  ],
};

/** Kamstrup pressure sensor (compact frames after a full frame). */
export const KAMPRESS: DriverDef = {
  name: "kampress",
  detect: [["KAM", 0x01, 0x18]],
  records: compactRecords(formatTable([])),
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffff, [
        [0x01, "DROP"],
        [0x02, "SURGE"],
        [0x04, "HIGH"],
        [0x08, "LOW"],
        [0x10, "TRANSIENT"],
        [0x20, "COMM_ERROR"],
      ])],
      tpl: false,
    }),
    num("pressure", "bar", { mt: I, vif: "Pressure" }),
    num("max_pressure", "bar", { mt: "maximum", vif: "Pressure" }),
    num("min_pressure", "bar", { mt: "minimum", vif: "Pressure" }),
    num("alfa", "counter", { key: "05FF09" }, { scale: "none" }),
    num("beta", "counter", { key: "05FF0A" }, { scale: "none" }),
  ],
};

/** Elster gas meters. */
export const ELSTER: DriverDef = {
  name: "elster",
  detect: [["ELS", 0x81, 0x03]],
  fields: [
    num("actuality_duration", "s", { mt: I, vif: "ActualityDuration" }),
    num("total", "m3", { mt: I, vif: "Volume" }),
  ],
};

const EBECO_FLAGS = [
  "TEMPORARY",
  "MIN_LIMIT",
  "MAX_LIMIT",
  "OPEN_WINDOW",
  "ROOM_OC",
  "ROOM_SC",
  "FLOOR_OC",
  "FLOOR_SC",
  "RELAY_OC",
  "RELAY_SC",
  "RELAY_OT",
  "SYSTEM",
  "STARTUP",
  "POWER_CTRL",
  "POWER_OFF",
  "RELAY_TEST",
].map((n, bit) => [2 ** bit, n] as const);

/** Ebeco 500 underfloor heating thermostat. */
export const EBECO500: DriverDef = {
  name: "ebeco500",
  detect: [["EBE", 0x02, 0x01], ["EBE", 0x01, 0x02]],
  fields: [
    status({
      match: { key: "02FB17" },
      lookups: [bits("ERROR_FLAGS", 0xffff, EBECO_FLAGS)],
    }),
    num("external_temperature", "c", { mt: I, vif: "ExternalTemperature" }),
    num("total", "kwh", { mt: I, vif: "AnyEnergyVIF" }),
    num("on_time", "h", { mt: I, vif: "OnTime" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
  ],
};

/** GWF gas meters. */
export const GWFGAS: DriverDef = {
  name: "gwfgas",
  detect: [["GWF", 0x3c, 0x03]],
  fields: [
    status(),
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("target", "m3", { mt: I, vif: "Volume", storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("actuality_duration", "s", { mt: I, vif: "ActualityDuration" }),
  ],
};

/** Landis+Gyr gas meters (status only without a key). */
export const LANDISGYRGAS: DriverDef = {
  name: "landisgyrgas",
  detect: [["LGB", 0x50, 0x03]],
  fields: [status()],
};

/** Elster gas meters with encrypted payload (status only without a key). */
export const ELSTERGAS: DriverDef = {
  name: "elstergas",
  detect: [["ELS", 0x50, 0x03]],
  fields: [status()],
};

/** Flonidan gas meters (status only without a key). */
export const FLONIDANGAS: DriverDef = {
  name: "flonidangas",
  detect: [["FLO", 0x50, 0x03]],
  fields: [status()],
};

/** Gas, pulse, repeater and door/window drivers. */
export const OTHER_DRIVERS: readonly DriverDef[] = [
  UNISMART,
  LANSENPU,
  LANSENDW,
  LANSENRP,
  KAMPRESS,
  ELSTER,
  EBECO500,
  GWFGAS,
  LANDISGYRGAS,
  FLONIDANGAS,
  ELSTERGAS,
];
