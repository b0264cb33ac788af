/**
 * Commands that change a meter: set primary address (with read-back), switch baud rate,
 * application reset, and the harmless ping (SND_NKE). mbus-wired.md §4.4–4.7.
 *
 * @module
 */
import {
  ADDRESS_NETWORK_LAYER,
  C_REQ_UD2,
  C_SND_UD,
  CI_APPLICATION_RESET,
  CI_BAUD_300,
  CI_BAUD_RATES,
  CI_DATA_SEND,
  controlFrame,
  type Frame,
  longFrame,
  shortFrame,
  withFcb,
} from "../link/mod.ts";
import { AddressError, MbusError } from "../util/mod.ts";
import type { MasterBus } from "./_bus.ts";
import {
  formatMeterAddress,
  type MeterAddress,
  secondaryMask,
} from "./address.ts";
import { BadAnswerError, CollisionError, NoResponseError } from "./errors.ts";
import { meterKey, selectOne } from "./read_meter.ts";
import { identityOf } from "./scans.ts";

/** DIF 8-bit integer + VIF bus address: the set-address record (EN 13757-3). */
const SET_ADDRESS_RECORD = [0x01, 0x7a] as const;

/** Options of a command. */
export interface CommandOptions {
  /** Cancels (rejects with `signal.reason`). */
  signal?: AbortSignal | undefined;
}

/** Makes the meter addressable; returns the link address to use (primary or 253). */
async function target(
  bus: MasterBus,
  address: MeterAddress,
  signal: AbortSignal | undefined,
): Promise<number> {
  if (address.kind === "primary") return address.address;
  await selectOne(
    bus,
    secondaryMask(address.secondary),
    formatMeterAddress(address),
    signal,
  );
  return ADDRESS_NETWORK_LAYER;
}

/** Sends a frame that must be acknowledged with E5. */
async function expectAck(
  bus: MasterBus,
  address: MeterAddress,
  frame: Frame,
  signal: AbortSignal | undefined,
): Promise<void> {
  const text = formatMeterAddress(address);
  const { outcome, attempts } = await bus.send(frame, { signal });
  if (outcome.kind === "timeout") {
    throw new NoResponseError(text, attempts, "acknowledge");
  }
  if (outcome.kind === "collision") throw new CollisionError(text);
  if (outcome.kind === "badFrame" || outcome.frame.type !== "ack") {
    throw new BadAnswerError(text, "expected an acknowledge (E5)");
  }
}

/**
 * Pings a meter: SND_NKE (primary) or a selection (secondary).
 *
 * @returns True when exactly one meter acknowledged.
 */
export async function ping(
  bus: MasterBus,
  address: MeterAddress,
  options: CommandOptions = {},
): Promise<boolean> {
  if (address.kind === "secondary") {
    const { result } = await bus.select(secondaryMask(address.secondary), {
      signal: options.signal,
    });
    return result === "one";
  }
  const r = await bus.linkReset(address.address, meterKey(address), {
    signal: options.signal,
  });
  return r.outcome.kind === "answer" && r.outcome.frame.type === "ack";
}

/** Refuses a new primary address that another meter answers at. */
async function checkAddressFree(
  bus: MasterBus,
  address: MeterAddress,
  newAddress: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const probe = await bus.send(shortFrame(C_REQ_UD2, newAddress), {
    signal,
    timeoutMs: bus.scanTimeoutMs,
  });
  if (probe.outcome.kind === "timeout") return;
  const owner = probe.outcome.kind === "answer"
    ? identityOf(probe.outcome.frame)
    : undefined;
  // A meter addressed by secondary address may already sit at the new address.
  const isItself = address.kind === "secondary" && owner !== undefined &&
    owner.address.id === address.secondary.id.toUpperCase();
  if (!isItself) {
    throw new MbusError(
      "ADDRESS_IN_USE",
      `Cannot set primary address ${newAddress} on meter ${
        formatMeterAddress(address)
      }: another meter answers there`,
    );
  }
}

/**
 * Sets a meter's primary address, then reads it back at the new address.
 *
 * @throws {AddressError} `BAD_ADDRESS` for a new address outside 0–250.
 * @throws {MbusError} `ADDRESS_IN_USE` when another meter answers at the new address.
 */
