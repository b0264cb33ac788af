/**
 * Room sensors (temperature, humidity): cma12w, lansenth, rfmamb, munia, piigth.
 *
 * @module
 */

import { bits, I, index, num, status, text } from "./_build.ts";
import { rows } from "./rows.ts";
import type { DriverDef, Matcher } from "./_spec.ts";

const T = "ExternalTemperature";
const RH = "RelativeHumidity";
const ANY_FLAGS = bits("ERROR_FLAGS", 0xffffffff, []);
const ERRORS: Matcher = { mt: I, vif: "ErrorFlags", combinables: "*" };

/** Elvaco CMa12w. */
export const CMA12W: DriverDef = {
  name: "cma12w",
  detect: [["ELV", 0x20, 0x1b]],
  fields: [
    status({ match: ERRORS, lookups: [ANY_FLAGS] }),
    text("software_version", "ascii", { mt: I, vif: "SoftwareVersion" }),
    num("current_temperature", "c", { mt: I, vif: T }),
    num("average_temperature_1h", "c", { mt: I, vif: T, storage: 1 }),
    text("battery", "lookup", { mt: I, vif: "DigitalInput" }, {
      lookups: [index("BATTERY", 0xffff, [])],
    }),
  ],
};

/** Lansen temperature/humidity sensor. */
export const LANSENTH: DriverDef = {
  name: "lansenth",
  detect: [["LAS", 0x07, 0x1b], ["LAS", 0x09, 0x1b]],
  fields: [
    status({
      match: ERRORS,
      lookups: [ANY_FLAGS],
      tplLookup: bits("TPL", 0xe0, [[0x40, "SABOTAGE_ENCLOSURE"]]),
    }),
    num("current_temperature", "c", { mt: I, vif: T }),
    num("current_relative_humidity", "rh", { mt: I, vif: RH }),
    num("average_temperature_1h", "c", { mt: I, vif: T, storage: 1 }),
    num("average_relative_humidity_1h", "rh", { mt: I, vif: RH, storage: 1 }),
    num("average_temperature_24h", "c", { mt: I, vif: T, storage: 2 }),
    num("average_relative_humidity_24h", "rh", { mt: I, vif: RH, storage: 2 }),
    num("on_time", "h", { mt: I, vif: "OnTime" }),
  ],
};

/** Brunata/BMeters RFM-AMB room sensor. */
export const RFMAMB: DriverDef = {
  name: "rfmamb",
  detect: [["BMT", 0x10, 0x1b]],
  fields: [
    status({
      match: ERRORS,
      lookups: [ANY_FLAGS],
      tplLookup: bits("TPL", 0xff, [[0x08, "MODULE_REMOVED"]]),
    }),
    num("current_temperature", "c", { mt: I, vif: T }),
    num("average_temperature_1h", "c", { mt: I, vif: T, storage: 1 }),
    num("average_temperature_24h", "c", { mt: I, vif: T, storage: 2 }),
    num("maximum_temperature_1h", "c", { mt: "maximum", vif: T }),
    num("minimum_temperature_1h", "c", { mt: "minimum", vif: T }),
    num("maximum_temperature_24h", "c", { mt: "maximum", vif: T, storage: 1 }),
    num("minimum_temperature_24h", "c", { mt: "minimum", vif: T, storage: 1 }),
    num("current_relative_humidity", "rh", { mt: I, vif: RH }),
    num("average_relative_humidity_1h", "rh", { mt: I, vif: RH, storage: 1 }),
    num("average_relative_humidity_24h", "rh", { mt: I, vif: RH, storage: 2 }),
    num("minimum_relative_humidity_1h", "rh", { mt: "minimum", vif: RH }),
    num("maximum_relative_humidity_1h", "rh", { mt: "maximum", vif: RH }),
    num("maximum_relative_humidity_24h", "rh", {
      mt: "maximum",
      vif: RH,
      storage: 1,
    }),
    num("minimum_relative_humidity_24h", "rh", {
      mt: "minimum",
      vif: RH,
      storage: 1,
    }),
    text("device_datetime", "datetime", { mt: I, vif: "DateTime" }),
  ],
};

/** Weptech Munia. */
export const MUNIA: DriverDef = {
  name: "munia",
  detect: [["WEP", 0x02, 0x1b], ["WEP", 0x04, 0x1b]],
  fields: [
    status({ match: ERRORS, lookups: [ANY_FLAGS] }),
    num("current_temperature", "c", { mt: I, vif: T }),
    num("current_relative_humidity", "rh", { mt: I, vif: RH }),
  ],
};

/** PiiGAB PiiGTH (wired M-Bus temperature/humidity). */
export const PIIGTH: DriverDef = {
  name: "piigth",
  detect: [["PII", 0x01, 0x1b]],
  fields: [
    text("fabrication_no", "bcd", { mt: I, vif: "FabricationNo" }),
    text("software_version", "bcd", { mt: I, vif: "SoftwareVersion" }),
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [{
        type: "bits",
        name: "ERROR_FLAGS",
        mask: 0xffffffff,
        map: [],
        default: "OK",
      }],
    }),
    ...rows(`
      temperature c I:ExternalTemperature
      average_temperature_1h c I:ExternalTemperature s=1
      average_temperature_24h c I:ExternalTemperature s=2
      relative_humidity rh I:RelativeHumidity
      relative_humidity_1h rh I:RelativeHumidity s=1
      relative_humidity_24h rh I:RelativeHumidity s=2
    `),
  ],
};

/** The room sensor family. */
export const ROOM_DRIVERS: readonly DriverDef[] = [
  CMA12W,
  LANSENTH,
  RFMAMB,
  MUNIA,
  PIIGTH,
];
