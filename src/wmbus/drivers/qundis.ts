/**
 * Qundis meters and relatives: qcaloric (whe5x, whe46x) heat cost allocators and qwater,
 * with the proprietary walk-by record `0D FF 5F`.
 *
 * @module
 */

import { bits, I, num, status, text } from "./_build.ts";
import { splitRecords } from "./_records.ts";
import { defaultCompactRecords } from "./_compact.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { mediaText } from "./_engine_values.ts";

const HCA = "HeatCostAllocation";

/**
 * Qundis walk-by record `0D FF 5F` (data set type 0x82): inserts synthetic records right
 * after it (current value, due date and value, storage-17 date and value, BCD, with the
 * VIF of the main quantity at byte 9) so the table reads them like ordinary records,
 * and reads them first, as the reference does; a truncated record later in the payload
 * does not hide them.
 *
 * @param ctx The telegram and meter state.
 * @returns The payload (a compact frame expanded) with the synthetic records inserted.
 */
export function qundisWalkByRecords(
  ctx: Parameters<NonNullable<DriverDef["records"]>>[0],
): ReturnType<NonNullable<DriverDef["records"]>> {
  return walkByRecords(ctx, false);
}

/**
 * The walk-by records of the v2 meters (qheatv2, qwaterv2): those of
 * {@link qundisWalkByRecords} and the twelve monthly deltas at bytes 28–51 (16-bit
 * integers, storages 2–13).
 *
 * @param ctx The telegram and meter state.
 * @returns The payload with the synthetic records inserted.
 */
export function qundisV2WalkByRecords(
  ctx: Parameters<NonNullable<DriverDef["records"]>>[0],
): ReturnType<NonNullable<DriverDef["records"]>> {
  return walkByRecords(ctx, true);
}

/** Bytes of the walk-by block that hold the twelve monthly deltas. */
const DELTAS_END = 52;

function walkByRecords(
  ctx: Parameters<NonNullable<DriverDef["records"]>>[0],
  deltas: boolean,
): ReturnType<NonNullable<DriverDef["records"]>> {
  // Compact frames expand first (formats learned from the meter's full frames).
  const expanded = defaultCompactRecords(ctx);
  if (!expanded.ok) return expanded;
  const p = expanded.data;
  const walkBy = splitRecords(p).entries.find((e) => e.key === "0DFF5F");
  const d = walkBy?.data;
  const vif = d?.[9];
  if (
    d === undefined || vif === undefined || d.length < 28 || d[1] !== 0x82 ||
    d[7] !== 0x07
  ) {
    return { ok: true, data: p };
  }
  const synth = [
    [0x0c, vif, ...d.subarray(12, 16)],
    [0x42, 0x6c, ...d.subarray(16, 18)],
    [0x4c, vif, ...d.subarray(18, 22)],
    [0xc2, 0x08, 0x6c, ...d.subarray(22, 24)],
    [0xcc, 0x08, vif, ...d.subarray(24, 28)],
  ].flat();
  if (deltas && d.length >= DELTAS_END) {
    for (let storage = 2; storage <= 13; storage++) {
      const at = 28 + 2 * (storage - 2);
      const dif = 0x82 | ((storage & 1) << 6);
      synth.push(dif, storage >> 1, vif, d[at] ?? 0, d[at + 1] ?? 0);
    }
  }
  // The block's data is a view into p: the record ends where its data ends.
  const end = d.byteOffset - p.byteOffset + d.length;
  return {
    ok: true,
    data: Uint8Array.from([
      ...p.subarray(0, end),
      ...synth,
      ...p.subarray(end),
    ]),
  };
}

