/**
 * Heat cost allocators: eurisii, fhkvdataiv, sontex868, bfw240radio, hydroclima,
 * aventieshca, metronahca, lse_08 (Qundis qcaloric lives in qundis.ts).
 *
 * @module
 */

import { bits, I, num, status, text } from "./_build.ts";
import { rows } from "./rows.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { type DvEntry, round6, uintLE } from "./_records.ts";
import { aventiesFlags } from "./aventies.ts";

const HCA = "HeatCostAllocation";
const ANY_FLAGS = bits("ERROR_FLAGS", 0xffffffff, []);

const EURIS_FLAGS = bits("ERROR_FLAGS", 0xffff, [
  [0x0001, "MEASUREMENT"],
  [0x0002, "SABOTAGE"],
  [0x0004, "BATTERY"],
  [0x0008, "CS"],
  [0x0010, "HF"],
  [0x0020, "RESET"],
]);

/** Innotas/Qundis EurisII. */
export const EURISII: DriverDef = {
  name: "eurisii",
  detect: [["INE", 0x55, 0x08], ["RAM", 0x55, 0x08]],
  fields: [
    status({ match: { mt: I, vif: "ErrorFlags" }, lookups: [EURIS_FLAGS] }),
    num("current_consumption", "hca", { mt: I, vif: HCA }),
    num("consumption_at_set_date_{storage}", "hca", {
      mt: I,
      vif: HCA,
      storage: [1, 17],
    }),
    num("consumption_at_set_date", "hca", { mt: I, vif: HCA, storage: 1 }),
  ],
  after(ctx: HookContext) {
    // error_flags is the reference's deprecated twin of status: the same words.
    ctx.fields.error_flags = ctx.fields.status;
  },
};

