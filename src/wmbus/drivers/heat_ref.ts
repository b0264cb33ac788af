/**
 * Heat meters of the reference set: Qundis Q heat 5 US / 5.5 US / v2, Axioma
 * Qualcosonic, Sontex Supercal, Techem Vario 4.1.1 and 4.5.1 MID.
 * Fields, units and detection triples follow the reference's driver definitions.
 *
 * @module
 */

import { I, num, status, text } from "./_build.ts";
import type { DriverDef } from "./_spec.ts";
import { rows } from "./rows.ts";
import { qundisV2Fields } from "./qundis_v2.ts";
import { qundisV2WalkByRecords } from "./qundis.ts";

/** qheat5us (HeatMeter). */
export const QHEAT5US: DriverDef = {
  name: "qheat5us",
  detect: [["LSE", 0x23, 0x04]],
  fields: [
    num("total", "kwh", { mt: I, vif: "AnyEnergyVIF" }),
    num("target", "kwh", { mt: I, vif: "AnyEnergyVIF", storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
    text("meter_date_at_error", "date", { mt: "error", vif: "Date" }),
    text("fabrication_no", "bcd", { mt: I, vif: "FabricationNo" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    status({}),
  ],
};

/** qheat_55_us (HeatMeter). */
export const QHEAT_55_US: DriverDef = {
  name: "qheat_55_us",
  detect: [["LUG", 0x07, 0x04], ["LUG", 0x0a, 0x04]],
  fields: [
    ...rows(`
      device_datetime datetime I:DateTime
      total_energy_consumption kwh I:AnyEnergyVIF
      key_datetime datetime I:DateTime s=1
      key_datetime kwh I:AnyEnergyVIF s=1
      prev_month_datetime datetime I:DateTime s=2
      prev_{storage-1}_month kwh I:AnyEnergyVIF s=2-14
      actuality_duration h I:ActualityDuration
      time_without_measurement h err:OnTime
    `),
  ],
};

/** qheatv2 (HeatMeter). */
export const QHEATV2: DriverDef = {
  name: "qheatv2",
  detect: [
    ["QDS", 0x23, 0x04],
    ["QDS", 0x23, 0x37],
    ["QDS", 0x3e, 0x04],
    ["QDS", 0x3e, 0x37],
    ["QDS", 0x46, 0x04],
    ["QDS", 0x46, 0x37],
    ["QDS", 0x47, 0x04],
    ["QDS", 0x47, 0x37],
    ["QDS", 0x48, 0x04],
    ["QDS", 0x48, 0x37],
    ["LSE", 0x23, 0x04],
    ["LSE", 0x23, 0x37],
    ["LSE", 0x3e, 0x04],
    ["LSE", 0x3e, 0x37],
    ["LSE", 0x46, 0x04],
    ["LSE", 0x46, 0x37],
    ["LSE", 0x47, 0x04],
    ["LSE", 0x47, 0x37],
    ["LSE", 0x48, 0x04],
    ["LSE", 0x48, 0x37],
  ],
  records: qundisV2WalkByRecords,
  fields: [
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    ...rows("total kwh I:AnyEnergyVIF"),
    ...qundisV2Fields("kwh"),
  ],
};

/** qualcosonic (HeatCoolingMeter). */
export const QUALCOSONIC: DriverDef = {
  name: "qualcosonic",
  detect: [["AXI", 0x0b, 0x0d], ["AXI", 0x0c, 0x0d]],
  fields: [
    text("fabrication_no", "bcd", { mt: I, vif: "FabricationNo" }),
    num("operating_time", "h", { mt: I, vif: "OperatingTime" }),
    num("on_time", "h", { mt: I, vif: "OnTime" }),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    text("meter_datetime_at_error", "date", {
      mt: "error",
      vif: "DateTime",
    }),
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("flow_temperature", "c", { mt: I, vif: "FlowTemperature" }),
    num("return_temperature", "c", { mt: I, vif: "ReturnTemperature" }),
    num("flow_return_temperature_difference", "c", {
      mt: I,
      vif: "TemperatureDifference",
    }),
    num("volume_flow", "m3h", { mt: I, vif: "VolumeFlow" }),
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
      total_heat_energy kwh I:AnyEnergyVIF c=3B
      total_cooling_energy kwh I:AnyEnergyVIF c=3C
      power kw I:AnyPowerVIF
      target_datetime datetime I:DateTime s=16
      target_heat_energy kwh I:AnyEnergyVIF s=16 c=3B
      target_cooling_energy kwh I:AnyEnergyVIF s=16 c=3C
    `),
  ],
};

/** supercal (HeatMeter). */
export const SUPERCAL: DriverDef = {
  name: "supercal",
  detect: [["SON", 0x1b, 0x04]],
  fields: [
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("flow_temperature", "c", { mt: I, vif: "FlowTemperature" }),
    num("return_temperature", "c", { mt: I, vif: "ReturnTemperature" }),
    num("volume_flow", "m3h", { mt: I, vif: "VolumeFlow" }),
    ...rows(`
      total kwh I:AnyEnergyVIF
      total m3 I:Volume
      target kwh I:AnyEnergyVIF s=20
      target m3 I:Volume s=20
      target_date date I:Date s=20
      power kw I:AnyPowerVIF
    `),
  ],
};

/** vario411 (HeatMeter). */
export const VARIO411: DriverDef = {
  name: "vario411",
  detect: [["TCH", 0x28, 0x04]],
  fields: [
    ...rows(`
      target kwh I:AnyEnergyVIF s=1
      target_date date I:Date s=1
    `),
  ],
};

/** vario451mid (HeatMeter). */
export const VARIO451MID: DriverDef = {
  name: "vario451mid",
  detect: [["TCH", 0x17, 0x04]],
  fields: [
    ...rows(`
      total_energy_consumption kwh I:AnyEnergyVIF
      energy_at_old_date kwh I:AnyEnergyVIF s=1
      old_date date I:Date s=1
      energy_at_set_date kwh I:AnyEnergyVIF s=8
      set_date date I:Date s=8
    `),
  ],
};

/** The drivers of this file. */
export const HEAT_REF_DRIVERS: readonly DriverDef[] = [
  QHEAT5US,
  QHEAT_55_US,
  QHEATV2,
  QUALCOSONIC,
  SUPERCAL,
  VARIO411,
  VARIO451MID,
];
