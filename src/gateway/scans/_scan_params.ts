/**
 * Validation of scan parameters, before anything touches the bus.
 *
 * @module
 */
import { AddressError, MbusError } from "../../util/mod.ts";
import type { ScanParams } from "../source/mod.ts";

const MASK_RE = /^[0-9A-Fa-f]{16}$/;

/**
 * Throws when scan parameters are malformed or do not fit the source.
 *
 * @param p The parameters.
 * @param kind The source kind.
 */
export function checkScanParams(
  p: ScanParams,
  kind: "wired" | "wireless",
): void {
  if (p.kind === "wireless") {
    if (kind !== "wireless") {
      throw new MbusError(
        "UNSUPPORTED",
        "Cannot listen for wireless meters on a wired instance",
      );
    }
    if (
      !Number.isInteger(p.durationMs) || p.durationMs < 1 ||
      p.durationMs > 86_400_000
    ) {
      throw new MbusError(
        "BAD_SCAN",
        `Invalid scan duration ${p.durationMs}: expected 1..86400000 ms`,
      );
    }
    return;
  }
  if (kind === "wireless") {
    throw new MbusError(
      "UNSUPPORTED",
      `Cannot run a ${p.kind} scan on a wireless instance`,
    );
  }
  if (p.kind === "primary") {
    const from = p.from ?? 0;
    const to = p.to ?? 250;
    for (const v of [from, to]) {
      if (!Number.isInteger(v) || v < 0 || v > 250) {
        throw new AddressError(
          "BAD_ADDRESS",
          String(v),
          `Invalid scan range bound ${v}: expected 0..250`,
        );
      }
    }
    if (from > to) {
      throw new AddressError(
        "BAD_ADDRESS",
        `${from}..${to}`,
        `Invalid scan range ${from}..${to}: "from" is above "to"`,
      );
    }
    return;
  }
  if (p.mask !== undefined && !MASK_RE.test(p.mask)) {
    throw new AddressError(
      "BAD_MASK",
      p.mask,
      `Invalid mask "${p.mask}": expected 16 hex digits with F as wildcard`,
    );
  }
}
