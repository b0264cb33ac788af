// deno-lint-ignore-file no-console
import assert from "node:assert/strict";
import { Backoff, TcpTransport } from "../../src/transport/mod.ts";
import { TransportError, VirtualClock } from "../../src/util/mod.ts";
import { transportConformance } from "../_conformance/transport_conformance.ts";
import { connPeer } from "./_tcp_peer.ts";

transportConformance("TcpTransport against a local listener", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  const transport = await TcpTransport.open("127.0.0.1", listener.addr.port);
  return { transport, peer: connPeer(await accepted) };
});

function hasCode(code: string, text?: RegExp): (e: unknown) => boolean {
  return (e) =>
    e instanceof TransportError && e.code === code &&
    (text === undefined || text.test(e.message));
}

function freePort(): number {
  using l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return l.addr.port;
}

Deno.test("TcpTransport.open() on a closed port fails with CONNECT_FAILED naming host:port", async () => {
  const port = freePort();
  await assert.rejects(
    TcpTransport.open("127.0.0.1", port),
    hasCode(
      "CONNECT_FAILED",
      new RegExp(
        `^Cannot connect to 127\\.0\\.0\\.1:${port}: connection refused`,
      ),
    ),
  );
  await assert.rejects(TcpTransport.open("127.0.0.1", 0), RangeError);
});

Deno.test("TcpTransport.open() gives up after the connect timeout on its clock", async () => {
  const clock = new VirtualClock();
  // The virtual timeout fires before any real connect can finish (some sandboxes accept
  // every address at once, a real blackhole hangs): either way the attempt is aborted.
  const p = TcpTransport.open("10.255.255.1", 10001, {
    clock,
    connectTimeoutMs: 3000,
  });
  const outcome = p.then((t) => t, (e: unknown) => e);
  await clock.advance(3000);
  const r = await outcome;
  if (r instanceof TcpTransport) {
    await r.close();
    console.log(
      "  (the connect finished before the virtual timeout; not provoked)",
    );
    return;
  }
  assert.ok(
    hasCode("CONNECT_FAILED", /^Cannot connect to 10\.255\.255\.1:10001: /)(r),
    String(r),
  );
});

Deno.test("TcpTransport detects a dropped peer and reconnects on the next write", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const first = listener.accept();
  await using t = await TcpTransport.open("127.0.0.1", listener.addr.port);
  const conn1 = await first;
  await conn1.write(Uint8Array.of(0xe5));
  conn1.close();
  // Bytes sent before the drop still arrive, then the drop is reported once.
  assert.deepEqual(await t.read(8, 2000), Uint8Array.of(0xe5));
  await assert.rejects(t.read(8, 2000), hasCode("IO", /^Lost connection to/));
  assert.equal(t.connected, false);
  const second = listener.accept();
  await t.write(Uint8Array.of(0x10, 0x40, 0x05, 0x45, 0x16));
  const peer = connPeer(await second);
  try {
    assert.deepEqual(
      await peer.read(5, 2000),
      Uint8Array.of(0x10, 0x40, 0x05, 0x45, 0x16),
    );
    assert.deepEqual(t.connection, { attempts: 2, connects: 2, drops: 1 });
  } finally {
    await peer.close();
  }
});

Deno.test("TcpTransport backs off between failed reconnects, capped", async () => {
  const clock = new VirtualClock();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const first = listener.accept();
  await using t = await TcpTransport.open("127.0.0.1", port, {
    clock,
    backoff: { initialMs: 100, maxMs: 400 },
  });
  (await first).close();
  listener.close();
  const lost = t.read(1, 60_000);
  lost.catch(() => {});
  await assert.rejects(lost, hasCode("IO"));
  const delays: number[] = [];
  for (let i = 0; i < 5; i++) {
    const before = t.connection.attempts;
    await assert.rejects(
      t.write(Uint8Array.of(1)),
      (e) => {
        const m = /next attempt in (\d+) ms/.exec(String(e));
        delays.push(Number(m?.[1]));
        return hasCode("CONNECT_FAILED")(e);
      },
    );
    assert.equal(t.connection.attempts, before + 1);
    // Inside the window no connection is attempted.
    await assert.rejects(
      t.write(Uint8Array.of(1)),
      hasCode("CONNECT_FAILED", /retrying in \d+ ms/),
    );
    assert.equal(t.connection.attempts, before + 1);
    await clock.advance(delays[i] ?? 0);
  }
  assert.deepEqual(delays, [100, 200, 400, 400, 400]);
  // The converter comes back: the next attempt succeeds and the back-off resets.
  using again = Deno.listen({ hostname: "127.0.0.1", port });
  const accepted = again.accept();
  await t.write(Uint8Array.of(0xe5));
  const peer = connPeer(await accepted);
  try {
    assert.deepEqual(await peer.read(1, 2000), Uint8Array.of(0xe5));
  } finally {
    await peer.close();
  }
});

Deno.test("TcpTransport measures read timeouts on its clock", async () => {
  const clock = new VirtualClock();
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  await using t = await TcpTransport.open("127.0.0.1", listener.addr.port, {
    clock,
  });
  const peer = connPeer(await accepted);
  try {
    const p = t.read(10, 60_000);
    await clock.advance(60_000);
    assert.equal((await p).length, 0);
    await t.setBaudRate(9600);
    assert.equal(t.baudRate, 9600);
    assert.equal(t.name, `tcp:127.0.0.1:${listener.addr.port}`);
  } finally {
    await peer.close();
  }
});

Deno.test("Backoff grows by its factor up to the cap and resets on success", () => {
  const b = new Backoff({ initialMs: 10, maxMs: 50, factor: 3 });
  assert.equal(b.remaining(0), 0);
  assert.equal(b.fail(0), 10);
  assert.equal(b.remaining(5), 5);
  assert.equal(b.fail(10), 30);
  assert.equal(b.fail(40), 50);
  assert.equal(b.fail(90), 50);
  assert.equal(b.failures, 4);
  b.succeed();
  assert.equal(b.remaining(90), 0);
  assert.equal(b.fail(100), 10);
});

Deno.test("TcpTransport.create() backs off from a converter that accepts and closes at once", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepted = 0;
  const serving = (async () => {
    for await (const c of listener) {
      accepted++;
      c.close();
    }
  })();
  const t = TcpTransport.create("127.0.0.1", listener.addr.port);
  await new Promise((r) => setTimeout(r, 3000));
  await t.close();
  listener.close();
  await serving.catch(() => {});
  // Back-off 250, 500, then 1000 ms between attempts: about 5 in 3 s, not thousands.
  assert.ok(accepted >= 2 && accepted <= 8, `accepted ${accepted}`);
  assert.ok(t.linkStatus().disconnects >= 2);
});
