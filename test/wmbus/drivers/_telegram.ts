/**
 * Hand-made telegrams for driver tests (no corpus data).
 *
 * @module
 */

import type { DriverTelegram } from "../../../src/wmbus/drivers/mod.ts";
import { fromHex } from "../../../src/util/mod.ts";

/** Options of {@link telegram}. */
export interface TelegramOptions {
  manufacturer?: string;
  id?: string;
  version?: number;
  deviceType?: number;
  ci?: number;
  status?: number;
  raw?: Uint8Array;
}

/**
 * A telegram view with a short TPL header (CI 0x7A) unless `ci` says otherwise.
 *
 * @param payloadHex Application data after the TPL header.
 * @param o Header fields.
 * @returns The telegram.
 */
export function telegram(
  payloadHex: string,
  o: TelegramOptions = {},
): DriverTelegram {
  const ci = o.ci ?? 0x7a;
  const hasTpl = ci === 0x7a || ci === 0x72;
  return {
    raw: o.raw ?? new Uint8Array(0),
    manufacturer: o.manufacturer ?? "ABC",
    id: o.id ?? "12345678",
    version: o.version ?? 1,
    deviceType: o.deviceType ?? 0x07,
    ci,
    tpl: hasTpl
      ? { ci, accessNumber: 1, status: o.status ?? 0, config: 0 }
      : ci === 0x78 || ci === 0x79
      ? { ci }
      : null,
    payload: fromHex(payloadHex),
  };
}
