import assert from "node:assert/strict";
import {
  toLegacyDataRecord,
  toLegacySlaveInformation,
  WiredSource,
} from "../../src/gateway/mod.ts";
import {
  BadAnswerError,
  CollisionError,
  NoResponseError,
} from "../../src/master/mod.ts";
import { toHex, VirtualClock } from "../../src/util/mod.ts";
import { VirtualBus, VirtualSlave } from "../../sim/mod.ts";
import { meter, telegram } from "../master/_sim.ts";

// The legacyDriver profile on the wire: the master's bytes, heard by the simulator's bus
// monitor, equal libmbus's multi-telegram read (libmbus-behaviour.md §1 and §2).

const NKE_253 = "10 40 FD 3D 16";
const UD2_5_FCB = "10 7B 05 80 16";
const UD2_5 = "10 5B 05 60 16";

interface LegacyRig extends AsyncDisposable {
  source: WiredSource;
  clock: VirtualClock;
  /** Frames the master sent since the last call, as spaced hex, one per frame. */
  heard(): Promise<string[]>;
}

function legacyRig(
  slaves: ConstructorParameters<typeof VirtualSlave>[0][],
  isTcp = false,
): LegacyRig {
  const clock = new VirtualClock();
  const bus = new VirtualBus({ baudRate: 2400 });
  for (const s of slaves) bus.addSlave(new VirtualSlave(s));
  const monitor = bus.monitor({ clock });
  const source = new WiredSource({
    transport: bus.connect({ clock }),
    clock,
    legacy: true,
    isTcp,
  });
  return {
    source,
    clock,
    async heard() {
      return splitFrames(await monitor.read(65536, 0));
    },
    async [Symbol.asyncDispose]() {
      await source.close();
      await monitor.close();
    },
  };
}

/** Splits the master's byte stream into frames (short 10…16, long 68 L L 68 … 16). */
function splitFrames(bytes: Uint8Array): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < bytes.length) {
    const n = bytes[i] === 0x68 ? (bytes[i + 1] ?? 0) + 6 : 5;
    out.push(toHex(bytes.subarray(i, i + n), " ").toUpperCase());
    i += n;
  }
  return out;
}

Deno.test("legacy read by primary address: SND_NKE to 253 twice, then REQ_UD2 with C = 7B", async () => {
  await using r = legacyRig([meter("12345678", 5)]);
  const reading = await r.clock.drive(r.source.read("5"));
  assert.equal(reading.header?.id, "12345678");
  assert.equal(reading.frames, 1);
  assert.deepEqual(await r.heard(), [NKE_253, NKE_253, UD2_5_FCB]);
  // and named as libmbus prints it
  assert.ok(reading.header);
  const info = toLegacySlaveInformation(reading.header);
  assert.equal(info.Id, "12345678");
  assert.equal(info.Manufacturer, "KAM");
  const rec = reading.records[0];
  assert.ok(rec);
  assert.deepEqual(toLegacyDataRecord(rec, rec.value, "t"), {
    id: 0,
    Function: "Instantaneous value",
    StorageNumber: 0,
    Unit: "m^3",
    Quantity: "Volume",
    Value: "0.050000",
    Timestamp: "t",
  });
});

Deno.test("legacy multi-telegram read toggles the FCB only for the next telegram: 7B, 5B, 7B", async () => {
  const telegrams = [telegram(1), telegram(2), telegram(3)];
  await using r = legacyRig([meter("12345678", 5, { telegrams })]);
  const reading = await r.clock.drive(r.source.read("5"));
  assert.equal(reading.frames, 3);
  assert.deepEqual(
    reading.records.filter((_, i) => i % 2 === 0).map((x) => x.raw),
    [1, 2, 3],
  );
  assert.deepEqual(await r.heard(), [
    NKE_253,
    NKE_253,
    UD2_5_FCB,
    UD2_5,
    UD2_5_FCB,
  ]);
});

Deno.test("legacy read by secondary address: two SND_NKE to 253, one select, REQ_UD2 to 253", async () => {
  await using r = legacyRig([meter("12345678", 5), meter("87654321", 6)]);
  const reading = await r.clock.drive(r.source.read("87654321"));
  assert.equal(reading.header?.id, "87654321");
  const frames = await r.heard();
  assert.equal(frames.length, 4);
  assert.deepEqual(frames.slice(0, 2), [NKE_253, NKE_253]);
  // select 87654321, manufacturer/version/medium as the meter's (C 73, A FD, CI 52)
  assert.match(frames[2] ?? "", /^68 0B 0B 68 73 FD 52 21 43 65 87 /);
  assert.equal(frames[3], "10 7B FD 78 16");
});

