/**
 * BMeters Hydrodigit water meters: standard records plus a manufacturer block (contents
 * byte, battery, fraud and leak dates, backflow, monthly totals), or the same values as
 * records with keys 01FB01–03FB1B as the reference reads them.
 *
 * @module
 */

import { bits, text } from "./_build.ts";
import { rows } from "./rows.ts";
import type { DriverDef, HookContext } from "./_spec.ts";
import { round6, uintLE } from "./_records.ts";

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Battery nibble → volts (BMeters Hydrodigit). */
const HYDRODIGIT_VOLTS = [
  3.7,
  1.9,
  2.1,
  2.2,
  2.3,
  2.4,
  2.5,
  2.65,
  2.8,
  2.9,
  3.05,
  3.2,
  3.35,
  3.5,
  3.7,
  3.7,
];

const CONTENTS = bits("CONTENTS", 0x97, [
  [0x01, "BATTERY_VOLTAGE"],
  [0x02, "FRAUD_DATE"],
  [0x04, "BACKFLOW"],
  [0x10, "MONTHLY_DATA"],
  [0x80, "LEAK_DATE"],
], null);

function bcd2(b: number): number {
  return (b >> 4) * 10 + (b & 0x0f);
}

/**
 * A date from BCD-coded year (since 2000), month and day, normalised as `mktime` does
 * (day 32 is the 1st of the next month, month 13 January of the next year); null when
 * the month or the day is 0 (no date recorded).
 */
function hydroDate(year: number, month: number, day: number): string | null {
  if (month === 0 || day === 0) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.toISOString().slice(0, 10);
}

/** Bytes the manufacturer block needs after its contents byte (battery, fraud, leak, backflow, months). */
function blockLength(contents: number): number {
  return ((contents & 0x01) !== 0 ? 1 : 0) + ((contents & 0x02) !== 0 ? 4 : 0) +
    ((contents & 0x80) !== 0 ? 3 : 0) + ((contents & 0x04) !== 0 ? 4 : 0) +
    ((contents & 0x10) !== 0 ? 36 : 0);
}

/**
 * Decodes the Hydrodigit manufacturer data (contents byte, then the parts it announces).
 *
 * @param ctx Hook context.
 */
function hydrodigitMfct(ctx: HookContext): void {
  const m = ctx.manufacturerData;
  if (m === null || m.length === 0) return;
  const contents = m[0] ?? 0;
  // A block shorter than its contents byte announces is garbled: nothing of it is read
  // (bytes after the announced parts are ignored).
  if (m.length < 1 + blockLength(contents)) return;
  const f = ctx.fields;
  f.contents = CONTENTS.map.filter(([bit]) => (contents & bit) !== 0).map((
    [, n],
  ) => n).sort().join(" ");
  let pos = 1;
  const take = (n: number): Uint8Array | null => {
    if (pos + n > m.length) return null;
    const b = m.subarray(pos, pos + n);
    pos += n;
    return b;
  };
  if ((contents & 0x01) !== 0) {
    const b = take(1);
    if (b !== null) f.voltage_v = HYDRODIGIT_VOLTS[(b[0] ?? 0) & 0x0f] ?? null;
  }
  if ((contents & 0x02) !== 0) {
    const t = take(1);
    const d = take(3);
    if (t !== null) {
      const type = (t[0] ?? 0) & 0xe0;
      const names = [[0x80, "MAGNETIC_FRAUD_ATTEMPT"], [
        0x40,
        "SENSOR_FRAUD_ATTEMPT",
      ], [0x20, "MODULE_REMOVED"]] as const;
      const words = names.filter(([bit]) => (type & bit) !== 0).map(([, n]) =>
        n
      );
      f.fraud_type = words.length === 0
        ? "NO_TYPE_INFO"
        : words.sort().join(" ");
    }
    if (d !== null) {
      f.fraud_date = hydroDate(
        2000 + bcd2(d[0] ?? 0),
        (d[1] ?? 0) & 0x0f,
        bcd2(d[2] ?? 0),
      );
    }
  }
  if ((contents & 0x80) !== 0) {
    const d = take(3);
    if (d !== null) {
      f.leak_date = hydroDate(
        2000 + bcd2(d[0] ?? 0),
        bcd2(d[1] ?? 0),
        bcd2(d[2] ?? 0),
      );
    }
  }
  if ((contents & 0x04) !== 0) {
    const b = take(4);
    if (b !== null) f.backflow_m3 = round6(uintLE(b) / 1000);
  }
  if ((contents & 0x10) !== 0) {
    for (const month of MONTHS) {
      const b = take(3);
      if (b === null) break;
      const raw = uintLE(b);
      f[`${month}_total_m3`] = raw < 10_000_000 ? round6(raw / 100) : 0;
    }
  }
}

