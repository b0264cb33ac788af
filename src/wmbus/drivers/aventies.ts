/**
 * What the Aventies heat cost allocators and water meters share: their error flags,
 * printed in `status` and as `error_flags`.
 *
 * @module
 */

import { bits, I, status, text } from "./_build.ts";
import type { FieldSpec } from "./_spec.ts";

const FLAGS = [
  [0x0001, "MEASUREMENT"],
  [0x0002, "SABOTAGE"],
  [0x0004, "BATTERY"],
  [0x0008, "CS"],
  [0x0010, "HF"],
  [0x0020, "RESET"],
] as const;

/**
 * The error-flags record as `status` (OK when none) and as `error_flags` (empty when none).
 *
 * @returns The two field specs.
 */
export function aventiesFlags(): FieldSpec[] {
  const match = { mt: I, vif: "ErrorFlags" } as const;
  return [
    status({ match, lookups: [bits("ERROR_FLAGS", 0xffff, FLAGS, "OK")] }),
    text("error_flags", "lookup", match, {
      lookups: [bits("ERROR_FLAGS", 0xffff, FLAGS, "")],
    }),
  ];
}
