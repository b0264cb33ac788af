/**
 * Commands that change a meter (primary address, baud rate): each takes the bus from the
 * arbiter as a `command` owner, queued ahead of polling, and runs on the source.
 *
 * @module
 */
import { AddressError } from "../../util/mod.ts";
import type { BusArbiter, MeterSource } from "../source/mod.ts";

/** What a command needs. */
export interface CommandParts {
  /** The instance's arbiter. */
  arbiter: BusArbiter;
  /** The instance's bus. */
  source: MeterSource;
}

/**
 * Changes a meter's primary address (permanent).
 *
 * @param parts Arbiter and source.
 * @param meter The meter's canonical name.
 * @param newAddress 0..250.
 * @param signal Cancels the wait and the command.
 * @throws {AddressError} `BAD_ADDRESS` outside 0..250; the source's errors.
 */
export async function setPrimaryAddress(
  parts: CommandParts,
  meter: string,
  newAddress: number,
  signal?: AbortSignal,
): Promise<void> {
  if (!Number.isInteger(newAddress) || newAddress < 0 || newAddress > 250) {
    throw new AddressError(
      "BAD_ADDRESS",
      String(newAddress),
      `Cannot set primary address ${newAddress}: expected 0..250`,
    );
  }
  const opts = signal ? { signal } : {};
  using _lease = await parts.arbiter.acquire({
    kind: "command",
    label: `set-primary of ${meter}`,
  }, opts);
  await parts.source.setPrimaryAddress(meter, newAddress, opts);
}

/**
 * Switches a meter's baud rate.
 *
 * @param parts Arbiter and source.
 * @param meter The meter's canonical name.
 * @param baudRate One of 300..38400.
 * @param signal Cancels the wait and the command.
 */
export async function setBaudRate(
  parts: CommandParts,
  meter: string,
  baudRate: number,
  signal?: AbortSignal,
): Promise<void> {
  const opts = signal ? { signal } : {};
  using _lease = await parts.arbiter.acquire({
    kind: "command",
    label: `set-baudrate of ${meter}`,
  }, opts);
  await parts.source.setBaudRate(meter, baudRate, opts);
}
