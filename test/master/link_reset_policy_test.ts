import assert from "node:assert/strict";
import {
  C_FCB,
  C_FCV,
  C_REQ_UD2,
  C_SND_NKE,
  encodeFrame,
  shortFrame,
} from "../../src/link/mod.ts";
import {
  CollisionError,
  Master,
  type MasterOptions,
  NoResponseError,
  parseMeterAddress,
} from "../../src/master/mod.ts";
import type { Transport } from "../../src/transport/mod.ts";
import { VirtualSlave } from "../../sim/mod.ts";
import { ForwardingTransport } from "../_helpers/forwarding_transport.ts";
import { meter, rig, type SimRig, telegram } from "./_sim.ts";

const P5 = parseMeterAddress("5");

/**
 * Between the master and the bus: records the C field of every short frame the master
 * sends and, with `ignoreFcb`, clears FCV and FCB of REQ_UD2 on the way, which makes the
 * slave behind it a meter that ignores the FCB (it answers its current data every time).
 */
class Tap extends ForwardingTransport {
  readonly cFields: number[] = [];
  readonly #ignoreFcb: boolean;

  constructor(inner: Transport, ignoreFcb: boolean) {
    super(inner);
    this.#ignoreFcb = ignoreFcb;
  }

  override write(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    const [start, c, a] = bytes;
    if (bytes.length !== 5 || start !== 0x10 || c === undefined) {
      return this.inner.write(bytes, signal);
    }
    this.cFields.push(c);
    if (!this.#ignoreFcb || (c & 0x0f) !== (C_REQ_UD2 & 0x0f)) {
      return this.inner.write(bytes, signal);
    }
    const plain = encodeFrame(shortFrame(C_REQ_UD2 & ~C_FCV, a ?? 0));
    return this.inner.write(plain, signal);
  }

  /** What the master sent, as names: NKE, UD2+ (FCB set), UD2- (FCB clear). */
  get requests(): string[] {
    return this.cFields.map((c) =>
      c === C_SND_NKE ? "NKE" : (c & C_FCB) !== 0 ? "UD2+" : "UD2-"
    );
  }
}

interface TapRig {
  r: SimRig;
  tap: Tap;
  master: Master;
}

function tapRig(
  telegrams: Uint8Array[],
  options: Partial<Omit<MasterOptions, "transport" | "clock">> = {},
  ignoreFcb = false,
  fcbRepeat = false,
): TapRig & AsyncDisposable {
  const r = rig([meter("12345678", 5, { telegrams, fcbRepeat })]);
  const tap = new Tap(r.port, ignoreFcb);
  const master = new Master({
    transport: tap,
    clock: r.clock,
    idleTimeoutMs: 0,
    requestTimeoutMs: 400,
    linkReset: "whenNeeded",
    ...options,
  });
  return {
    r,
    tap,
    master,
    async [Symbol.asyncDispose]() {
      await master.close();
      await r[Symbol.asyncDispose]();
    },
  };
}

async function readAccess(t: TapRig): Promise<number | undefined> {
  const reading = await t.r.run(t.master.readMeter(P5));
  return reading.telegram.header?.accessNumber;
}

Deno.test("Master.readMeter() with linkReset whenNeeded reads a known single-telegram meter with REQ_UD2 alone, toggling the FCB", async () => {
  await using t = tapRig([telegram(7)]);
  const access = [
    await readAccess(t),
    await readAccess(t),
    await readAccess(t),
  ];
  assert.deepEqual(t.tap.requests, ["NKE", "UD2+", "UD2-", "UD2+"]);
  // Every answer is a new telegram (a repeat would carry the same access number).
  assert.equal(new Set(access).size, 3);
  const s = t.r.bus.stats().requestsByType;
  assert.equal(s.sndNke, 1);
  assert.equal(s.reqUd2, 3);
});

Deno.test("Master.readMeter() by default sends SND_NKE before every readout", async () => {
  await using t = tapRig([telegram(7)], { linkReset: "always" });
  await readAccess(t);
  await readAccess(t);
  assert.deepEqual(t.tap.requests, ["NKE", "UD2+", "NKE", "UD2+"]);
});

Deno.test("Master.readMeter() takes linkReset per call over the master's policy", async () => {
  await using t = tapRig([telegram(7)]);
  await readAccess(t);
  await t.r.run(t.master.readMeter(P5, { linkReset: "always" }));
  assert.deepEqual(t.tap.requests, ["NKE", "UD2+", "NKE", "UD2+"]);
});

Deno.test("Master.readMeter() with whenNeeded resets a multi-telegram meter before every readout", async () => {
  const telegrams = [telegram(1), telegram(2), telegram(3)];
  await using t = tapRig(telegrams);
  for (let i = 0; i < 2; i++) {
    const reading = await t.r.run(t.master.readMeter(P5));
    assert.equal(reading.frames, 3);
    assert.deepEqual(
      reading.telegram.records.filter((_, j) => j % 2 === 0).map((x) => x.raw),
      [1, 2, 3],
    );
  }
  assert.deepEqual(t.tap.requests, [
    ...["NKE", "UD2+", "UD2-", "UD2+"],
    ...["NKE", "UD2+", "UD2-", "UD2+"],
  ]);
});

Deno.test("Master.readMeter() with whenNeeded resets again after a timeout", async () => {
  await using t = tapRig([telegram(7)]);
  await readAccess(t);
  const slave = t.r.bus.slaves[0];
  assert.ok(slave);
  t.r.bus.removeSlave(slave);
  await assert.rejects(t.r.run(t.master.readMeter(P5)), NoResponseError);
  t.r.bus.addSlave(slave);
  await readAccess(t);
  assert.deepEqual(t.tap.requests, ["NKE", "UD2+", "UD2-", "NKE", "UD2+"]);
});