/** Techem FHKV data IV (OMS, mode 5): history of 14 months in a manufacturer record. */
export const FHKVDATAIV: DriverDef = {
  name: "fhkvdataiv",
  detect: [["TCH", 0x69, 0x08], ["TCH", 0x94, 0x08]],
  fields: [
    status({ match: { mt: I, vif: "ErrorFlags" }, lookups: [ANY_FLAGS] }),
    num("current_consumption", "hca", { mt: I, vif: HCA }),
    text("set_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("consumption_at_set_date", "hca", { mt: I, vif: HCA, storage: 1 }),
    text("set_date_8", "date", { mt: I, vif: "Date", storage: 8 }),
  ],
  after(ctx: HookContext) {
    const hist = ctx.entries.find((e) => e.key === "8D04EE1F");
    const base = ctx.fields.set_date_8;
    if (hist === undefined || typeof base !== "string") return;
    const [y, m] = base.split("-").map(Number);
    for (let i = 1; i <= 14 && 2 * i <= hist.data.length - 2; i++) {
      const at = hist.data.length - 2 * i;
      ctx.fields[`consumption_at_set_date_${i}_hca`] = uintLE(
        hist.data.subarray(at, at + 2),
      );
      // Last day of the month i months after set_date_8.
      const d = new Date(Date.UTC(y ?? 2000, (m ?? 1) + i, 0));
      ctx.fields[`consumption_at_set_date_${i}`] = d.toISOString().slice(0, 10);
    }
  },
};

/** Sontex 868 heat cost allocators. */
export const SONTEX868: DriverDef = {
  name: "sontex868",
  detect: [["SON", 0x16, 0x08]],
  fields: [
    num("current_consumption", "hca", { mt: I, vif: HCA }),
    text("set_date", "date", { mt: I, vif: "Date", storage: 1 }),
    num("consumption_at_set_date", "hca", { mt: I, vif: HCA, storage: 1 }),
    num("current_temp", "c", { mt: I, vif: "FlowTemperature" }),
    num("current_room_temp", "c", { mt: I, vif: "ExternalTemperature" }),
    num("max_temp", "c", { mt: "maximum", vif: "FlowTemperature" }),
    num("max_temp_previous_period", "c", {
      mt: "maximum",
      vif: "FlowTemperature",
      storage: 1,
    }),
    text("device_datetime", "datetime", { mt: I, vif: "DateTime" }),
  ],
};

/** `prev_NN_hca` field names of the BFW 240 history, by month number (1–18). */
const BFW_PREV: readonly string[] = Array.from(
  { length: 19 },
  (_, n) => `prev_${String(n).padStart(2, "0")}_hca`,
);

/** Record keys of the BFW payload parts (as the reference names them) and their offsets. */
const BFW_PARTS: readonly (readonly [string, number])[] = [
  ["02FD3A", 4],
  ["42FD3A", 6],
  ["03FD3A", 10],
  ["43FD3A", 13],
  ["8300FD3A", 16],
  ["C300FD3A", 19],
  ["8301FD3A", 22],
  ["C301FD3A", 25],
  ["8302FD3A", 28],
  ["C302FD3A", 31],
  ["8303FD3A", 34],
  ["C303FD3A", 37],
];

/**
 * The BFW payload rebuilt from records carrying its parts (the reference reads the parts
 * under these keys), or null when the current value is not among the records.
 */
function bfwFromRecords(entries: readonly DvEntry[]): Uint8Array | null {
  if (!entries.some((e) => e.key === "42FD3A")) return null;
  const out = new Uint8Array(40);
  for (const [key, at] of BFW_PARTS) {
    const e = entries.find((x) => x.key === key);
    if (e !== undefined) out.set(e.data.subarray(0, at < 10 ? 2 : 3), at);
  }
  return out;
}

/** Size of the BFW 240 payload, `2F 2F` included. */
const BFW_PAYLOAD_BYTES = 40;

/**
 * BFW 240 radio: big-endian words and packed 12-bit history after `2F 2F`. The payload is
 * exactly 40 bytes; any other length is not this layout (a radio receiver's trailing
 * byte, a cut frame), so every field prints null, as the reference's whole-payload
 * grammar does.
 */
function bfwAfter(ctx: HookContext): void {
  const p = bfwFromRecords(ctx.entries) ?? ctx.telegram.payload;
  if (p.length !== BFW_PAYLOAD_BYTES) {
    for (
      const k of [
        "current_hca",
        "device_date",
        "prev_hca",
        ...BFW_PREV.slice(1),
      ]
    ) {
      ctx.fields[k] = null;
    }
    return;
  }
  const be16 = (at: number) => ((p[at] ?? 0) << 8) | (p[at + 1] ?? 0);
  const f = ctx.fields;
  f.current_hca = be16(6);
  f.prev_hca = be16(4);
  // Nine triplets, oldest first (months 18/17 … 2/1); each holds two 12-bit values.
  for (let t = 0; t < 9; t++) {
    const raw = uintLE(p.subarray(10 + 3 * t, 13 + 3 * t));
    const older = 18 - 2 * t;
    const mid = (raw >> 8) & 0xff;
    f[BFW_PREV[older - 1] ?? ""] = (mid & 0x0f) * 256 + (raw >> 16);
    f[BFW_PREV[older] ?? ""] = (mid >> 4) * 256 + (raw & 0xff);
  }
  const bcd = (b: number) => (b >> 4) * 10 + (b & 0x0f);
  const day = bcd(p[37] ?? 0);
  const month = bcd(p[38] ?? 0);
  const year = bcd(p[39] ?? 0);
  const d = new Date(Date.UTC(2000 + year, month - 1, day));
  f.device_date = d.toISOString().slice(0, 10);
}

/** BFW 240 radio heat cost allocators. */
export const BFW240RADIO: DriverDef = {
  name: "bfw240radio",
  detect: [["BFW", 0x02, 0x08]],
  fields: [],
  after: bfwAfter,
};

/** BMeters Hydroclima RFM (RKN0 manufacturer data after `0F`). */
export const HYDROCLIMA: DriverDef = {
  name: "hydroclima",
  detect: [["BMP", 0x53, 0x08]],
  fields: [num("current_consumption", "hca", { mt: I, vif: HCA })],
  after(ctx: HookContext) {
    const m = ctx.manufacturerData;
    if (m === null || !ctx.entries.some((e) => e.key === "036E")) return;
    const temp = (
      at: number,
    ) => (at + 1 < m.length
      ? round6(uintLE(m.subarray(at, at + 2)) / 100)
      : undefined);
    const put = (name: string, at: number) => {
      const v = temp(at);
      if (v !== undefined) ctx.fields[name] = v;
    };
    put("average_ambient_temperature_c", 7);
    put("max_ambient_temperature_c", 9);
    put("average_ambient_temperature_last_month_c", 15);
    put("average_heater_temperature_last_month_c", 17);
  },
};

/** Aventies heat cost allocators. */
export const AVENTIESHCA: DriverDef = {
  name: "aventieshca",
  detect: [["AAA", 0x55, 0x08]],
  fields: [
    ...aventiesFlags(),
    ...rows(`
      current_consumption hca I:HeatCostAllocation
      consumption_at_set_date hca I:HeatCostAllocation s=1
      consumption_at_set_date_{storage} hca I:HeatCostAllocation s=2-17
    `),
  ],
};

/** Metrona heat cost allocators. */
export const METRONAHCA: DriverDef = {
  name: "metronahca",
  detect: [["MWU", 0x02, 0x08]],
  fields: [
    num("consumption", "hca", { mt: I, vif: HCA }),
    text("meter_date", "date", { mt: I, vif: "Date" }),
    num("target", "hca", { mt: I, vif: HCA, storage: 1 }),
    text("target_date", "date", { mt: I, vif: "Date", storage: 1 }),
  ],
};

/** Lorenz/LSE 08 heat cost allocators. */
export const LSE_08: DriverDef = {
  name: "lse_08",
  detect: [["LSE", 0x01, 0x08]],
  fields: [
    status({
      match: { key: "01FD73" },
      lookups: [bits("ERROR_FLAGS", 0xff, [])],
    }),
    num("current_consumption", "hca", { mt: I, vif: HCA }),
    text("set_date", "date", { mt: I, vif: "Date", storage: 8 }),
    num("consumption_at_set_date", "hca", { mt: I, vif: HCA, storage: 8 }),
    text("device_datetime", "datetime", { mt: I, vif: "DateTime" }),
    num("duration_since_readout", "h", {
      mt: I,
      vif: "DurationSinceReadout",
      combinables: ["7E"],
    }),
    text("model_version", "hex", { mt: I, vif: "ModelVersion" }),
  ],
};

/** The heat cost allocator family. */
export const HCA_DRIVERS: readonly DriverDef[] = [
  EURISII,
  FHKVDATAIV,
  SONTEX868,
  BFW240RADIO,
  HYDROCLIMA,
  AVENTIESHCA,
  METRONAHCA,
  LSE_08,
];