/** Qundis Q caloric and relatives (Lorenz/LSE WHE 5x, WHE 46x, Zenner). */
export const QCALORIC: DriverDef = {
  name: "qcaloric",
  aliases: ["whe5x", "whe46x"],
  detect: [
    ["LSE", 0x34, 0x08],
    ["LSE", 0x35, 0x08],
    ["QDS", 0x35, 0x08],
    ["QDS", 0x34, 0x08],
    ["QDS", 0x36, 0x08],
    ["LSE", 0x18, 0x08],
    ["ZRI", 0xfd, 0x08],
  ],
  records: qundisWalkByRecords,
  fields: [
    status({
      match: { key: "01FD73" },
      lookups: [bits("ERROR_FLAGS", 0xff, [])],
    }),
    text("model_version", "hex", { mt: I, vif: "ModelVersion" }),
    num("current_consumption", "hca", { mt: I, vif: HCA }),
    text("set_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("consumption_at_set_date", "hca", { mt: I, vif: HCA, storage: 1 }),
    // An invalid date (FFFF) prints "" here, null in set_date, as the reference does.
    text("set_date_1", "date", { mt: I, vif: "Date", storage: 1 }, {
      invalid: "",
    }),
    num("consumption_at_set_date_1", "hca", { mt: I, vif: HCA, storage: 1 }),
    text("set_date_{storage}", "date", {
      mt: I,
      vif: "Date",
      storage: [2, 17],
    }, { invalid: "" }),
    num("consumption_at_set_date_{storage}", "hca", {
      mt: I,
      vif: HCA,
      storage: [2, 17],
    }),
    text("error_date", "date", { mt: "error", vif: "Date" }, { invalid: "" }),
    text("device_datetime", "datetime", { mt: I, vif: "DateTime" }),
    num("flow_temperature", "c", { mt: I, vif: "FlowTemperature" }),
  ],
};

/** Qundis Q water. */
export const QWATER: DriverDef = {
  name: "qwater",
  detect: [
    ["QDS", 0x33, 0x37],
    ["QDS", 0x16, 0x06],
    ["QDS", 0x16, 0x07],
    ["QDS", 0x18, 0x06],
    ["QDS", 0x18, 0x07],
    ["QDS", 0x19, 0x07],
    ["QDS", 0x35, 0x06],
    ["QDS", 0x35, 0x07],
  ],
  records: qundisWalkByRecords,
  fields: [
    status(),
    text("meter_datetime", "date", { mt: I, vif: "DateTime" }),
    num("total", "m3", { mt: I, vif: "Volume" }),
    num("due_date", "m3", { mt: I, vif: "Volume", storage: 1 }),
    text("due_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("due_17_date", "m3", { mt: I, vif: "Volume", storage: 17 }),
    text("due_17_date", "date", { mt: I, vif: "Date", storage: 17 }),
    num("volume_flow", "m3h", {
      mt: I,
      vif: "VolumeFlow",
      combinables: ["56"],
    }),
    text("error_date", "date", { mt: "error", vif: "Date" }),
  ],
};

/** Qundis Q heat. */
export const QHEAT: DriverDef = {
  name: "qheat",
  detect: [["QDS", 0x23, 0x04], ["QDS", 0x46, 0x04], ["QDS", 0x23, 0x37]],
  records: qundisWalkByRecords,
  fields: [
    status({
      match: { mt: I, vif: "ErrorFlags" },
      lookups: [bits("ERROR_FLAGS", 0xffff, [
        [0x01, "NO_FLOW"],
        [0x02, "SUPPLY_SENSOR_INTERRUPTED"],
        [0x04, "RETURN_SENSOR_INTERRUPTED"],
        [0x08, "TEMPERATURE_ELECTRONICS_ERROR"],
        [0x10, "BATTERY_VOLTAGE_ERROR"],
        [0x20, "SHORT_CIRCUIT_SUPPLY_SENSOR"],
        [0x40, "SHORT_CIRCUIT_RETURN_SENSOR"],
        [0x80, "MEMORY_ERROR"],
        [0x100, "SABOTAGE"],
        [0x200, "ELECTRONICS_ERROR"],
      ])],
    }),
    num("total_energy_consumption", "kwh", { mt: I, vif: "AnyEnergyVIF" }),
    text("last_month_date", "date", { mt: I, vif: "Date", storage: 17 }, {
      invalid: "",
    }),
    num("last_month_energy_consumption", "kwh", {
      mt: I,
      vif: "AnyEnergyVIF",
      storage: 17,
    }),
    text("last_year_date", "date", { mt: I, vif: "Date", storage: 1 }, {
      invalid: "",
    }),
    num("last_year_energy_consumption", "kwh", {
      mt: I,
      vif: "AnyEnergyVIF",
      storage: 1,
    }),
    text("device_date_time", "date", { mt: I, vif: "DateTime" }),
    text("device_error_date", "date", { mt: "error", vif: "Date" }, {
      invalid: "",
    }),
  ],
  after: qheatIdentity,
};

/**
 * Q heat prints the meter behind a radio converter: the enhanced identification record
 * `07 79` (id BCD, manufacturer, version, device type) gives the printed `id` and `media`
 * in place of the link layer's, as the reference's qheat does (qwater does not).
 *
 * @param ctx Hook context.
 */
function qheatIdentity(ctx: HookContext): void {
  const e = ctx.entries.find((x) => x.key === "0779");
  if (e === undefined || e.data.length < 8) return;
  ctx.fields.id = [...e.data.subarray(0, 4)].reverse()
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  ctx.fields.media = mediaText({
    ...ctx.telegram,
    tpl: null,
    deviceType: e.data[7] ?? 0,
  });
}

/** The Qundis family. */
export const QUNDIS_DRIVERS: readonly DriverDef[] = [QCALORIC, QWATER, QHEAT];