Deno.test("legacy read of a silent meter: REQ_UD2 sent 4 times with the same FCB, 3 x VTIME each", async () => {
  await using r = legacyRig([meter("12345678", 5)]);
  const start = r.clock.now();
  await assert.rejects(
    r.clock.drive(r.source.read("7")),
    NoResponseError,
  );
  const ud2 = "10 7B 07 82 16";
  assert.deepEqual(await r.heard(), [NKE_253, NKE_253, ud2, ud2, ud2, ud2]);
  // two purges and four answer timeouts, 900 ms each at 2400 Bd (virtual time)
  assert.ok(r.clock.now() - start >= 6 * 900);
  assert.equal(r.source.stats().retries, 3);
});

Deno.test("a second legacy read by secondary address starts over at the first telegram", async () => {
  const telegrams = [telegram(1), telegram(2)];
  await using r = legacyRig([meter("12345678", 5, { telegrams })]);
  await r.clock.drive(r.source.read("12345678"));
  const again = await r.clock.drive(r.source.read("12345678"));
  assert.equal(again.frames, 2);
  assert.equal(again.records[0]?.raw, 1);
});

Deno.test("legacy read of a meter with a bad checksum: the same REQ_UD2 resent 3 times (purge before each)", async () => {
  await using r = legacyRig([
    meter("12345678", 5, { failure: { mode: "badChecksum" } }),
  ]);
  await assert.rejects(r.clock.drive(r.source.read("5")), BadAnswerError);
  assert.deepEqual(await r.heard(), [
    NKE_253,
    NKE_253,
    UD2_5_FCB,
    UD2_5_FCB,
    UD2_5_FCB,
    UD2_5_FCB,
  ]);
});

Deno.test("legacy read by a secondary address two meters share: one select, then 4 garbled REQ_UD2", async () => {
  await using r = legacyRig([meter("12345678", 5), meter("12345678", 6)]);
  // Their two E5 merge into one clean E5; their RSP_UDs collide into invalid bytes, which
  // libmbus purges and resends like any invalid reply.
  await assert.rejects(
    r.clock.drive(r.source.read("12345678")),
    (e) => e instanceof BadAnswerError || e instanceof CollisionError,
  );
  const frames = await r.heard();
  assert.deepEqual(frames.slice(0, 2), [NKE_253, NKE_253]);
  assert.match(frames[2] ?? "", /^68 0B 0B 68 73 FD 52 78 56 34 12 /);
  // no second select: libmbus selects once
  assert.equal(frames.filter((f) => f.startsWith("68")).length, 1);
  assert.deepEqual(frames.slice(3), Array(4).fill("10 7B FD 78 16"));
});

Deno.test("legacy read of an unknown secondary address: one select, no retry, no REQ_UD2", async () => {
  await using r = legacyRig([meter("12345678", 5)]);
  await assert.rejects(
    r.clock.drive(r.source.read("11111111")),
    NoResponseError,
  );
  const frames = await r.heard();
  assert.equal(frames.length, 3);
  assert.match(frames[2] ?? "", /^68 0B 0B 68 73 FD 52 11 11 11 11 /);
});

Deno.test("legacy read over TCP waits libmbus's 4 s socket timeout per silence", async () => {
  await using r = legacyRig([], true);
  const start = r.clock.now();
  await assert.rejects(r.clock.drive(r.source.read("7")), NoResponseError);
  assert.equal((await r.heard()).length, 6);
  // two purges and four answer timeouts (virtual time)
  assert.ok(r.clock.now() - start >= 6 * 4000);
});

Deno.test("legacy read stops at maxFrames and can be cancelled during a purge", async () => {
  const telegrams = [telegram(1), telegram(2), telegram(3)];
  await using r = legacyRig([meter("12345678", 5, { telegrams })]);
  const two = await r.clock.drive(r.source.read("5", { maxFrames: 2 }));
  assert.equal(two.frames, 2);
  assert.equal(two.partial, false);
  assert.deepEqual((await r.heard()).slice(2), [UD2_5_FCB, UD2_5]);

  const ac = new AbortController();
  const reason = new Error("stop");
  const read = r.source.read("5", { signal: ac.signal });
  const stop = r.clock.sleep(100).then(() => ac.abort(reason));
  await assert.rejects(r.clock.drive(read), (e) => e === reason);
  await stop;
  assert.deepEqual(await r.heard(), [NKE_253]);
});
