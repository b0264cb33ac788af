/**
 * The bus monitor over real HTTP: a gateway on a simulated demo bus behind a real TCP
 * endpoint, its API on a free port. A read puts a REQ_UD2 to the meter's address on the
 * wire and brings back its RSP_UD with the meter's ID; the address filter keeps only that
 * meter's frames; the ring answers late readers; a client that stops reading loses frames
 * (counted and told) instead of growing the server's memory.
 */
import assert from "node:assert/strict";
import type { Gateway } from "../../src/gateway/mod.ts";
import {
  C_RSP_UD,
  CI_RSP_UD_VARIABLE,
  encodeFrame,
  longFrame,
} from "../../src/link/mod.ts";
import { Master, parseMeterAddress } from "../../src/master/mod.ts";
import { TcpTransport } from "../../src/transport/mod.ts";
import { RealClock } from "../../src/util/mod.ts";
import { freePort } from "../_helpers/net.ts";
import { SseReader } from "./_sse_reader.ts";
import { parsePrometheus } from "./_prometheus.ts";
import { tcpApi } from "./_sim_api.ts";

/** The monitor's two metrics from `/metrics`, checked for their types. */
async function monitorMetrics(
  url: string,
): Promise<{ clients: number | undefined; dropped: number | undefined }> {
  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200);
  const { samples, types } = parsePrometheus(await res.text());
  assert.equal(types.get("mbusgw_monitor_clients"), "gauge");
  assert.equal(types.get("mbusgw_monitor_dropped_frames_total"), "counter");
  const value = (name: string) => samples.find((x) => x.name === name)?.value;
  return {
    clients: value("mbusgw_monitor_clients"),
    dropped: value("mbusgw_monitor_dropped_frames_total"),
  };
}

interface Frame {
  seq: number;
  at: number;
  time: string;
  instance: string;
  direction: string;
  origin: string;
  kind: string;
  hex: string;
  summary: string;
  address?: number;
  id?: string;
}

async function setup(
  options: { maxQueued?: number; bridgePort?: number } = {},
) {
  const { bridgePort, ...monitor } = options;
  const api = await tcpApi(["1", "2"], {
    ...(bridgePort === undefined
      ? {}
      : { gateway: { tcpServer: true, tcpServerPort: bridgePort } }),
    serve: { heartbeatMs: 60_000, monitor },
  });
  return Object.assign(api, { gateway: api.host.get("bus") as Gateway });
}

async function read(url: string, address: string): Promise<void> {
  const res = await fetch(`${url}/api/instances/bus/read`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ address }),
  });
  assert.equal(res.status, 200, await res.text());
}

async function meterId(url: string, address: string): Promise<string> {
  const res = await fetch(`${url}/api/instances/bus/meters`);
  const body = await res.json() as {
    meters: { primary?: number | null; id?: string; name?: string }[];
  };
  const m = body.meters.find((x) =>
    x.name === address || String(x.primary) === address
  );
  assert.ok(m?.id, `meter ${address} has an ID: ${JSON.stringify(body)}`);
  return m.id;
}

/** Frames from a monitor stream until `until` holds for the frames so far. */
async function collect(
  sse: SseReader,
  until: (frames: Frame[]) => boolean,
): Promise<Frame[]> {
  const frames: Frame[] = [];
  while (!until(frames)) {
    const b = await sse.nextEvent();
    if (!b) break;
    if (b.event === "frame") frames.push(JSON.parse(b.data ?? "{}") as Frame);
  }
  return frames;
}

