import assert from "node:assert/strict";
import {
  fromHex,
  toHex,
  TransportError,
  VirtualClock,
} from "../../../src/util/mod.ts";
import type { Transport } from "../../../src/transport/mod.ts";
import {
  encodeHciMessage,
  im871aLinkModeRequest,
  type ReceivedTelegram,
  receiveFromStream,
  type ReceiverEvent,
  WmbusReceiver,
} from "../../../src/wmbus/mod.ts";
import { TestTcpTransport } from "./_tcp_transport.ts";

const KAMSTRUP =
  "2A442D2C998734761B168D2091D37CAC21E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24";

function indication(telegram: Uint8Array, rssi: number): Uint8Array {
  return encodeHciMessage({
    endpoint: 2,
    messageId: 3,
    payload: telegram.subarray(1),
  }, {
    rssi,
    crc: true,
  });
}

async function readExactly(conn: Deno.Conn, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const r = await conn.read(out.subarray(got));
    if (r === null) break;
    got += r;
  }
  return out.subarray(0, got);
}

Deno.test("WmbusReceiver reads iM871A telegrams over TCP and reopens after the peer closes", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const telegram = fromHex(KAMSTRUP);
  const setup = im871aLinkModeRequest("T1");
  const server = (async () => {
    const seen: string[] = [];
    {
      using c1 = await listener.accept();
      seen.push(toHex(await readExactly(c1, setup.length)));
      await c1.write(
        new Uint8Array([
          ...indication(telegram, 0x50),
          ...indication(telegram, 0x60),
        ]),
      );
    }
    const c2 = await listener.accept();
    seen.push(toHex(await readExactly(c2, setup.length)));
    await c2.write(indication(telegram, 0x70));
    return { seen, c2 };
  })();
  const events: ReceiverEvent["type"][] = [];
  const got: ReceivedTelegram[] = [];
  {
    await using receiver = new WmbusReceiver(
      () => TestTcpTransport.open(port),
      {
        format: "im871a",
        mode: "T1",
        clock: new VirtualClock(),
        readTimeoutMs: 20,
        initialBackoffMs: 0,
        onEvent: (e) => events.push(e.type),
      },
    );
    for await (const t of receiver) {
      got.push(t);
      if (got.length === 3) break;
    }
    assert.equal(receiver.opens, 2);
  }
  const { seen, c2 } = await server;
  c2.close();
  assert.deepEqual(seen, [toHex(setup), toHex(setup)]);
  assert.deepEqual(
    got.map((t) => toHex(t.telegram)),
    Array(3).fill(KAMSTRUP.toLowerCase()),
  );
  assert.deepEqual(got.map((t) => t.rssi), [-82.5, -74.5, -66.5]);
  assert.deepEqual(events, ["opened", "lost", "opened"]);
});

/** An in-memory transport: hands out queued chunks, times out on the clock, then closes. */
class QueueTransport implements Transport {
  readonly name = "queue";
  readonly baudRate = 9600;
  readonly stats = { bytesOut: 0, bytesIn: 0, bytesPurged: 0 };
  readonly written: Uint8Array[] = [];
  #chunks: Uint8Array[];
  #clock: VirtualClock;
  constructor(chunks: Uint8Array[], clock: VirtualClock) {
    this.#chunks = chunks;
    this.#clock = clock;
  }
  write(bytes: Uint8Array): Promise<void> {
    this.written.push(bytes);
    return Promise.resolve();
  }
  async read(_max: number, timeoutMs: number): Promise<Uint8Array> {
    const next = this.#chunks.shift();
    if (next) return next;
    await this.#clock.sleep(timeoutMs);
    throw new TransportError("CLOSED", "Queue drained");
  }
  purge(): Promise<number> {
    return Promise.resolve(0);
  }
  setBaudRate(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

Deno.test("WmbusReceiver retries a missing device with doubling back-off on the clock", async () => {
  const clock = new VirtualClock();
  let attempts = 0;
  const retries: number[] = [];
  const transport = new QueueTransport(
    [fromHex(`2B${KAMSTRUP.slice(2)}EC`)],
    clock,
  );
  const receiver = new WmbusReceiver(() => {
    attempts++;
    return attempts < 4
      ? Promise.reject(new TransportError("PORT_NOT_FOUND", "No such device"))
      : Promise.resolve(transport);
  }, {
    format: "amb8465",
    mode: "C1",
    clock,
    reopen: true,
    initialBackoffMs: 1000,
    maxBackoffMs: 3000,
    onEvent: (e) => {
      if (e.type === "openFailed") retries.push(e.retryInMs);
    },
  });
  const it = receiver[Symbol.asyncIterator]();
  const first = await clock.drive(it.next());
  assert.equal(first.done, false);
  assert.equal(first.value?.rssi, -84);
  assert.deepEqual(retries, [1000, 2000, 3000]);
  assert.equal(toHex(transport.written[0] ?? new Uint8Array(0)), "ff04010ef4");
  await receiver.close();
  assert.equal((await it.next()).done, true);
});

Deno.test("WmbusReceiver without reopen ends when the device closes", async () => {
  const clock = new VirtualClock();
  const transport = new QueueTransport([
    new TextEncoder().encode(`${KAMSTRUP}\n`),
  ], clock);
  const receiver = new WmbusReceiver(() => Promise.resolve(transport), {
    format: "hex",
    clock,
    reopen: false,
  });
  const all = (async () => {
    const out: ReceivedTelegram[] = [];
    for await (const t of receiver) out.push(t);
    return out;
  })();
  const got = await clock.drive(all);
  assert.equal(got.length, 1);
});

Deno.test("receiveFromStream() reads hex lines from a stdin-like stream", async () => {
  const text = `# captured\n${KAMSTRUP}\n\ntelegram=|${KAMSTRUP}|\n${KAMSTRUP}`;
  const bytes = new TextEncoder().encode(text);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 7) {
        controller.enqueue(bytes.slice(i, i + 7));
      }
      controller.close();
    },
  });
  const got: ReceivedTelegram[] = [];
  for await (
    const t of receiveFromStream(stream, { clock: new VirtualClock() })
  ) got.push(t);
  assert.equal(got.length, 3);
  assert.ok(got.every((t) => toHex(t.telegram) === KAMSTRUP.toLowerCase()));
});
