import assert from "node:assert/strict";
import { RealClock, VirtualClock } from "../../src/util/mod.ts";
import {
  GatewayHost,
  History,
  openSource,
  parseConfig,
  SupervisedSource,
} from "../../src/gateway/mod.ts";
import { TransportError } from "../../src/util/mod.ts";
import { createSimulation } from "../../sim/mod.ts";
import { startTcpEndpoint } from "../../sim/endpoints/tcp.ts";
import { freePort, until } from "../_helpers/net.ts";
import { HttpMetrics, renderMetrics } from "../../src/api/metrics.ts";

// Independent instances (issue 12 item 2): a converter that is down at start-up or later
// puts only its own instance offline, visibly, and it is back within about a second of the
// converter returning. Real sockets on loopback; waits are bounded polls, never timings.

function config(goodPort: number, deadPort: number) {
  return parseConfig({
    gateways: [
      {
        name: "good",
        type: "tcp",
        host: "127.0.0.1",
        port: goodPort,
        polling: 200,
        idleTimeout: 0,
        requestTimeout: 300,
        addresses: [{ name: "1" }],
      },
      {
        name: "dead",
        cluster: 1,
        type: "tcp",
        host: "127.0.0.1",
        port: deadPort,
        polling: 200,
        idleTimeout: 0,
        requestTimeout: 300,
        addresses: [{ name: "1" }],
      },
    ],
  });
}

Deno.test("a converter down at start-up leaves only its instance offline, and it comes back within ~1 s", async () => {
  const clock = new RealClock();
  const good = startTcpEndpoint(createSimulation("demo"), { port: 0, clock });
  const deadPort = freePort();
  const history = new History();
  const host = await GatewayHost.create(config(good.port, deadPort), {
    clock,
    history,
    openSource,
  });
  let revived: Awaited<ReturnType<typeof startTcpEndpoint>> | undefined;
  try {
    host.start();
    const dead = host.get("dead");
    const ok = host.get("good");
    assert.ok(dead && ok);
    await until(() => dead.state === "offline", "dead instance offline");
    const link = dead.link;
    assert.ok(link);
    assert.equal(link.state, "offline");
    assert.match(String(link.reason), /connection refused/);
    assert.ok(link.nextAttemptAt !== null && link.nextAttemptAt > 0);
    // The other instance reads its meter meanwhile.
    await until(
      () => {
        const e = host.lookup("%mbus:good/1");
        return e !== undefined && "records" in e && e.records.length > 0;
      },
      "good instance read",
    );
    // Nothing was sent on the dead bus: requests count only what reached the wire.
    assert.equal(dead.metrics().requests, 0);
    await until(() => dead.metrics().linkAttempts >= 3, "kept trying");
    assert.equal(dead.metrics().linkUp, 0);

    // The converter comes back on the same port.
    revived = startTcpEndpoint(createSimulation("demo"), {
      port: deadPort,
      clock,
    });
    const backAt = Date.now();
    // Capped back-off of 1 s: well inside 150 steps of 10 ms plus scheduling slack.
    await until(() => dead.link?.state === "online", "dead instance back", 250);
    const took = Date.now() - backAt;
    assert.ok(took < 2000, `reconnected after ${took} ms`);
    await until(
      () => {
        const e = host.lookup("%mbus:dead/1");
        return e !== undefined && "records" in e && e.records.length > 0;
      },
      "dead instance read after coming back",
    );
    assert.ok(dead.metrics().requests > 0);
    assert.equal(dead.metrics().linkConnects, 1);
    assert.ok(dead.metrics().linkOfflineMs > 0);
  } finally {
    await host.stop();
    history.close();
    await good.close();
    await revived?.close();
  }
});

Deno.test("a converter lost while running shows offline with a counted drop, then reconnects", async () => {
  const clock = new RealClock();
  const port = freePort();
  let ep = startTcpEndpoint(createSimulation("demo"), { port, clock });
  const history = new History();
  const host = await GatewayHost.create(
    parseConfig({
      gateways: [{
        name: "g",
        type: "tcp",
        host: "127.0.0.1",
        port,
        polling: 200,
        idleTimeout: 0,
        requestTimeout: 300,
        addresses: [{ name: "1" }],
      }],
    }),
    { clock, history, openSource },
  );
  const states: string[] = [];
  host.events.subscribe((e) => {
    if (e.type === "busState") states.push(e.state);
  });
  try {
    host.start();
    const g = host.get("g");
    assert.ok(g);
    await until(() => g.link?.state === "online", "online");
    await until(() => g.metrics().reads > 0, "first read");
    await ep.close();
    await until(() => g.state === "offline", "offline after the drop");
    assert.equal(g.metrics().linkDisconnects, 1);
    const text = renderMetrics(host, new HttpMetrics());
    assert.match(text, /mbusgw_link_disconnects_total\{instance="g"\} 1/);
    assert.match(text, /mbusgw_link_up\{instance="g"\} 0/);
    ep = startTcpEndpoint(createSimulation("demo"), { port, clock });
    await until(() => g.link?.state === "online", "online again", 250);
    assert.ok(states.includes("offline"), `states: ${states.join(",")}`);
    assert.equal(g.metrics().linkConnects, 2);
  } finally {
    await host.stop();
    history.close();
    await ep.close();
  }
});

Deno.test("a serial port missing at start-up leaves the instance offline, naming the port", async () => {
  const clock = new RealClock();
  const history = new History();
  const host = await GatewayHost.create(
    parseConfig({
      gateways: [{
        name: "s",
        type: "serial",
        serialPort: "/dev/mbusgw-no-such-port",
        addresses: [{ name: "1" }],
      }],
    }),
    { clock, history, openSource },
  );
  try {
    host.start();
    const g = host.get("s");
    assert.ok(g);
    assert.equal(g.state, "offline");
    assert.match(String(g.link?.reason), /mbusgw-no-such-port/);
    await assert.rejects(
      () => g.read("1"),
      (e: unknown) => e instanceof TransportError && /offline/.test(e.message),
    );
  } finally {
    await host.stop();
    history.close();
  }
});

Deno.test("SupervisedSource retries on the clock with a capped back-off and rejects configuration faults", async () => {
  const clock = new VirtualClock();
  let calls = 0;
  const s = new SupervisedSource({
    kind: "wired",
    label: "bus",
    clock,
    open: () => {
      calls++;
      throw new TransportError("CONNECT_FAILED", "Cannot connect: refused");
    },
  });
  await s.firstAttempt();
  assert.equal(s.link().state, "offline");
  await clock.advance(10_000);
  // 250, 500, then every 1000 ms: about 11 attempts in 10 s, never a tight loop.
  assert.ok(calls >= 9 && calls <= 13, `attempts: ${calls}`);
  assert.equal(s.link().attempts, calls);
  await s.close();
  const before = calls;
  await clock.advance(5_000);
  assert.equal(calls, before, "no attempt after close");

  const bad = new SupervisedSource({
    kind: "wired",
    label: "bus",
    clock,
    open: () => {
      throw new RangeError("bad port number");
    },
  });
  await assert.rejects(() => bad.firstAttempt(), RangeError);
  await bad.close();
});