Deno.test({
  name:
    "monitor: a read shows its REQ_UD2 to the meter and the meter's RSP_UD with its ID, timed and in order",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using s = await setup();
    s.host.start();
    const res = await fetch(`${s.url}/api/monitor?instance=bus`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
    const sse = new SseReader(res.body as ReadableStream<Uint8Array>);
    const before = Date.now();
    await read(s.url, "1");
    const frames = await collect(
      sse,
      (f) => f.some((x) => x.summary.startsWith("RSP_UD")),
    );
    await sse.cancel();
    const id = await meterId(s.url, "1");
    const req = frames.find((f) => f.summary.startsWith("REQ_UD2"));
    const rsp = frames.find((f) => f.summary.startsWith("RSP_UD"));
    assert.ok(req, JSON.stringify(frames));
    assert.ok(rsp);
    assert.equal(req.direction, "tx");
    assert.equal(req.origin, "master");
    assert.equal(req.address, 1);
    assert.match(req.summary, /^REQ_UD2 to 1\b/);
    assert.match(req.hex, /^10 [57]B 01 [0-9A-F]{2} 16$/);
    assert.equal(rsp.direction, "rx");
    assert.equal(rsp.address, 1);
    assert.equal(rsp.id, id);
    assert.match(
      rsp.summary,
      new RegExp(`ID ${id} [A-Z]{3} v[0-9A-F]{2} .+, \\d+ records`),
    );
    assert.match(rsp.hex, /^68 ([0-9A-F]{2}) \1 68 /);
    assert.ok(rsp.seq > req.seq);
    assert.ok(rsp.at >= req.at);
    assert.ok(req.at >= before - 5 && rsp.at <= Date.now() + 5);
    assert.equal(new Date(rsp.at).toISOString(), rsp.time);
  },
});

Deno.test({
  name:
    "monitor: the address filter keeps one meter's frames; the ring answers a late reader and filters alike",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using s = await setup();
    s.host.start();
    const res = await fetch(`${s.url}/api/monitor?address=2`);
    const sse = new SseReader(res.body as ReadableStream<Uint8Array>);
    await read(s.url, "1");
    await read(s.url, "2");
    await read(s.url, "1");
    const frames = await collect(
      sse,
      (f) => f.some((x) => x.summary.startsWith("RSP_UD")),
    );
    await sse.cancel();
    assert.ok(frames.length >= 2);
    assert.ok(frames.every((f) => f.address === 2), JSON.stringify(frames));

    const all = await (await fetch(`${s.url}/api/monitor/recent`)).json() as {
      frames: Frame[];
      stats: { listening: boolean; clients: number; frames: number };
    };
    assert.equal(all.stats.listening, true);
    const addresses = new Set(all.frames.map((f) => f.address));
    assert.ok(addresses.has(1) && addresses.has(2), JSON.stringify(all));
    const rsps = all.frames.filter((f) => f.summary.startsWith("RSP_UD"));
    // A multi-telegram meter answers more than once per read: one run per read.
    const runs = rsps.map((f) => f.address).filter((a, i, l) => a !== l[i - 1]);
    assert.deepEqual(runs, [1, 2, 1]);
    const seqs = all.frames.map((f) => f.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));

    const two = await (await fetch(`${s.url}/api/monitor/recent?address=2`))
      .json() as { frames: Frame[] };
    assert.ok(two.frames.length >= 2);
    assert.ok(two.frames.every((f) => f.address === 2));
    const id = await meterId(s.url, "2");
    const byId =
      await (await fetch(`${s.url}/api/monitor/recent?address=${id}`))
        .json() as { frames: Frame[] };
    assert.ok(byId.frames.length >= 1);
    assert.ok(byId.frames.every((f) => f.id === id && f.address === 2));
    const last = await (await fetch(`${s.url}/api/monitor/recent?limit=1`))
      .json() as { frames: Frame[] };
    assert.deepEqual(last.frames.map((f) => f.seq), [seqs.at(-1)]);

    const bad = await fetch(`${s.url}/api/monitor/recent?address=300`);
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.code, "BAD_ADDRESS");
    const unknown = await fetch(`${s.url}/api/monitor?instance=nope`);
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
  },
});

