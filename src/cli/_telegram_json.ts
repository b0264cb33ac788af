/**
 * The JSON projection of a decoded telegram, shared by `mbusgw decode` and `mbusgw read`
 * so that both print records with the same fields in the same order.
 *
 * @module
 */
import type { DataRecord, Telegram } from "../app/mod.ts";

/**
 * The JSON of one data record (its DIF/VIF bytes, storage, tariff, subunit, quantity,
 * unit, value and raw value).
 *
 * @param r The record.
 * @returns A plain object for JSON.stringify.
 */
export function recordJson(r: DataRecord): Record<string, unknown> {
  return {
    index: r.index,
    dif: r.dif,
    dife: r.dife,
    vif: r.vif,
    vife: r.vife,
    function: r.function,
    storage: r.storage,
    tariff: r.tariff,
    subunit: r.subunit,
    quantity: r.quantity,
    unit: r.unit,
    value: r.value,
    raw: r.raw,
  };
}

/**
 * The JSON of a telegram: header, records, more-records flag, manufacturer data and, when
 * present, the application error.
 *
 * @param t The telegram.
 * @returns A plain object for JSON.stringify.
 */
export function telegramJson(t: Telegram): Record<string, unknown> {
  const out: Record<string, unknown> = {
    header: t.header,
    records: t.records.map(recordJson),
    moreRecordsFollow: t.moreRecordsFollow,
    manufacturerData: t.manufacturerData,
  };
  if (t.applicationError !== null) out.applicationError = t.applicationError;
  return out;
}
