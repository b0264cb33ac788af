/**
 * The master against damaged bytes: a line that flips, drops and inserts random bytes in
 * the simulator's answers. Every readout ends with a reading or a typed error, every
 * request is accounted for, and nothing hangs.
 */
import assert from "node:assert/strict";
import { Master, parseMeterAddress } from "../../src/master/mod.ts";
import type { Transport } from "../../src/transport/mod.ts";
import { MbusError } from "../../src/util/mod.ts";
import { ForwardingTransport } from "../_helpers/forwarding_transport.ts";
import { seededRandom } from "../_helpers/random.ts";
import { meter, rig, telegram } from "./_sim.ts";

/** A noisy line between the bus and the master. */
class NoisyLine extends ForwardingTransport {
  #random: () => number;
  constructor(inner: Transport, seed: number) {
    super(inner);
    this.#random = seededRandom(seed);
  }
  override get name(): string {
    return "noisy";
  }
  override async read(
    max: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    const bytes = await this.inner.read(max, timeoutMs, signal);
    const out: number[] = [];
    for (const b of bytes) {
      const dice = this.#random();
      if (dice < 0.01) continue; // dropped
      if (dice < 0.02) out.push(Math.floor(this.#random() * 256)); // inserted
      out.push(dice < 0.03 ? b ^ (1 << Math.floor(this.#random() * 8)) : b);
    }
    return Uint8Array.from(out.slice(0, Math.max(1, max)));
  }
}

const CODES = ["NO_RESPONSE", "COLLISION", "BAD_ANSWER"];

Deno.test("Master survives a noisy line: readings or typed errors, every request counted", async () => {
  await using r = rig([
    meter("12345678", 5, {
      telegrams: [telegram(1), telegram(2), telegram(3)],
    }),
  ]);
  const master = new Master({
    transport: new NoisyLine(r.port, 99),
    clock: r.clock,
    idleTimeoutMs: 0,
    requestTimeoutMs: 400,
    retry: 1,
  });
  let readings = 0;
  let partial = 0;
  const codes = new Set<string>();
  for (let i = 0; i < 150; i++) {
    try {
      const reading = await r.clock.drive(
        master.readMeter(parseMeterAddress("5")),
      );
      readings++;
      if (reading.partial) partial++;
      assert.ok(reading.frames >= 1);
    } catch (e) {
      assert.ok(e instanceof MbusError, String(e));
      assert.ok(CODES.includes(e.code), e.code);
      codes.add(e.code);
    }
  }
  const s = master.stats;
  assert.equal(s.requests, s.answers + s.timeouts + s.collisions + s.badFrames);
  assert.ok(readings > 50, `only ${readings} readings`);
  assert.ok(s.badFrames > 0 && s.retries > 0);
});