Deno.test({
  name:
    "monitor: a client that stops reading loses its oldest frames (counted and told), the server's queue stays bounded",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using s = await setup({ maxQueued: 50 });
    const res = await fetch(`${s.url}/api/monitor?instance=bus`);
    const sse = new SseReader(res.body as ReadableStream<Uint8Array>);
    // The client reads the opening comment, then stops reading while frames pour in.
    assert.ok((await sse.next())?.comment?.startsWith("mbusgw"));
    assert.deepEqual(await monitorMetrics(s.url), { clients: 1, dropped: 0 });
    const big = encodeFrame(
      longFrame(C_RSP_UD, 9, CI_RSP_UD_VARIABLE, new Uint8Array(240)),
    );
    const burst = 5_000; // ~4 MB of events, written far faster than a socket drains
    let stats = { dropped: 0, clients: 0, frames: 0 };
    for (let i = 0; i < burst; i++) {
      s.gateway.wire.bytes("rx", "master", big);
      if (i % 1000 === 999) {
        // Let the server write what the socket takes.
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    await new Promise((r) => setTimeout(r, 50));
    const r1 = await fetch(`${s.url}/api/monitor/recent?limit=1`);
    stats = (await r1.json()).stats;
    assert.equal(stats.clients, 1);
    assert.equal(stats.frames, burst);
    assert.ok(stats.dropped > 0, `dropped ${stats.dropped}`);
    assert.deepEqual(await monitorMetrics(s.url), {
      clients: 1,
      dropped: stats.dropped,
    });
    // Reading again: the frames that fitted, a `dropped` event, then the newest.
    let seenDropped = 0;
    let lastSeq = 0;
    let received = 0;
    while (lastSeq < burst) {
      const b = await sse.nextEvent();
      if (!b) break;
      if (b.event === "dropped") {
        seenDropped += (JSON.parse(b.data ?? "{}") as { dropped: number })
          .dropped;
      } else if (b.event === "frame") {
        received++;
        lastSeq = (JSON.parse(b.data ?? "{}") as Frame).seq;
      }
    }
    await sse.cancel();
    assert.equal(lastSeq, burst, "the newest frame arrives");
    assert.ok(seenDropped > 0);
    assert.equal(seenDropped + received, burst, "every frame sent or counted");
    assert.ok(received < burst);
    // The stream is gone: no client, the dropped frames stay counted.
    let after = await monitorMetrics(s.url);
    for (let i = 0; i < 100 && after.clients !== 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      after = await monitorMetrics(s.url);
    }
    assert.deepEqual(after, { clients: 0, dropped: stats.dropped });
  },
});

Deno.test({
  name:
    "monitor: a bridge client's request and the meter's answer show as the bridge client's",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const port = freePort();
    await using s = await setup({ bridgePort: port });
    s.host.start();
    const res = await fetch(`${s.url}/api/monitor?instance=bus`);
    const sse = new SseReader(res.body as ReadableStream<Uint8Array>);
    const clock = new RealClock();
    const transport = await TcpTransport.open("127.0.0.1", port, { clock });
    const master = new Master({
      transport,
      clock,
      requestTimeoutMs: 300,
      idleTimeoutMs: 0,
    });
    try {
      await master.readMeter(parseMeterAddress("2"));
    } finally {
      await master.close();
      await transport.close();
    }
    const frames = await collect(
      sse,
      (f) =>
        f.some((x) => x.origin === "bridge" && x.summary.startsWith("RSP_UD")),
    );
    await sse.cancel();
    const bridged = frames.filter((f) => f.origin === "bridge");
    const req = bridged.find((f) => f.summary.startsWith("REQ_UD2 to 2"));
    const rsp = bridged.find((f) => f.summary.startsWith("RSP_UD from 2"));
    assert.equal(req?.direction, "tx", JSON.stringify(frames));
    assert.equal(rsp?.direction, "rx");
    assert.ok((rsp?.seq ?? 0) > (req?.seq ?? Infinity));
  },
});
