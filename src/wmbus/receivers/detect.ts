/**
 * Receiver detection: asks the device who it is, in the protocols that allow it (iM871A
 * device information at 57600 baud, AMB8465 firmware version at 9600 baud).
 *
 * @module
 */
import { type Clock, MbusError, RealClock } from "../../util/mod.ts";
import type { Transport } from "../../transport/mod.ts";
import { Amb8465Codec, AMBER_COMMAND, encodeAmberFrame } from "./amb8465.ts";
import { HCI_ENDPOINT, HCI_MESSAGE, HciDecoder } from "./hci.ts";
import { decodeIm871aDeviceInfo, im871aDeviceInfoRequest } from "./im871a.ts";

/** What {@link detectReceiver} found. */
export interface DetectedReceiver {
  /** The protocol to use. */
  format: "im871a" | "amb8465";
  /** One line about the device (model, firmware). */
  description: string;
  /** The line speed that worked (the transport is left at it). */
  baudRate: number;
}

/** Options of {@link detectReceiver}. */
export interface DetectOptions {
  /** Clock measuring the answer deadline. @default new RealClock() */
  clock?: Clock;
  /** How long to wait for each answer, in milliseconds. @default 500 */
  timeoutMs?: number;
  /** Cancels detection. @default undefined */
  signal?: AbortSignal;
}

const IM871A_BAUD = 57600;
const AMBER_BAUD = 9600;

async function ask<T>(
  transport: Transport,
  request: Uint8Array,
  accept: (chunk: Uint8Array) => T | null,
  options: Required<Omit<DetectOptions, "signal">> & DetectOptions,
): Promise<T | null> {
  await transport.purge();
  await transport.write(request, options.signal);
  const deadline = options.clock.now() + options.timeoutMs;
  for (;;) {
    const left = deadline - options.clock.now();
    if (left <= 0) return null;
    const chunk = await transport.read(512, left, options.signal);
    if (chunk.length === 0) return null;
    const found = accept(chunk);
    if (found !== null) return found;
  }
}

async function trySpeed(transport: Transport, baudRate: number): Promise<void> {
  try {
    await transport.setBaudRate(baudRate);
  } catch {
    // TCP bridges and simulators keep their own speed.
  }
}

/**
 * Identifies the dongle behind a transport.
 *
 * @param transport An open transport to the dongle.
 * @param options Clock, answer timeout, signal.
 * @returns The format and a description; throws `MbusError` `UNKNOWN_RECEIVER` when
 * neither an iM871A nor an AMB8465 answers (text receivers cannot be detected).
 */
export async function detectReceiver(
  transport: Transport,
  options: DetectOptions = {},
): Promise<DetectedReceiver> {
  const o = { clock: new RealClock(), timeoutMs: 500, ...options };
  await trySpeed(transport, IM871A_BAUD);
  const hci = new HciDecoder();
  const info = await ask(transport, im871aDeviceInfoRequest(), (chunk) => {
    const m = hci.push(chunk).find((x) =>
      x.endpoint === HCI_ENDPOINT.deviceManagement &&
      x.messageId === HCI_MESSAGE.deviceInfoResponse
    );
    return m ? decodeIm871aDeviceInfo(m.payload) : null;
  }, o);
  if (info) {
    return {
      format: "im871a",
      description: `${info.model} firmware 0x${
        info.firmwareVersion.toString(16)
      } id ${info.uniqueId.toString(16)}`,
      baudRate: IM871A_BAUD,
    };
  }
  await trySpeed(transport, AMBER_BAUD);
  const amber = new Amb8465Codec();
  const firmware = await ask(
    transport,
    encodeAmberFrame(AMBER_COMMAND.firmwareVersion),
    (chunk) => {
      amber.push(chunk, 0);
      const f = amber.takeFrames().find((x) =>
        x.command === (AMBER_COMMAND.firmwareVersion | AMBER_COMMAND.confirm)
      );
      return f ? Array.from(f.payload).join(".") : null;
    },
    o,
  );
  if (firmware !== null) {
    return {
      format: "amb8465",
      description: `AMB8465 firmware ${firmware}`,
      baudRate: AMBER_BAUD,
    };
  }
  throw new MbusError(
    "UNKNOWN_RECEIVER",
    `Cannot detect receiver on ${transport.name}: no answer from an iM871A or AMB8465 (give --format)`,
  );
}
