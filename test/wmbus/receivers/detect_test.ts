import assert from "node:assert/strict";
import { MbusError, toHex, VirtualClock } from "../../../src/util/mod.ts";
import type { Transport } from "../../../src/transport/mod.ts";
import {
  detectReceiver,
  encodeAmberFrame,
  encodeHciMessage,
} from "../../../src/wmbus/mod.ts";

/** A device that answers requests it knows, at the speed it runs at; silence otherwise. */
class AnsweringDevice implements Transport {
  readonly name = "answering";
  readonly stats = { bytesOut: 0, bytesIn: 0, bytesPurged: 0 };
  baudRate = 9600;
  readonly requests: string[] = [];
  #answers: Map<string, Uint8Array>;
  #speed: number;
  #clock: VirtualClock;
  #queue: Uint8Array[] = [];
  constructor(
    answers: Map<string, Uint8Array>,
    speed: number,
    clock: VirtualClock,
  ) {
    this.#answers = answers;
    this.#speed = speed;
    this.#clock = clock;
  }
  write(bytes: Uint8Array): Promise<void> {
    this.requests.push(`${this.baudRate}:${toHex(bytes)}`);
    const answer = this.#answers.get(toHex(bytes));
    if (answer && this.baudRate === this.#speed) {
      // The answer arrives in two pieces, as from a real UART.
      this.#queue.push(answer.subarray(0, 3), answer.subarray(3));
    }
    return Promise.resolve();
  }
  async read(_max: number, timeoutMs: number): Promise<Uint8Array> {
    const next = this.#queue.shift();
    if (next) return next;
    await this.#clock.sleep(timeoutMs);
    return new Uint8Array(0);
  }
  purge(): Promise<number> {
    this.#queue = [];
    return Promise.resolve(0);
  }
  setBaudRate(baudRate: number): Promise<void> {
    this.baudRate = baudRate;
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

Deno.test("detectReceiver() finds an iM871A by its device information", async () => {
  const clock = new VirtualClock();
  const info = encodeHciMessage({
    endpoint: 1,
    messageId: 0x10,
    payload: Uint8Array.of(0x33, 0x00, 0x15, 0x01, 0x78, 0x56, 0x34, 0x12),
  }, { crc: true });
  const device = new AnsweringDevice(
    new Map([["a5010f00", info]]),
    57600,
    clock,
  );
  const found = await clock.drive(detectReceiver(device, { clock }));
  assert.equal(found.format, "im871a");
  assert.equal(found.baudRate, 57600);
  assert.match(found.description, /iM871A firmware 0x15 id 12345678/);
});

Deno.test("detectReceiver() falls back to an AMB8465 at 9600 baud", async () => {
  const clock = new VirtualClock();
  const fw = encodeAmberFrame(0x8c, Uint8Array.of(1, 2, 3));
  const device = new AnsweringDevice(new Map([["ff0c00f3", fw]]), 9600, clock);
  const found = await clock.drive(detectReceiver(device, { clock }));
  assert.equal(found.format, "amb8465");
  assert.equal(found.description, "AMB8465 firmware 1.2.3");
  assert.deepEqual(device.requests, ["57600:a5010f00", "9600:ff0c00f3"]);
});

Deno.test("detectReceiver() throws UNKNOWN_RECEIVER when nothing answers", async () => {
  const clock = new VirtualClock();
  const device = new AnsweringDevice(new Map(), 9600, clock);
  await assert.rejects(clock.drive(detectReceiver(device, { clock })), (e) => {
    assert.ok(e instanceof MbusError);
    assert.equal(e.code, "UNKNOWN_RECEIVER");
    assert.match(e.message, /^Cannot detect receiver on answering/);
    return true;
  });
});