/**
 * The same Hydrodigit values when they come as records (the reference reads them from
 * keys 01FB01 battery, 03FB02 fraud date, 03FB03 leak date, 04FB04 backflow, 03FB10–1B
 * monthly totals).
 *
 * @param ctx Hook context.
 */
function hydrodigitRecords(ctx: HookContext): void {
  const f = ctx.fields;
  const seen = new Set<string>();
  for (const e of ctx.entries) {
    // The first record of a key counts (as the reference's matchers take it).
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    const d = e.data;
    switch (e.key) {
      case "01FB01":
        f.voltage_v = HYDRODIGIT_VOLTS[(d[0] ?? 0) & 0x0f] ?? null;
        break;
      case "03FB02":
        f.fraud_date = hydroDate(
          2000 + bcd2(d[0] ?? 0),
          (d[1] ?? 0) & 0x0f,
          bcd2(d[2] ?? 0),
        );
        break;
      case "03FB03":
        f.leak_date = hydroDate(
          2000 + bcd2(d[0] ?? 0),
          bcd2(d[1] ?? 0),
          bcd2(d[2] ?? 0),
        );
        break;
      case "04FB04":
        f.backflow_m3 = round6(uintLE(d) / 1000);
        break;
      default: {
        const m = /^03FB1([0-9AB])$/.exec(e.key);
        if (m === null) break;
        const raw = uintLE(d);
        f[`${MONTHS[parseInt(m[1] ?? "0", 16)]}_total_m3`] = raw < 10_000_000
          ? round6(raw / 100)
          : 0;
      }
    }
  }
}

/** BMeters Hydrodigit. */
export const HYDRODIGIT: DriverDef = {
  name: "hydrodigit",
  detect: [["BMT", 0x13, 0x06], ["BMT", 0x17, 0x06], ["BMT", 0x13, 0x07], [
    "BMT",
    0x15,
    0x07,
  ], ["BMT", 0x17, 0x07]],
  fields: [
    ...rows(`
      total m3 I:Volume
      meter_datetime datetime I:DateTime
    `),
    text("contents", "lookup", { key: "01FB05" }, {
      lookups: [{
        type: "bits",
        name: "CONTENTS",
        mask: 0x97,
        map: [
          [0x01, "BATTERY_VOLTAGE"],
          [0x02, "FRAUD_DATE"],
          [0x80, "LEAK_DATE"],
          [0x04, "BACKFLOW"],
          [0x10, "MONTHLY_DATA"],
        ],
        default: "",
      }],
    }),
    text("fraud_type", "lookup", { key: "01FE0F" }, {
      lookups: [{
        type: "bits",
        name: "FRAUD_TYPE",
        mask: 0xE0,
        map: [
          [0x80, "MAGNETIC_FRAUD_ATTEMPT"],
          [0x40, "SENSOR_FRAUD_ATTEMPT"],
          [0x20, "MODULE_REMOVED"],
        ],
        default: "NO_TYPE_INFO",
      }],
    }),
  ],
  after(ctx: HookContext) {
    hydrodigitRecords(ctx);
    hydrodigitMfct(ctx);
  },
};
