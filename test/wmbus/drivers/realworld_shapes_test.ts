/**
 * Shapes of real-world telegrams from public threads (never the posted bytes): each test
 * builds the record layout a posted telegram showed, with our own values.
 */
import assert from "node:assert/strict";
import { decodeWithDriver } from "../../../src/wmbus/drivers/mod.ts";
import { telegram } from "./_telegram.ts";

/** Date-time type F (04 6D) for 10:12 on the given day. */
function dateTimeF(y: number, m: number, d: number): string {
  const yy = y - 2000;
  return [0x0c, 0x0a, d | ((yy & 7) << 5), m | ((yy >> 3) << 4)]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Volumes at storage 2..5 (history 1..4). */
const HISTORY = "840113D0070000 C40113B80B0000 840213A00F0000 C40213A00F0000";

Deno.test("waterstarm: history dates from a month's last day stay on the last day", () => {
  const head = { manufacturer: "DWZ", version: 0x02, deviceType: 0x07 };
  const at = (y: number, m: number, d: number) =>
    decodeWithDriver(
      telegram(`0413E8030000 046D${dateTimeF(y, m, d)} ${HISTORY}`, head),
      { driver: "waterstarm" },
    ).json;
  const nov30 = at(2024, 11, 30);
  assert.equal(nov30.meter_datetime, "2024-11-30 10:12");
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => nov30[`history_${n}_date`]),
    ["2024-10-31", "2024-09-30", "2024-08-31", "2024-07-31"],
  );
  const feb29 = at(2024, 2, 29);
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => feb29[`history_${n}_date`]),
    ["2024-01-31", "2023-12-31", "2023-11-30", "2023-10-31"],
  );
  // Not the last day: the same day, clamped to a shorter month's end.
  const mar30 = at(2024, 3, 30);
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => mar30[`history_${n}_date`]),
    ["2024-02-29", "2024-01-30", "2023-12-30", "2023-11-30"],
  );
});