export async function setPrimaryAddress(
  bus: MasterBus,
  address: MeterAddress,
  newAddress: number,
  options: CommandOptions = {},
): Promise<void> {
  if (!Number.isInteger(newAddress) || newAddress < 0 || newAddress > 250) {
    throw new AddressError(
      "BAD_ADDRESS",
      String(newAddress),
      `Cannot set primary address ${newAddress}: expected 0 to 250`,
    );
  }
  const { signal } = options;
  const text = formatMeterAddress(address);
  if (address.kind !== "primary" || address.address !== newAddress) {
    await checkAddressFree(bus, address, newAddress, signal);
  }
  const a = await target(bus, address, signal);
  const record = Uint8Array.of(...SET_ADDRESS_RECORD, newAddress);
  await expectAck(
    bus,
    address,
    longFrame(C_SND_UD, a, CI_DATA_SEND, record),
    signal,
  );
  // Read back at the new address; SND_NKE first so that a meter repeating its last
  // answer for an unchanged FCB (with the old A field) starts afresh.
  const key = `p${newAddress}`;
  await bus.linkReset(newAddress, key, { signal });
  const fcb = bus.nextFcb(key);
  const check = await bus.send(
    shortFrame(withFcb(C_REQ_UD2, fcb), newAddress),
    { signal },
  );
  const readBack =
    `${newAddress} (read-back after setting the address of ${text})`;
  if (check.outcome.kind !== "answer") {
    throw new NoResponseError(readBack, check.attempts);
  }
  const frame = check.outcome.frame;
  if (frame.type !== "long" || frame.a !== newAddress) {
    throw new BadAnswerError(
      readBack,
      `expected a RSP_UD from address ${newAddress}`,
    );
  }
  bus.fcbAnswered(key, fcb);
}

/**
 * Switches a meter's baud rate: the meter acknowledges at the old rate, then the master
 * follows and verifies with a REQ_UD2 (or a selection) at the new rate. When the
 * verification fails the master's rate is restored.
 *
 * @throws {RangeError} For a rate that is not an M-Bus rate.
 */
export async function setBaudRate(
  bus: MasterBus,
  address: MeterAddress,
  baudRate: number,
  options: CommandOptions = {},
): Promise<void> {
  // The CI code is B8 plus the rate's place in the link layer's table (EN 13757-2).
  const index = (CI_BAUD_RATES as readonly number[]).indexOf(baudRate);
  if (index < 0) {
    throw new RangeError(
      `Cannot switch to ${baudRate} Bd: expected one of ${
        CI_BAUD_RATES.join(", ")
      }`,
    );
  }
  const { signal } = options;
  const transport = bus.engine.transport;
  const old = transport.baudRate;
  const a = await target(bus, address, signal);
  await expectAck(
    bus,
    address,
    controlFrame(C_SND_UD, a, CI_BAUD_300 + index),
    signal,
  );
  await transport.setBaudRate(baudRate);
  const verified = address.kind === "primary"
    ? (await bus.send(shortFrame(C_REQ_UD2, a), { signal })).outcome.kind ===
      "answer"
    : (await bus.select(secondaryMask(address.secondary), { signal }))
      .result === "one";
  if (!verified) {
    await transport.setBaudRate(old);
    throw new NoResponseError(
      `${formatMeterAddress(address)} at ${baudRate} Bd`,
      1,
    );
  }
}

/**
 * Application reset (CI 50), optionally with a subcode byte.
 */
export async function applicationReset(
  bus: MasterBus,
  address: MeterAddress,
  options: CommandOptions & { subcode?: number } = {},
): Promise<void> {
  const a = await target(bus, address, options.signal);
  const frame = options.subcode === undefined
    ? controlFrame(C_SND_UD, a, CI_APPLICATION_RESET)
    : longFrame(
      C_SND_UD,
      a,
      CI_APPLICATION_RESET,
      Uint8Array.of(options.subcode & 0xff),
    );
  await expectAck(bus, address, frame, options.signal);
  bus.fcbReset(meterKey(address));
}
