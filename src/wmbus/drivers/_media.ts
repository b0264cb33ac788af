/**
 * Media texts (device type byte → wmbusmeters media names).
 *
 * @module
 */

import type { DriverTelegram } from "./_types.ts";

/** Device type → media text (EN 13757-3 table, wmbusmeters wording). */
export const MEDIA: Readonly<Record<number, string>> = {
  0x00: "other",
  0x01: "oil",
  0x02: "electricity",
  0x03: "gas",
  0x04: "heat",
  0x05: "steam",
  0x06: "warm water",
  0x07: "water",
  0x08: "heat cost allocation",
  0x09: "compressed air",
  0x0a: "cooling load volume at outlet",
  0x0b: "cooling load volume at inlet",
  0x0c: "heat volume at inlet",
  0x0d: "heat/cooling load",
  0x0e: "bus/system component",
  0x0f: "unknown",
  0x15: "hot water",
  0x16: "cold water",
  0x17: "hot/cold water",
  0x18: "pressure",
  0x19: "a/d converter",
  0x1a: "smoke detector",
  0x1b: "room sensor",
  0x1c: "gas detector",
  0x20: "breaker",
  0x21: "valve",
  0x25: "customer unit",
  0x28: "waste water",
  0x29: "garbage",
  0x36: "radio converter (system side)",
  0x37: "radio converter (meter side)",
};

/** Techem's own device types. */
const TECHEM_MEDIA: Readonly<Record<number, string>> = {
  0x62: "warm water",
  0x72: "cold water",
  0x80: "heat cost allocator",
  0x43: "heat",
  0xc3: "heat",
  0xf0: "smoke detector",
};

/**
 * The media text of a telegram (long TPL header type wins over the link layer type).
 *
 * @param t Telegram.
 * @returns Media text.
 */
export function mediaText(t: DriverTelegram): string {
  const tplType = (t.tpl as { deviceType?: number } | null)?.deviceType;
  const type = tplType ?? t.deviceType;
  if (t.manufacturer === "TCH") {
    const m = TECHEM_MEDIA[type];
    if (m !== undefined) return m;
  }
  return MEDIA[type] ?? "reserved";
}