Deno.test("Master.readMeter() with whenNeeded restarts with SND_NKE when the answer announces more telegrams", async () => {
  await using t = tapRig([telegram(7)]);
  await readAccess(t);
  // The meter at 5 is replaced by one with three telegrams, unknown to the master.
  const old = t.r.bus.slaves[0];
  assert.ok(old);
  t.r.bus.removeSlave(old);
  const telegrams = [telegram(1), telegram(2), telegram(3)];
  t.r.bus.addSlave(
    new VirtualSlave({
      baudRate: 2400,
      ...meter("87654321", 5, { telegrams }),
    }),
  );
  const reading = await t.r.run(t.master.readMeter(P5));
  assert.equal(reading.frames, 3);
  assert.equal(reading.telegram.header?.id, "87654321");
  assert.deepEqual(
    reading.telegram.records.filter((_, j) => j % 2 === 0).map((x) => x.raw),
    [1, 2, 3],
  );
  assert.deepEqual(t.tap.requests, [
    ...["NKE", "UD2+"],
    "UD2-", // first telegram says "more follow": discarded
    ...["NKE", "UD2+", "UD2-", "UD2+"],
  ]);
});

Deno.test("Master.readMeter() with whenNeeded reads a meter that ignores the FCB", async () => {
  await using t = tapRig([telegram(7)], {}, true);
  const access = [await readAccess(t), await readAccess(t)];
  assert.deepEqual(t.tap.requests, ["NKE", "UD2+", "UD2-"]);
  assert.equal(new Set(access).size, 2);
});

Deno.test("Master.resetFcbState() makes the next readout start with SND_NKE", async () => {
  await using t = tapRig([telegram(7)]);
  await readAccess(t);
  t.master.resetFcbState();
  await readAccess(t);
  assert.deepEqual(t.tap.requests, ["NKE", "UD2+", "NKE", "UD2+"]);
});

Deno.test("Master.resetFcbState() resynchronises a meter another master read in between", async () => {
  // A single-telegram meter that repeats on an unchanged FCB (most ignore FCB, §2.4).
  await using t = tapRig([telegram(7)], {}, false, true);
  const first = await readAccess(t);
  // Another master (e.g. a TCP bridge client) reads the meter twice on the same bus.
  const other = new Master({
    transport: t.r.port,
    clock: t.r.clock,
    idleTimeoutMs: 0,
    linkReset: "whenNeeded",
  });
  await t.r.run(other.readMeter(P5));
  const foreign = await t.r.run(other.readMeter(P5));
  await other.close();
  // Out of step: the meter takes our next FCB for a repetition and repeats its answer.
  const repeated = await readAccess(t);
  assert.notEqual(repeated, first);
  assert.equal(repeated, foreign.telegram.header?.accessNumber);
  const again = await readAccess(t); // back in step
  t.master.resetFcbState();
  const fresh = await readAccess(t);
  assert.notEqual(fresh, again);
  assert.deepEqual(t.tap.requests, [
    "NKE",
    "UD2+",
    "UD2-",
    "UD2+",
    "NKE",
    "UD2+",
  ]);
});

Deno.test("Master forgets FCB state across a scan", async () => {
  await using t = tapRig([telegram(7)], { scanTimeoutMs: 100 });
  await readAccess(t);
  await t.r.run(t.master.scanPrimary({ from: 4, to: 6 }));
  t.tap.cFields.length = 0;
  await readAccess(t);
  assert.deepEqual(t.tap.requests, ["NKE", "UD2+"]);
});

Deno.test("Master.readMeter() does not listen for trailing bytes after a valid answer", async () => {
  await using t = tapRig([telegram(7)]);
  await readAccess(t);
  t.r.bus.resetStats();
  await readAccess(t);
  await readAccess(t);
  // Between the first answer and the next request the line is idle only the frame gap
  // (33 bit times = 14 ms at 2400 Bd), not an inter-character timeout (50 ms).
  const s = t.r.bus.stats();
  assert.equal(s.answers, 2);
  assert.ok(s.turnaroundMs <= 14, `turnaround ${s.turnaroundMs} ms`);
  assert.ok(s.turnaroundMs >= 13.75, `turnaround ${s.turnaroundMs} ms`);
});

Deno.test("Master.readMeter() with whenNeeded still reports two meters on one address as a collision on first contact", async () => {
  await using r = rig([meter("12345678", 5), meter("87654321", 5)], {
    idleTimeoutMs: 0,
    linkReset: "whenNeeded",
  });
  await assert.rejects(r.run(r.master.readMeter(P5)), CollisionError);
});

Deno.test("Master.readMeter() with whenNeeded notices a second meter joining a known address", async () => {
  await using t = tapRig([telegram(7)]);
  await readAccess(t);
  t.r.bus.addSlave(
    new VirtualSlave({ baudRate: 2400, ...meter("87654321", 5) }),
  );
  // The fast read gets a garbled answer; the failure forgets the FCB state, and the next
  // readout's SND_NKE hears both acknowledgements.
  await assert.rejects(t.r.run(t.master.readMeter(P5)));
  await assert.rejects(t.r.run(t.master.readMeter(P5)), CollisionError);
  assert.deepEqual(t.tap.requests, ["NKE", "UD2+", "UD2-", "NKE"]);
});
