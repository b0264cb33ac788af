/**
 * Faults on request on the real TCP and pseudo-terminal endpoints (real sockets, a real
 * pty, the real clock with short durations): each test shows the fault and the recovery.
 */
import assert from "node:assert/strict";
import { decodeFrame } from "../../../src/link/mod.ts";
import { SerialTransport } from "../../../src/transport/mod.ts";
import { ConfigError, toHex } from "../../../src/util/mod.ts";
import {
  createSimulation,
  type FaultEvent,
  parseFaultCommand,
  startPtyEndpoint,
  startTcpEndpoint,
} from "../../../sim/mod.ts";
import { reqUd2, sndNke } from "../_helpers.ts";
import { exchangeReal } from "./_read_frame.ts";

/** A pending read survives a quiet timeout, so no bytes are lost between calls. */
const pending = new WeakMap<Deno.TcpConn, Promise<Uint8Array | null>>();

function nextChunk(conn: Deno.TcpConn): Promise<Uint8Array | null> {
  let p = pending.get(conn);
  if (!p) {
    const buf = new Uint8Array(512);
    p = conn.read(buf).then((n) => n === null ? null : buf.slice(0, n))
      .catch(() => null);
    pending.set(conn, p);
  }
  return p;
}

/** Reads until `quietMs` of silence or the end of the stream. */
async function collect(
  conn: Deno.TcpConn,
  quietMs = 150,
  firstMs = 2000,
): Promise<{ bytes: number[]; eof: boolean; reads: number }> {
  const bytes: number[] = [];
  let reads = 0;
  for (let wait = firstMs;; wait = quietMs) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"quiet">((resolve) => {
      timer = setTimeout(() => resolve("quiet"), wait);
    });
    const chunk = await Promise.race([nextChunk(conn), timeout]);
    clearTimeout(timer);
    if (chunk === "quiet") return { bytes, eof: false, reads };
    pending.delete(conn);
    if (chunk === null) return { bytes, eof: true, reads };
    reads++;
    bytes.push(...chunk);
  }
}

async function ask(conn: Deno.TcpConn, request: Uint8Array, quietMs = 150) {
  await conn.write(request);
  return await collect(conn, quietMs);
}

function tcpRig() {
  const bus = createSimulation("demo");
  const tcp = startTcpEndpoint(bus, { port: 0 });
  const connect = () => Deno.connect({ hostname: tcp.host, port: tcp.port });
  return { bus, tcp, connect };
}

Deno.test("fault drop: the answer stops mid-frame and the TCP connection is dropped; a new one is served", async () => {
  const { tcp, connect } = tcpRig();
  await using _ = tcp;
  const events: FaultEvent[] = [];
  tcp.faults.onFault((e) => events.push({ ...e }));
  const full = await (async () => {
    const c = await connect();
    try {
      return (await ask(c, reqUd2(1, true))).bytes;
    } finally {
      c.close();
    }
  })();
  tcp.faults.dropMidFrame();
  const c = await connect();
  try {
    const got = await ask(c, reqUd2(1, false));
    assert.ok(got.eof, "connection dropped");
    assert.ok(
      got.bytes.length > 0 && got.bytes.length < full.length,
      `${got.bytes.length} of ${full.length}`,
    );
    assert.ok(!decodeFrame(Uint8Array.from(got.bytes)).ok);
  } finally {
    c.close();
  }
  const again = await connect();
  try {
    assert.deepEqual((await ask(again, sndNke(1))).bytes, [0xe5]);
  } finally {
    again.close();
  }
  assert.deepEqual(events.map((e) => [e.kind, e.endedAt !== undefined]), [
    ["drop", false],
    ["drop", true],
  ]);
});

Deno.test("fault stall: answers are held for the stall, then delivered", async () => {
  const { tcp, connect } = tcpRig();
  await using _ = tcp;
  const c = await connect();
  try {
    const event = tcp.faults.stall(400);
    const t0 = Date.now();
    const got = await ask(c, sndNke(1));
    assert.deepEqual(got.bytes, [0xe5]);
    assert.ok(Date.now() - t0 >= 380, `answered after ${Date.now() - t0} ms`);
    assert.ok(event.endedAt !== undefined && event.endedAt - event.at >= 390);
  } finally {
    c.close();
  }
});

Deno.test("fault refuse: the client is dropped and the port refuses connections for the time, then listens again", async () => {
  const { tcp, connect } = tcpRig();
  await using _ = tcp;
  const c = await connect();
  assert.deepEqual((await ask(c, sndNke(1))).bytes, [0xe5]);
  const event = tcp.faults.refuse(500);
  assert.ok((await collect(c)).eof, "current client dropped");
  c.close();
  await assert.rejects(
    (async () => {
      const c = await connect();
      try {
        // Only while the closed listener winds down: reset or closed at once.
        if (await c.read(new Uint8Array(8)) === null) {
          throw new Deno.errors.ConnectionRefused("closed at once");
        }
      } finally {
        c.close();
      }
    })(),
    (e) =>
      e instanceof Deno.errors.ConnectionRefused ||
      e instanceof Deno.errors.ConnectionReset,
    "refused",
  );
  while (event.endedAt === undefined) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const back = await connect();
  try {
    assert.deepEqual((await ask(back, sndNke(1))).bytes, [0xe5]);
  } finally {
    back.close();
  }
  assert.equal(tcp.clientsServed, 2);
});

