import assert from "node:assert/strict";
import { parseMeterAddress } from "../../src/master/mod.ts";
import type { Transport } from "../../src/transport/mod.ts";
import { ForwardingTransport } from "../_helpers/forwarding_transport.ts";
import { toHex } from "../../src/util/mod.ts";
import { meter, rig, telegram } from "./_sim.ts";
import { Master } from "../../src/master/mod.ts";
import { RequestEngine } from "../../src/master/request_engine.ts";
import { C_SND_NKE, shortFrame } from "../../src/link/mod.ts";

/**
 * A converter in front of the simulator's endpoint: records what the master sends and,
 * optionally, echoes it back first (as some level converters do). Real bytes both ways.
 */
class Converter extends ForwardingTransport {
  readonly sent: string[] = [];
  #echo: boolean;
  #pending: Uint8Array[] = [];

  constructor(inner: Transport, echo: boolean) {
    super(inner);
    this.#echo = echo;
  }
  override get name(): string {
    return `converter:${this.inner.name}`;
  }
  override async write(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    this.sent.push(toHex(bytes));
    if (this.#echo) this.#pending.push(bytes.slice());
    await this.inner.write(bytes, signal);
  }
  override read(
    max: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    const echo = this.#pending[0];
    if (echo) {
      const out = echo.subarray(0, max);
      if (out.length === echo.length) this.#pending.shift();
      else this.#pending[0] = echo.subarray(out.length);
      return Promise.resolve(out);
    }
    return this.inner.read(max, timeoutMs, signal);
  }
  override async purge(): Promise<number> {
    this.#pending = [];
    return await this.inner.purge();
  }
}

function converterRig(echo: boolean, telegrams = 3, options = {}) {
  const r = rig([meter("12345678", 5, {
    telegrams: Array.from({ length: telegrams }, (_, i) => telegram(i + 1)),
  })]);
  const converter = new Converter(r.port, echo);
  const master = new Master({
    transport: converter,
    clock: r.clock,
    idleTimeoutMs: 0,
    ...options,
  });
  return { r, converter, master };
}

Deno.test("Master toggles FCB per the standard: 7B after SND_NKE, then 5B, 7B", async () => {
  const { r, converter, master } = converterRig(false);
  await using _ = r;
  await r.run(master.readMeter(parseMeterAddress("5")));
  const controls = converter.sent.map((h) => h.slice(2, 4));
  assert.deepEqual(controls, ["40", "7b", "5b", "7b"]);
  assert.deepEqual(converter.sent[0], "1040054516");
});

Deno.test("Master repeats a request with the same FCB after a timeout", async () => {
  const { r, converter, master } = converterRig(false, 3, {
    retry: 1,
    requestTimeoutMs: 300,
  });
  await using _ = r;
  const slave = r.bus.slaves[0];
  assert.ok(slave);
  const reading = master.readMeter(parseMeterAddress("5"));
  // The meter acknowledges SND_NKE, then answers later than the request timeout.
  while (master.stats.answers < 1) await r.clock.advance(1);
  slave.answerDelayMs = 1000;
  await assert.rejects(r.run(reading), /No answer/);
  assert.deepEqual(converter.sent.map((h) => h.slice(2, 4)), [
    "40",
    "7b",
    "7b",
  ]);
  assert.equal(master.stats.retries, 1);
});

Deno.test("Master skips a converter's echo of its own request", async () => {
  const { r, converter, master } = converterRig(true, 2);
  await using _ = r;
  const reading = await r.run(master.readMeter(parseMeterAddress("5")));
  assert.equal(reading.frames, 2);
  assert.equal(reading.telegram.header?.id, "12345678");
  assert.equal(master.stats.badFrames, 0);
  assert.equal(converter.sent.length, 3);
});

Deno.test("Master waits for the first byte up to the request timeout, measured on the clock", async () => {
  for (const [timeoutMs, answers] of [[150, false], [400, true]] as const) {
    await using r = rig([meter("12345678", 5, { answerDelayMs: 250 })], {
      idleTimeoutMs: 0,
      requestTimeoutMs: timeoutMs,
    });
    const ok = await r.run(
      r.master.readMeter(parseMeterAddress("5")).then(() => true, () => false),
    );
    assert.equal(ok, answers, `timeout ${timeoutMs}`);
  }
});

Deno.test("RequestEngine stops at a valid frame with stopAtFrame, but not where several slaves may answer", async () => {
  // Two meters share address 5 and acknowledge 20 ms apart: two E5s, one after the other.
  await using r = rig([
    meter("12345678", 5, { answerDelayMs: 10 }),
    meter("87654321", 5, { answerDelayMs: 30 }),
  ]);
  const engine = new RequestEngine({ transport: r.port, clock: r.clock });
  const nke = shortFrame(C_SND_NKE, 5);
  const cases = [
    { stopAtFrame: true, mayCollide: false, kind: "answer" },
    { stopAtFrame: false, mayCollide: false, kind: "collision" },
    { stopAtFrame: true, mayCollide: true, kind: "collision" },
  ] as const;
  for (const c of cases) {
    const outcome = await r.run(engine.request(nke, {
      timeoutMs: 300,
      gapMs: 14,
      mayCollide: c.mayCollide,
      stopAtFrame: c.stopAtFrame,
    }));
    assert.equal(outcome.kind, c.kind, JSON.stringify(c));
  }
});
