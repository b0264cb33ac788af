/**
 * FCB behaviour of the virtual slaves (mbus-wired.md §2.4): multi-telegram slaves repeat
 * on an unchanged FCB, single-telegram slaves ignore FCB unless their fixture says
 * `fcbRepeat`, and a selection neither toggles nor clears the shared FCB state.
 */
import assert from "node:assert/strict";
import { decodeFrame, type LongFrame } from "../../src/link/mod.ts";
import { fromHex } from "../../src/util/mod.ts";
import { createSlave, type MeterFixture, VirtualSlave } from "../../sim/mod.ts";
import { reqUd2, select, sndNke } from "./_helpers.ts";

function slave(telegrams: number, fcbRepeat = false): VirtualSlave {
  return new VirtualSlave({
    id: "12345678",
    manufacturer: "KAM",
    version: 1,
    medium: 4,
    primaryAddress: 5,
    telegrams: Array.from(
      { length: telegrams },
      (_, i) => Uint8Array.of(0x04, 0x13, i, 0, 0, 0),
    ),
    ...(fcbRepeat ? { fcbRepeat } : {}),
  });
}

function send(s: VirtualSlave, request: Uint8Array): void {
  const req = decodeFrame(request);
  assert.ok(req.ok);
  assert.deepEqual([...(s.receive(req.value, 2400)?.bytes ?? [])], [0xe5]);
}

function at(s: VirtualSlave, request: Uint8Array): [number, number] {
  return seen(read(s, request), s);
}

function read(s: VirtualSlave, request: Uint8Array): LongFrame {
  const req = decodeFrame(request);
  assert.ok(req.ok);
  const bytes = s.receive(req.value, 2400)?.bytes;
  assert.ok(bytes);
  const r = decodeFrame(bytes);
  assert.ok(r.ok && r.value.type === "long");
  return r.value;
}

/** Access number (counted from the slave's first answer) and telegram index. */
const base = new WeakMap<VirtualSlave, number>();
function seen(f: LongFrame, s?: VirtualSlave): [number, number] {
  const access = f.data[8] ?? -1;
  if (s && !base.has(s)) base.set(s, access - 1);
  return [access - (s ? base.get(s) ?? 0 : 0), f.data[14] ?? -1];
}

Deno.test("a single-telegram slave ignores FCB: every REQ_UD2 is a fresh telegram", () => {
  const s = slave(1);
  const got = [true, true, false, false, true].map((fcb) =>
    at(s, reqUd2(5, fcb))[0]
  );
  assert.deepEqual(got, [1, 2, 3, 4, 5], "access number advances every time");
});

Deno.test("fcbRepeat: a single-telegram slave repeats on an unchanged FCB", () => {
  const s = slave(1, true);
  const a = read(s, reqUd2(5, true));
  assert.deepEqual(read(s, reqUd2(5, true)), a, "repeat, byte for byte");
  assert.equal(
    ((read(s, reqUd2(5, false)).data[8] ?? 0) - (a.data[8] ?? 0)) & 0xff,
    1,
    "toggle: fresh",
  );
});

Deno.test("a multi-telegram slave repeats on an unchanged FCB and advances on a toggle", () => {
  const s = slave(3);
  send(s, sndNke(5));
  assert.deepEqual(at(s, reqUd2(5, true)), [1, 0]);
  assert.deepEqual(at(s, reqUd2(5, true)), [1, 0], "repeat");
  assert.deepEqual(at(s, reqUd2(5, false)), [2, 1], "next");
});

Deno.test("a selection neither toggles nor clears the FCB state; SND_NKE to 253 after it does", () => {
  const s = slave(3);
  send(s, sndNke(5));
  assert.deepEqual(at(s, reqUd2(5, true)), [1, 0]);
  // Another master selects the meter and starts with FCB = 1 (C = 7B), as libmbus does.
  send(s, select(fromHex("78 56 34 12 ff ff ff ff")));
  assert.deepEqual(
    at(s, reqUd2(0xfd, true)),
    [1, 0],
    "taken as a repeat of the last answer: the state survived the selection",
  );
  send(s, sndNke(0xfd));
  send(s, select(fromHex("78 56 34 12 ff ff ff ff")));
  assert.deepEqual(
    at(s, reqUd2(0xfd, true)),
    [2, 0],
    "after SND_NKE: a fresh first telegram",
  );
  assert.deepEqual(at(s, reqUd2(0xfd, false)), [3, 1]);
});

Deno.test("the fcbRepeat switch of a meter fixture reaches the slave", () => {
  const fixture: MeterFixture = {
    name: "repeater",
    description: "a meter that repeats on an unchanged FCB",
    id: "11112222",
    manufacturer: "ABC",
    version: 1,
    medium: 7,
    fcbRepeat: true,
    records: [{ dataType: "int32", vif: "13", raw: 1000 }],
  };
  const meters = { repeater: fixture, plain: { ...fixture, fcbRepeat: false } };
  const repeater = createSlave({ meter: "repeater", primaryAddress: 5 }, {
    meters,
  });
  const plain = createSlave({ meter: "plain", primaryAddress: 5 }, { meters });
  const twice = (
    s: VirtualSlave,
  ) => [at(s, reqUd2(5, true))[0], at(s, reqUd2(5, true))[0]];
  assert.deepEqual(twice(repeater), [1, 1]);
  assert.deepEqual(twice(plain), [1, 2]);
});