Deno.test("fault garbage: noise that cannot start a frame goes ahead of the next answer only", async () => {
  const { tcp, connect } = tcpRig();
  await using _ = tcp;
  const c = await connect();
  try {
    tcp.faults.garbage(12);
    const got = (await ask(c, sndNke(1))).bytes;
    assert.equal(got.length, 13);
    assert.equal(got[12], 0xe5);
    assert.ok(
      got.slice(0, 12).every((b) => b !== 0x10 && b !== 0x68 && b !== 0xe5),
    );
    assert.deepEqual((await ask(c, sndNke(1))).bytes, [0xe5], "only once");
  } finally {
    c.close();
  }
});

Deno.test("fault slow: answer bytes come one by one with the gap, complete", async () => {
  const { tcp, connect } = tcpRig();
  await using _ = tcp;
  const c = await connect();
  try {
    const fast = (await ask(c, reqUd2(2, true))).bytes;
    tcp.faults.slowBytes(60_000, 15);
    const t0 = Date.now();
    const slow = await ask(c, reqUd2(2, true), 300);
    const took = Date.now() - t0 - 300;
    assert.equal(slow.bytes.length, fast.length);
    assert.ok(
      took >= (fast.length - 1) * 15 * 0.9,
      `${fast.length} bytes in ${took} ms`,
    );
    assert.ok(slow.reads > fast.length / 2, `${slow.reads} reads`);
    assert.ok(decodeFrame(Uint8Array.from(slow.bytes)).ok);
  } finally {
    c.close();
  }
});

Deno.test("fault silence: a meter answers nothing for the time, then answers again", async () => {
  const { bus, tcp, connect } = tcpRig();
  await using _ = tcp;
  const c = await connect();
  try {
    const event = tcp.faults.silence(3, 400);
    assert.deepEqual((await ask(c, sndNke(3))).bytes, [], "silent");
    assert.deepEqual((await ask(c, sndNke(1))).bytes, [0xe5], "others answer");
    while (event.endedAt === undefined) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.deepEqual((await ask(c, sndNke(3))).bytes, [0xe5]);
    assert.ok(bus.slaves.every((s) => !s.muted));
  } finally {
    c.close();
  }
  assert.throws(() => tcp.faults.silence(99, 10), ConfigError);
});

Deno.test("faults on the pty endpoint: cut answer, deaf line (refuse), garbage; then normal again", async () => {
  await using pty = startPtyEndpoint(createSimulation("demo"));
  await using port = await SerialTransport.open(pty.path, { baudRate: 2400 });
  const full = await exchangeReal(port, reqUd2(1, true));
  pty.faults.dropMidFrame();
  const cut = await exchangeReal(port, reqUd2(1, false));
  assert.ok(cut.length > 0 && cut.length < full.length);
  const deaf = pty.faults.refuse(300);
  assert.equal((await exchangeReal(port, sndNke(1), 200)).length, 0, "deaf");
  while (deaf.endedAt === undefined) {
    await new Promise((r) => setTimeout(r, 20));
  }
  pty.faults.garbage(5);
  const noisy = await exchangeReal(port, sndNke(1));
  assert.equal(noisy.length, 6);
  assert.equal(toHex(await exchangeReal(port, sndNke(1))), "e5");
  assert.deepEqual(pty.faults.log.map((e) => e.kind), [
    "drop",
    "refuse",
    "garbage",
  ]);
});

Deno.test("parseFaultCommand() reads the control lines and names what is wrong", () => {
  assert.deepEqual(parseFaultCommand("drop"), { kind: "drop" });
  assert.deepEqual(parseFaultCommand(" STALL 2000 "), {
    kind: "stall",
    ms: 2000,
  });
  assert.deepEqual(parseFaultCommand("garbage"), {
    kind: "garbage",
    bytes: 16,
  });
  assert.deepEqual(parseFaultCommand("slow 5000"), {
    kind: "slow",
    ms: 5000,
    gapMs: 20,
  });
  assert.deepEqual(parseFaultCommand("silence 3 10000"), {
    kind: "silence",
    address: 3,
    ms: 10000,
  });
  for (
    const [line, message] of [
      ["explode", /Unknown fault "explode"/],
      ["stall", /takes 1\.\.1 numbers, got 0/],
      ["stall -5", /Invalid stall time "-5"/],
      ["silence 251 10", /Invalid address "251"/],
      ["drop 1", /takes 0\.\.0/],
    ] as const
  ) {
    assert.throws(() => parseFaultCommand(line), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, message);
      return true;
    });
  }
});
