// deno-lint-ignore-file no-console
/**
 * Store and forward: the outbox on its own (order, bounds, reopening), and a broker
 * restart in the middle of a stream with no reading lost (real mosquitto).
 */
import assert from "node:assert/strict";
import { Forwarder, Outbox } from "../../src/mqtt/mod.ts";
import { until } from "../_helpers/net.ts";
import { skipReason, startBroker, subscribe } from "./_broker.ts";
import { startBridged } from "./_setup.ts";

const skip = skipReason();
if (skip) console.log(`skipping MQTT broker tests: ${skip}`);

const msg = (n: number) => ({
  topic: `t/${n}`,
  payload: String(n),
  qos: 1 as const,
  retain: false,
});

Deno.test("Outbox keeps messages across reopening, oldest first, and deletes what was delivered", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/o.db`;
    {
      using o = new Outbox({ path });
      o.append([msg(1), msg(2), msg(3)], 1000);
      o.delivered([o.after(0, 1)[0]?.id ?? -1]);
      assert.equal(o.stats.queued, 2);
      assert.equal(o.stats.delivered, 1);
    }
    using o = new Outbox({ path });
    const rest = o.after(0, 10);
    assert.deepEqual(rest.map((m) => m.payload), ["2", "3"]);
    assert.equal(rest[0]?.queuedAt, 1000);
    assert.equal(o.stats.queued, 2);
    assert.deepEqual(o.after(rest[0]?.id ?? 0, 10).map((m) => m.payload), [
      "3",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Outbox drops the oldest beyond maxMessages and those older than maxAge, and counts them", () => {
  using o = new Outbox({ path: ":memory:", maxMessages: 5, maxAgeMs: 1000 });
  assert.equal(o.append([1, 2, 3, 4].map(msg), 0), 0);
  assert.equal(o.append([5, 6, 7].map(msg), 500), 2);
  assert.deepEqual(o.after(0, 10).map((m) => m.payload), [
    "3",
    "4",
    "5",
    "6",
    "7",
  ]);
  assert.equal(o.stats.dropped, 2);
  assert.equal(o.expire(1200), 2, "the two queued at 0 are too old");
  assert.deepEqual(o.after(0, 10).map((m) => m.payload), ["5", "6", "7"]);
  assert.equal(o.stats.dropped, 4);
  assert.equal(o.stats.queued, 3);
});

Deno.test({
  name:
    "mqtt: a broker restart in the middle of a stream loses no reading (QoS 1, outbox, original timestamps)",
  ignore: skip !== undefined,
  async fn() {
    await using broker = await startBroker();
    const sub = await subscribe(broker.url, ["t4/2/heat/+/state"], {
      clientId: "sub-t4",
    });
    const dir = await Deno.makeTempDir();
    const gw = await startBridged({
      mqtt: {
        url: broker.url,
        clientId: "gw-t4",
        topicPrefix: "t4",
        qos: 1,
        reconnectMs: 100,
        discovery: { enabled: false },
        valueTopics: false,
        storeAndForward: { path: `${dir}/outbox.db` },
      },
      addresses: ["1", "2", "4"],
      polling: 150,
    });
    try {
      await sub.waitFor("t4/2/heat/1/state", () => true);
      await broker.stop();
      await until(() => gw.bridge.stats.state !== "online", "bridge offline");
      const readsBefore = gw.reads.length;
      await until(
        () => gw.reads.length >= readsBefore + 6,
        "reads during the outage",
      );
      assert.ok(
        gw.bridge.stats.queued > 0,
        "readings kept while the broker is down",
      );
      await broker.start();
      await until(
        () => gw.bridge.stats.state === "online",
        "bridge back online",
        1500,
      );
      await gw.host.stop();
      await gw.bridge.flush(20_000);
      const expected = gw.reads.map((r) =>
        `${r.meter} ${new Date(r.readAt).toISOString()}`
      );
      const received = () =>
        new Set(
          sub.seen.map((s) => {
            const j = JSON.parse(s.payload);
            return `${j.meter} ${j.timestamp}`;
          }),
        );
      await until(
        () => expected.every((e) => received().has(e)),
        "every reading at the subscriber",
        1500,
      );
      // Oldest first: per meter, the timestamps arrive in order (duplicates aside).
      for (const meter of ["1", "2", "4"]) {
        const ts = sub.seen.map((s) => JSON.parse(s.payload)).filter((j) =>
          j.meter === meter
        ).map((j) => Date.parse(j.timestamp));
        const firstSeen = ts.filter((t, i) => ts.indexOf(t) === i);
        assert.deepEqual(firstSeen, [...firstSeen].sort((a, b) => a - b));
      }
      assert.equal(gw.bridge.stats.queued, 0);
      assert.ok(gw.bridge.stats.connects >= 2);
    } finally {
      await gw.close();
      await sub.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "mqtt: an outbox bound drops the oldest readings during an outage, with a log line and counter",
  ignore: skip !== undefined,
  async fn() {
    await using broker = await startBroker();
    const gw = await startBridged({
      mqtt: {
        url: broker.url,
        clientId: "gw-t5",
        topicPrefix: "t5",
        reconnectMs: 100,
        discovery: { enabled: false },
        storeAndForward: { path: ":memory:", maxMessages: 10 },
      },
      addresses: ["1", "2"],
      polling: 100,
    });
    try {
      await until(() => gw.bridge.stats.state === "online", "online");
      await broker.stop();
      await until(() => gw.bridge.stats.dropped > 0, "a drop");
      assert.ok(gw.bridge.stats.queued <= 10);
      assert.ok(
        gw.logs.some((l) => /outbox full, dropped \d+ message/.test(l)),
        gw.logs.join("\n"),
      );
    } finally {
      await gw.close();
    }
  },
});

Deno.test("Forwarder: a message the connected client keeps refusing is discarded after 3 tries; the rest go on in order", async () => {
  using o = new Outbox({ path: ":memory:" });
  o.append([1, 2, 3].map(msg), 0);
  const sent: string[] = [];
  const discarded: string[] = [];
  let tries = 0;
  const f = new Forwarder(o, {
    isOnline: () => true,
    publish: (m) => {
      if (m.payload === "2") {
        tries++;
        return Promise.reject(new Error("packet too large"));
      }
      sent.push(m.payload);
      return Promise.resolve();
    },
    onDiscard: (m, reason) => discarded.push(`${m.payload}: ${reason}`),
  });
  f.kick();
  await f.idle(2000);
  assert.equal(tries, 3);
  assert.deepEqual(discarded, ["2: packet too large"]);
  assert.deepEqual(sent.filter((p, i) => sent.indexOf(p) === i), ["1", "3"]);
  assert.equal(o.stats.queued, 0);
  assert.equal(o.stats.dropped, 1);
});

Deno.test("Forwarder: while offline nothing is sent; after going online everything, oldest first", async () => {
  using o = new Outbox({ path: ":memory:" });
  let online = false;
  const sent: string[] = [];
  const f = new Forwarder(o, {
    isOnline: () => online,
    publish: (m) => {
      sent.push(m.payload);
      return Promise.resolve();
    },
    window: 2,
  });
  o.append([1, 2, 3, 4, 5].map(msg), 0);
  f.kick();
  assert.deepEqual(sent, []);
  online = true;
  f.kick();
  await f.idle(2000);
  assert.deepEqual(sent, ["1", "2", "3", "4", "5"]);
  await assert.rejects(
    (async () => {
      online = false;
      o.append([msg(6)], 0);
      f.kick();
      await f.idle(50);
    })(),
    /not empty after 50 ms \(1 queued\)/,
  );
});
